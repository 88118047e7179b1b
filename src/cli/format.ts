/**
 * Pure formatting of what `deepgram-rx transcribe` prints: the banner, transcript lines, KeepAlive
 * lines, notices of reconnects and gaps, the progress line. The summary is in summary.ts.
 */
import type { Results } from '../protocol/messages';

/** `12.0 s` (one decimal). */
export function seconds(value: number, digits = 1): string {
  return `${value.toFixed(digits)} s`;
}

/** A time at the start of a transcript line, right-aligned: `[   6.5 s]`. */
export function clock(value: number): string {
  return `[${value.toFixed(1).padStart(6)} s]`;
}

/** The best alternative's transcript of a result ('' when there is none). */
export function transcriptOf(results: Results): string {
  return results.channel.alternatives[0]?.transcript ?? '';
}

/** Where a result starts: its first word, else its window (seconds on the session's timeline, the file's). */
export function resultStart(results: Results): number {
  return results.channel.alternatives[0]?.words[0]?.start ?? results.start;
}

function channelPrefix(results: Results): string {
  const [index, total] = results.channel_index;
  return total !== undefined && total > 1 && index !== undefined ? `ch${index} ` : '';
}

/**
 * A final result as a transcript line, `[   6.5 s] This sample pauses for twelve seconds.` (the
 * session keeps timestamps on the file's timeline, gated pauses included); `undefined` for an
 * empty transcript (silence).
 */
export function formatFinal(results: Results): string | undefined {
  const text = transcriptOf(results).trim();
  if (text === '') return undefined;
  return `${clock(resultStart(results))} ${channelPrefix(results)}${text}`;
}

/** An interim result for the updating line: `… this sample pauses`; '' when empty. */
export function formatInterim(results: Results): string {
  const text = transcriptOf(results).trim();
  return text === '' ? '' : `… ${channelPrefix(results)}${text}`;
}

/** Why a KeepAlive went out: the gate was holding silence back, or the source gave no audio. */
export type KeepAliveReason = 'pause' | 'no audio';

/** `  · KeepAlive at 13.5 s (pause)`: `at` is the position in the file when it was sent. */
export function formatKeepAlive(at: number, reason: KeepAliveReason): string {
  return `  · KeepAlive at ${seconds(at)} (${reason})`;
}

/** What the banner says about the run. */
export interface BannerInfo {
  readonly file: string;
  readonly fileSeconds: number;
  readonly format: { readonly encoding: string; readonly sample_rate: number; readonly channels: number };
  /** The endpoint, without query or secrets. */
  readonly endpoint: string;
  readonly pace: 'realtime' | 'fast';
  readonly gate: boolean;
  /** KeepAlive idle time in ms, or false when KeepAlive is off. */
  readonly keepAliveMs: number | false;
  readonly model: string;
}

function channelsText(channels: number): string {
  return channels === 1 ? 'mono' : channels === 2 ? 'stereo' : `${channels} channels`;
}

/** The two lines printed before streaming starts. */
export function formatBanner(info: BannerInfo): string[] {
  const { encoding, sample_rate, channels } = info.format;
  const pace = info.pace === 'realtime' ? 'in real time' : 'as fast as possible (--fast)';
  return [
    `Streaming ${info.file} (${seconds(info.fileSeconds)}, ${encoding} ${sample_rate} Hz ${channelsText(channels)}) to ${info.endpoint} ${pace}`,
    [
      `model ${info.model}`,
      info.gate ? 'silence gate on' : 'silence gate off (--no-gate)',
      info.keepAliveMs === false
        ? 'KeepAlive off (--no-keepalive)'
        : `KeepAlive after ${seconds(info.keepAliveMs / 1000)} without audio`,
    ].join(' · '),
  ];
}

/**
 * What the CLI says when it runs the emulator in-process: that it does, where, and that its
 * transcripts are a script's, not recognized speech.
 */
export function formatEmulatorNotice(url: string, script: string | undefined, file: string): string[] {
  return [
    `No DEEPGRAM_API_KEY, --api-key or --url: using the built-in Deepgram emulator at ${url} (set DEEPGRAM_API_KEY to use Deepgram).`,
    script === undefined
      ? `The emulator is not a speech recognizer, and ${file} has no script (a .words.json file next to it): expect empty transcripts.`
      : `The emulator is not a speech recognizer: its transcripts come from the script ${script}, not from the audio.`,
  ];
}

/** What the progress line shows. */
export interface ProgressInfo {
  /** Seconds of the file read so far. */
  readonly position: number;
  readonly total: number;
  /** Seconds of audio sent so far. */
  readonly sent: number;
  readonly keepAlives: number;
  /** The gate is holding silence back right now. */
  readonly holding: boolean;
}

/** A bar of `width` cells, `fraction` (clamped to 0..1) of them full. */
export function progressBar(fraction: number, width = 30): string {
  const clamped = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const full = Math.round(clamped * width);
  return '█'.repeat(full) + '░'.repeat(width - full);
}

/** The progress line: `███░░░ 12.3 / 38.2 s · sent 8.1 s · 2 KeepAlives · pause`. */
export function formatProgress(info: ProgressInfo, width = 30): string {
  const fraction = info.total > 0 ? info.position / info.total : 1;
  const keepAlives = `${info.keepAlives} KeepAlive${info.keepAlives === 1 ? '' : 's'}`;
  return [
    `${progressBar(fraction, width)} ${info.position.toFixed(1)} / ${seconds(info.total)}`,
    `sent ${seconds(info.sent)}`,
    keepAlives,
    ...(info.holding ? ['pause'] : []),
  ].join(' · ');
}
