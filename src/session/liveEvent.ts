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
 * A connection was lost (or refused) and another one will be tried after `delayMs` (the
 * `reconnect` option). `attempt` counts retries since the last healthy connection (1 for the first);
 * `error` is what ended the previous attempt (its `message` begins with "KeepAlive was starved"
 * for a NET-0001 while KeepAlive is on, and says "half-open" for a server that stopped answering;
 * a credential function that failed on a reconnection gives a `network` error with its `cause`).
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
 * Seconds of the original audio (`from`–`to`) that were never transcribed, and why: after a
 * reconnect, audio dropped because the outage outgrew `maxBufferBytes` (oldest first), or audio not
 * yet final that no longer fitted the replay ring (`reconnect.replayMs`). Emitted before the next
 * `Open` (or before the error that ends the session).
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
 * What was sent, what the silence gate kept back and what it cost. The LAST event of a session
 * that ended normally (after `CloseStream`) is a `Usage` with `final: true`, reconciled with
 * Deepgram's `Metadata`; with the `meter` option, running snapshots (`final: false`) come before it.
 *
 * - `audioSeconds`: seconds of audio sent, from the bytes sent and the format in the options
 *   (`encoding` linear16, linear32, mulaw or alaw with `sample_rate` and `channels`). For other
 *   encodings and containerized audio (no `encoding`) the bytes say nothing about time: then it is
 *   `billedSeconds` when Deepgram sent its `Metadata`, else 0.
 * - `gatedSeconds`: seconds of the original audio the silence gate (`gate`) dropped: never sent,
 *   never billed. Without gating it is 0. `audioSeconds + gatedSeconds` is what streaming every
 *   byte would have sent (without replays after reconnects).
 * - `keepAlives`: KeepAlive frames sent. KeepAlives due before the socket opened are not sent and
 *   not counted.
 * - `idleSeconds`: pause time held open by KeepAlive instead of audio. A pause is the time between
 *   two consecutive audio chunks entering the session (after the silence gate, with `gate`: the
 *   silence it drops is pause time; the subscription counts as the first, the audio's completion
 *   as the last); it counts, in full, when a KeepAlive fell due during it while
 *   the socket was open and was sent (then, or later when backpressure let it out). Measured on the
 *   scheduler clock.
 * - `connections`: connections that opened.
 * - `audioBytes`: bytes of audio sent.
 * - `billedSeconds`: the sum of `Metadata.duration` received so far (what Deepgram bills); absent
 *   when no `Metadata` came.
 * - `wallSeconds`: from subscription to this event, on the scheduler clock.
 * - `final`: true for the last event of the session, false for a running snapshot (`meter`).
 * - `closeTimedOut`: true when the server did not close within `closeTimeoutMs` after
 *   `CloseStream`, or `CloseStream` could not go out (no frame written for `closeTimeoutMs` after
 *   the audio completed); the session then closed the socket itself; final results may be missing.
 *   Always false in snapshots.
 * - `mismatchSeconds` (final only, when the format tells the length): `billedSeconds` (0 when no
 *   `Metadata` came) minus `audioSeconds`. Negative: audio sent that no `Metadata` accounts for (a
 *   connection that ended without one, or a server that had not processed the last frames).
 * - `reconciled` (final only, with `mismatchSeconds`): true when `Metadata` came (or no audio was
 *   sent) and the mismatch is at most one chunk per connection (the last audio frame sent on each
 *   connection, added up); false means the bill and the client's count disagree by more than that, or
 *   nothing from the server confirms the bill: check `mismatchSeconds` and `billedSeconds`.
 *
 * @example
 * ```ts
 * import { ofType, transcribe } from 'deepgram-rx';
 * audio$.pipe(transcribe(config), ofType('Usage')).subscribe((u) => {
 *   console.log(`${u.audioSeconds} s sent, ${u.gatedSeconds} s of silence gated away`);
 *   if (u.final && u.reconciled === false) console.warn(`bill differs by ${u.mismatchSeconds} s`);
 * });
 * ```
 */
export interface UsageEvent {
  readonly type: 'Usage';
  readonly audioSeconds: number;
  readonly keepAlives: number;
  readonly idleSeconds: number;
  readonly connections: number;
  readonly audioBytes: number;
  readonly gatedSeconds: number;
  readonly billedSeconds?: number;
  readonly wallSeconds: number;
  readonly final: boolean;
  readonly closeTimedOut: boolean;
  readonly mismatchSeconds?: number;
  readonly reconciled?: boolean;
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

/**
 * Every {@link LiveEventType}, for checks at run time (`ofType` refuses any other name). A record
 * rather than an array, so that the compiler fails here when an event type is added or removed.
 */
const LIVE_EVENT_TYPES: Readonly<Record<LiveEventType, true>> = {
  Results: true,
  Metadata: true,
  UtteranceEnd: true,
  SpeechStarted: true,
  Error: true,
  Unknown: true,
  Open: true,
  Reconnecting: true,
  Gap: true,
  DecodeFailure: true,
  KeepAlive: true,
  Usage: true,
};

/** True when `name` is the `type` of some {@link LiveEvent}. */
export function isLiveEventType(name: string): name is LiveEventType {
  return Object.prototype.hasOwnProperty.call(LIVE_EVENT_TYPES, name);
}

/** The event types, listed for messages. */
export function liveEventTypeNames(): string {
  return Object.keys(LIVE_EVENT_TYPES).join(', ');
}
