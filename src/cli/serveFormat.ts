/**
 * Pure formatting of what `deepgram-rx serve` prints.
 */
import { seconds } from './format';

/** What the serve banner says. */
export interface ServeBannerInfo {
  readonly url: string;
  /** The script file, if any. */
  readonly script: string | undefined;
  /** Whether an API key is required (the key itself is never printed). */
  readonly auth: boolean;
  readonly idleTimeoutMs: number;
}

/** The lines printed once the emulator listens; the first one holds the URL. */
export function formatServeBanner(info: ServeBannerInfo): string[] {
  return [
    `Deepgram emulator listening on ${info.url}`,
    info.script === undefined
      ? 'It is not a speech recognizer: with no --script, every transcript is empty (timing, KeepAlive, timeouts and errors behave as on Deepgram).'
      : `It is not a speech recognizer: its transcripts replay the script ${info.script}, following the audio it receives.`,
    info.auth
      ? 'Clients must send the --api-key value (Authorization: Token …); others get HTTP 401.'
      : 'No authentication: any key, or none, is accepted.',
    `Sessions close after ${seconds(info.idleTimeoutMs / 1000)} without a frame (NET-0001).`,
    `Try: deepgram-rx transcribe FILE.wav --url ${info.url}`,
    'Stop with Ctrl-C.',
  ];
}

/** The facts of a closed session that {@link formatSessionLine} prints. */
export interface SessionFacts {
  readonly requestId: string;
  readonly audioSeconds: number;
  readonly keepAlives: number;
  readonly closeCode?: number;
  readonly closeReason?: string;
  readonly closedBy?: 'client' | 'server';
}

/** One line per finished session: `session 1f2e…: 17.9 s audio, 4 KeepAlives, closed 1000 by the server`. */
export function formatSessionLine(session: SessionFacts): string {
  const keepAlives = `${session.keepAlives} KeepAlive${session.keepAlives === 1 ? '' : 's'}`;
  const code = session.closeCode === undefined ? 'closed' : `closed ${session.closeCode}`;
  const by = session.closedBy === undefined ? '' : ` by the ${session.closedBy}`;
  const reason =
    session.closeReason === undefined || session.closeReason === '' ? '' : ` (${session.closeReason})`;
  return `session ${session.requestId}: ${seconds(session.audioSeconds)} audio, ${keepAlives}, ${code}${by}${reason}`;
}
