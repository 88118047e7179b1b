/**
 * `transcribe()`: a stream of audio chunks in, a stream of live transcription events out.
 */
import { Observable, type OperatorFunction } from 'rxjs';
import type { LiveEvent } from './liveEvent';
import { runSession } from './session';
import { resolveTranscribeConfig, type TranscribeConfig } from './transcribeConfig';

export type {
  DecodeFailureEvent,
  GapEvent,
  KeepAliveEvent,
  LiveEvent,
  LiveEventType,
  OpenEvent,
  ReconnectingEvent,
  UsageEvent,
} from './liveEvent';
export type {
  SecretSource,
  TranscribeBackpressure,
  TranscribeConfig,
  TranscribeGate,
  TranscribeKeepAlive,
  TranscribeReconnect,
} from './transcribeConfig';

/**
 * Streams audio to Deepgram's live `/v1/listen` API and emits what comes back: each subscription
 * is one transcription session on its own WebSocket.
 *
 * ```text
 * audio:   a-b-c-----------d-|             a pause between c and d
 * socket:  ----O                           opens: a, b, c (queued) go out at once, in order
 * frames:  ----(abc)--k---k---d-C          k KeepAlive during the pause, C CloseStream after the audio
 * events:  ----o------K---K--r---r-m-(u|)  o Open, K KeepAlive, r Results, m Metadata, u Usage
 * ```
 *
 * Semantics:
 * - Call time: the options (`LiveOptionsError`), the KeepAlive delays (`RangeError`) and every other
 *   setting are validated when `transcribe()` is called, before anything connects.
 * - Cold: subscribing connects (calling `apiKey`/`accessToken` when it is a function, sync or async,
 *   for every connection attempt; `accessToken` goes out as `Bearer`) and subscribes the audio at
 *   once. Audio that arrives before the socket opens waits, bounded by `maxBufferBytes`, and goes
 *   out in order when it opens; past the bound the stream errors with an `AudioBufferOverflowError`
 *   (with reconnection on and a raw `encoding`, the oldest audio is dropped instead, and named by a
 *   `Gap` event).
 * - One ordered way out: audio, KeepAlive, `Finalize` (from `finalize$`) and `CloseStream` share one
 *   queue, so a control frame never overtakes audio queued before it. KeepAlives (after `keepAlive.idleMs`
 *   without audio) that fall before the socket opened are not sent. While the socket's
 *   `bufferedAmount` is above `backpressure.highWaterBytes`, frames wait in the same bounded queue
 *   (with at most one KeepAlive among them: the ones due meanwhile are not added).
 *   Audio chunks must be `Uint8Array`s (anything else errors with a `TypeError`); empty ones are skipped.
 * - Out: `Open` (with Deepgram's request id) when the socket opens; every server message as a
 *   `LiveEvent` with its timestamps on the original audio's timeline; a frame that does not decode as
 *   `DecodeFailure` (the session goes on); a `KeepAlive` event for every KeepAlive sent.
 * - End: when the audio completes, `CloseStream` is sent after everything queued; the remaining
 *   results and the `Metadata` are emitted, and when the server closes (1000) a final `Usage`,
 *   then completion. If the server has not closed `closeTimeoutMs` (default 10000) after
 *   `CloseStream` went out (or, before it could go out, no frame was written for `closeTimeoutMs`
 *   after the audio completed: a send buffer that never drained, or a socket still connecting when
 *   `closeTimeoutMs` is shorter than `openTimeoutMs`, which otherwise abandons the attempt first,
 *   as a retried `network` LiveError), the session emits `Usage` with `closeTimedOut: true`,
 *   completes and closes the socket. (With reconnection, a connection lost after `CloseStream` is
 *   retried with the replay and `CloseStream` again, `closeTimeoutMs` counting from there; after
 *   the audio completed the retries never start counting again, so `maxAttempts` bounds them.)
 *   The final `Usage` (`final: true`) is reconciled with the server's
 *   `Metadata.duration` (`reconciled`, `mismatchSeconds`); with `meter` (`everyMs` or `request$`)
 *   the session also emits running `Usage` snapshots (`final: false`) on the scheduler.
 * - Errors: a failed handshake or a close other than 1000 that is not retried (see Reconnection
 *   below; with `reconnect: false`, none is) errors the stream with a `LiveError` (`auth`,
 *   `rate-limit`, `http`, `timeout`, `bad-audio`, `network`, `protocol`); so does a server close
 *   (1000) before `CloseStream`. An error of the audio or of `finalize$` is passed on as is.
 *   The API key or token never appears in an event, an error or a URL.
 * - Teardown: unsubscribing (or any end) closes the socket (1000, without `CloseStream`), and
 *   leaves no timer or listener behind.
 * - Reconnection (`reconnect`: on by default with its defaults; `reconnect: false` turns it off;
 *   see docs/resilience.md): after a transient failure (dropped or refused connection, 1011
 *   NET-0000, 1012/1013, handshake 5xx, 429 after its `Retry-After`, NET-0001 once) the session
 *   emits `Reconnecting` (`attempt`, `delayMs`, `error`), waits with exponential backoff and
 *   jitter on the scheduler, calls the credential supplier again and opens a new connection
 *   (`Open` with the next `attempt`). There it first replays the audio sent since the end of the
 *   last final result (kept in memory, at most `replayMs` of it), then the audio that arrived
 *   during the outage, no faster than `replayRate` × real time (a `Finalize` sent after replayed
 *   audio goes again in its place, and `CloseStream` after the replay); timestamps stay on the
 *   original audio and words already final are not emitted again. Audio that cannot be replayed (the
 *   outage outgrew `maxBufferBytes`, or the replay ring `replayMs`) is named by a `Gap` event.
 *   With `interim_results`, a server silent for `serverSilenceMs` while it owes results is
 *   treated as dead (half-open) and replaced. 401/403, 400 and DATA-0000 are never retried, and
 *   neither is audio without a raw `encoding` once some of it was sent (a container cannot resume
 *   mid-stream: the session errors with a `LiveError` that says so).
 *
 * @param config - options, credentials, transport, KeepAlive, `finalize$`, limits; see {@link TranscribeConfig}
 * @throws LiveOptionsError when `options` or `url` are invalid
 * @throws RangeError when a numeric setting is not a number in its range (`keepAlive` delays,
 *   `closeTimeoutMs`, …; a string such as `'5000'` too)
 * @throws TypeError when another setting has the wrong type (`keepAlive`, `webSocket`, `finalize$`,
 *   `scheduler`, …), or both `apiKey` and `accessToken` are given
 * @example
 * ```ts
 * import { ofType, transcribe } from 'deepgram-rx';
 * import { nodeWebSocket, readWav } from 'deepgram-rx/node';
 *
 * const { format, audio$ } = readWav('samples/pauses-16k.wav');
 * audio$
 *   .pipe(
 *     transcribe({
 *       apiKey: process.env.DEEPGRAM_API_KEY,
 *       options: { model: 'nova-3', ...format, interim_results: true },
 *       webSocket: nodeWebSocket(),
 *     }),
 *     ofType('Results', 'Usage'),
 *   )
 *   .subscribe((event) => {
 *     if (event.type === 'Results' && event.is_final) console.log(event.channel.alternatives[0]?.transcript);
 *     if (event.type === 'Usage') console.log(`${event.audioSeconds} s of audio, ${event.keepAlives} KeepAlives`);
 *   });
 * ```
 */
export function transcribe(config: TranscribeConfig): OperatorFunction<Uint8Array, LiveEvent> {
  const settings = resolveTranscribeConfig(config);
  return (audio$) => new Observable<LiveEvent>((subscriber) => runSession(audio$, settings, subscriber));
}
