/**
 * What `transcribe()` emits: the server's messages (timestamps on one session timeline) and the
 * session's own events (open, reconnecting, gaps, undecodable frames, KeepAlives, usage).
 */
import type { DecodeFailure } from '../protocol/decode';
import type {
  Metadata,
  Results,
  ServerError,
  SpeechStarted,
  UnknownMessage,
  UtteranceEnd,
} from '../protocol/messages';
import type { LiveError } from '../socket/liveError';

/**
 * A connection opened. `requestId` is Deepgram's `dg-request-id` where the transport can see it
 * (Node's `nodeWebSocket()`, the fake; not browsers). `attempt` counts connections from 1.
 *
 * @example
 * ```ts
 * import { ofType, transcribe } from 'deepgram-rx';
 * audio$.pipe(transcribe(config), ofType('Open')).subscribe((open) => console.log('request id', open.requestId));
 * ```
 */
export interface OpenEvent {
  readonly type: 'Open';
  readonly requestId?: string;
  readonly attempt: number;
}

/**
 * A connection was lost and another one will be tried after `delayMs` (the `reconnect` option).
 * Reserved: this version of `transcribe()` does not reconnect yet, so it never emits it.
 *
 * @example
 * ```ts
 * import { ofType, transcribe } from 'deepgram-rx';
 * audio$.pipe(transcribe(config), ofType('Reconnecting')).subscribe((r) => console.warn(r.error.message));
 * ```
 */
export interface ReconnectingEvent {
  readonly type: 'Reconnecting';
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: LiveError;
}

/**
 * Seconds of the original audio (`from`–`to`) that were never transcribed, and why.
 * Reserved for reconnection: this version of `transcribe()` never emits it.
 *
 * @example
 * ```ts
 * import { ofType, transcribe } from 'deepgram-rx';
 * audio$.pipe(transcribe(config), ofType('Gap')).subscribe((gap) => console.warn(gap.from, gap.to, gap.reason));
 * ```
 */
export interface GapEvent {
  readonly type: 'Gap';
  readonly from: number;
  readonly to: number;
  readonly reason: string;
}

/**
 * A text frame from the server that did not decode as a known message. The session goes on.
 *
 * @example
 * ```ts
 * import { ofType, transcribe } from 'deepgram-rx';
 * audio$.pipe(transcribe(config), ofType('DecodeFailure')).subscribe((f) => console.warn(f.failure.errors));
 * ```
 */
export interface DecodeFailureEvent {
  readonly type: 'DecodeFailure';
  readonly failure: DecodeFailure;
}

/**
 * A KeepAlive went out on the socket (during a pause in the audio). `at` is when, in ms on the
 * session's scheduler clock since subscription. For progress displays and logs; the count is also
 * in the final {@link UsageEvent}.
 *
 * @example
 * ```ts
 * import { ofType, transcribe } from 'deepgram-rx';
 * audio$.pipe(transcribe(config), ofType('KeepAlive')).subscribe((k) => console.log(`KeepAlive at ${k.at} ms`));
 * ```
 */
export interface KeepAliveEvent {
  readonly type: 'KeepAlive';
  readonly at: number;
}

/**
 * The last event of a session that ended normally (after `CloseStream`): what was sent and what
 * it cost.
 *
 * - `audioSeconds`: seconds of audio sent, from the bytes sent and the format in the options
 *   (`encoding` linear16, linear32, mulaw or alaw with `sample_rate` and `channels`). For other
 *   encodings and containerized audio (no `encoding`) the bytes say nothing about time: then it is
 *   `billedSeconds` when Deepgram sent its `Metadata`, else 0.
 * - `keepAlives`: KeepAlive frames sent. KeepAlives due before the socket opened are not sent and
 *   not counted.
 * - `idleSeconds`: pause time held open by KeepAlive instead of audio. A pause is the time between
 *   two consecutive audio chunks entering `transcribe` (the subscription counts as the first, the
 *   audio's completion as the last); it counts, in full, when at least one KeepAlive was sent during
 *   it. Measured on the scheduler clock.
 * - `connections`: connections that opened.
 * - `audioBytes`: bytes of audio sent.
 * - `billedSeconds`: the sum of `Metadata.duration` received (what Deepgram bills); absent when no
 *   `Metadata` came.
 * - `wallSeconds`: from subscription to this event, on the scheduler clock.
 * - `closeTimedOut`: true when the server did not close within `closeTimeoutMs` after
 *   `CloseStream` (the session then closed the socket itself; final results may be missing).
 *
 * @example
 * ```ts
 * import { ofType, transcribe } from 'deepgram-rx';
 * audio$.pipe(transcribe(config), ofType('Usage')).subscribe((u) =>
 *   console.log(`${u.audioSeconds} s sent, ${u.idleSeconds} s of pauses kept open by ${u.keepAlives} KeepAlives`),
 * );
 * ```
 */
export interface UsageEvent {
  readonly type: 'Usage';
  readonly audioSeconds: number;
  readonly keepAlives: number;
  readonly idleSeconds: number;
  readonly connections: number;
  readonly audioBytes: number;
  readonly billedSeconds?: number;
  readonly wallSeconds: number;
  readonly closeTimedOut: boolean;
}

/**
 * Everything `transcribe()` emits, discriminated by `type`. Server messages (`Results`,
 * `Metadata`, `UtteranceEnd`, `SpeechStarted`, `Error`, `Unknown`) have their timestamps on one
 * session timeline (the original audio's).
 *
 * @example
 * ```ts
 * import { transcribe, type LiveEvent } from 'deepgram-rx';
 * const show = (event: LiveEvent): void => {
 *   if (event.type === 'Results' && event.is_final) console.log(event.channel.alternatives[0]?.transcript);
 * };
 * audio$.pipe(transcribe(config)).subscribe(show);
 * ```
 */
export type LiveEvent =
  | Results
  | Metadata
  | UtteranceEnd
  | SpeechStarted
  | ServerError
  | UnknownMessage
  | OpenEvent
  | ReconnectingEvent
  | GapEvent
  | DecodeFailureEvent
  | KeepAliveEvent
  | UsageEvent;

/**
 * The `type` of every {@link LiveEvent}.
 *
 * @example
 * ```ts
 * import { ofType, type LiveEventType } from 'deepgram-rx';
 * const shown: LiveEventType[] = ['Results', 'UtteranceEnd'];
 * events$.pipe(ofType(...shown));
 * ```
 */
export type LiveEventType = LiveEvent['type'];
