/**
 * The body of one `transcribe()` subscription: wires the audio, the outbox, the connections (one,
 * or a new one after each retryable failure, with replay), the timeline and the meter together,
 * and decides how the session ends.
 */
import {
  timer,
  type Observable,
  type Observer,
  type SchedulerLike,
  type Subscriber,
  type Subscription,
  type TeardownLogic,
} from 'rxjs';
import { CLOSE_STREAM, finalizeFrame, KEEP_ALIVE, type Frame } from '../protocol/frames';
import type { DecodeFailure } from '../protocol/decode';
import type { ServerMessage } from '../protocol/messages';
import { gateSilence, type GatedSpan } from '../operators/gateSilence';
import { KeepAliveClock, type KeepAliveTarget } from '../operators/keepAliveClock';
import { LiveConnection, type LiveConnectionHandler } from '../socket/liveConnection';
import { LiveError } from '../socket/liveError';
import type { SocketOpenEvent } from '../socket/liveSocket';
import { OPEN, type SendTarget } from '../socket/webSocketLike';
import type { LiveEvent, UsageEvent } from './liveEvent';
import type { AudioBufferOverflowError } from './audioBufferOverflowError';
import { CredentialSupplierError } from './credentials';
import { Outbox, type OutboxHooks } from './outbox';
import {
  backoffDelay,
  containerCannotResumeError,
  halfOpenError,
  keepAliveStarvedError,
  openTimeoutError,
  retryDecision,
  type ReconnectSettings,
} from './reconnectPolicy';
import { ReplayRing } from './replayRing';
import { createTimeline } from './timeline';
import type { SessionSettings } from './transcribeConfig';
import { UsageMeter } from './usageMeter';

/** Where the gate's dropped spans fall on the sent audio, to place each sent chunk on the original audio. */
class GatedOffsets {
  private spans: GatedSpan[] = [];
  private head = 0;
  /** Seconds of original audio dropped before the current position. */
  private offset = 0;

  /**
   * @param frameSeconds - one sample frame: a chunk that starts less than that before a span
   *   starts with the rest of a sample split by a chunk boundary (the gate sends whole chunks,
   *   and the rest of a split sample goes out with the next one it sends), so it is after the span
   */
  constructor(private readonly frameSeconds: number) {}

  add(span: GatedSpan): void {
    this.spans.push(span);
  }

  /** Original position of `sentSeconds` of sent audio (the start of the next chunk). */
  originalAt(sentSeconds: number): number {
    for (;;) {
      const span = this.spans[this.head];
      if (span === undefined || span.sentBefore > sentSeconds + this.frameSeconds - 1e-9) break;
      this.offset += span.to - span.from;
      this.head++;
    }
    if (this.head > 0 && this.head === this.spans.length) {
      this.spans = [];
      this.head = 0;
    }
    return sentSeconds + this.offset;
  }
}

function describeChunk(value: unknown): string {
  if (value === null || typeof value !== 'object')
    return typeof value === 'string' ? 'a string' : String(value);
  return `a ${Object.prototype.toString.call(value).slice(8, -1)}`;
}

/**
 * Runs one session for `subscriber`: subscribes the audio (and `finalize$`) at once, connects, and
 * registers every teardown on the subscriber.
 */
export function runSession(
  audio$: Observable<Uint8Array>,
  settings: SessionSettings,
  subscriber: Subscriber<LiveEvent>,
): void {
  new Session(settings, subscriber).start(audio$);
}

/**
 * The session's yes/no state, one bit each in `Session.flags`: thousands of sessions can share a
 * process, and a field per flag costs 8 bytes each.
 */
const METER_PAUSED = 1;
const AUDIO_COMPLETED = 2;
const CLOSE_STREAM_SENT = 4;
const AUDIO_WRITTEN = 8;
const NET0001_RETRIED = 16;
const CONNECTION_OPEN = 32;
const CONNECTION_HEARD = 64;
const CONNECTION_AGED = 128;
const KEEP_ALIVE_WAITING = 256;
const FINAL_USAGE_SENT = 512;
const AUDIO_CLOSED = 1024;

/**
 * One session's state and behaviour. A class rather than closures over shared variables: a
 * session lives as long as its audio and there can be thousands in one process, and methods on
 * the prototype cost nothing per session where ~35 closures and their contexts cost ~3 KB.
 * It is also the audio's subscriber (see {@link Session.add}), the outbox's hooks, the KeepAlive
 * clock's target and the connections' handler: the socket and the KeepAlive deadline are driven directly
 * (`LiveConnection`, `KeepAliveClock`, the objects behind `liveSocket` and `withKeepAlive`), not
 * through a chain of subscribers. With thousands of sessions taking turns, the chunk path runs
 * with cold caches and costs 3–4× what it does hot (docs/benchmarks.md, session bench), so it is
 * kept short: while nothing waits in the outbox, a chunk goes from `next` straight to the socket's
 * send target (the `ws` socket under `nodeWebSocket()`), and what the meter and the timeline need
 * to know of it is kept in the session's own fields until they are read (see {@link recordAudio}).
 * A chunk then touches the session, its KeepAlive clock and the socket, where the outbox, its
 * queue, the connection, the adapter, the meter and three timeline objects would add ~10 objects
 * and their code, each a cache miss when sessions take turns.
 */
class Session implements Observer<unknown>, OutboxHooks, KeepAliveTarget, LiveConnectionHandler {
  private readonly bytesPerSecond: number | undefined;
  private readonly meter: UsageMeter;
  private readonly timeline = createTimeline();
  /** Only with a silence gate. */
  private gated: GatedOffsets | undefined;
  /** Raw audio maps bytes to time: it can be replayed and resumed on a new connection. */
  private readonly ring: ReplayRing | undefined;
  private readonly outbox: Outbox;
  /** The outbox's `highWaterBytes`, read per chunk without the settings object. */
  private readonly highWaterBytes: number;
  /** While the outbox is direct: the open connection's send target (see {@link next}). */
  private sendTarget: SendTarget | undefined;
  /** Bytes of audio written and not told to the meter yet. */
  private unmeteredBytes = 0;
  /** The last audio frame written on the current connection (bytes): the meter's tolerance. */
  private lastFrameBytes = 0;
  /**
   * Audio written and not told to the timeline yet: one stretch of adjacent chunks, from `spanFrom`
   * (s, original audio) for `spanBytes` bytes; it ends at {@link writtenTo}.
   */
  private spanFrom = 0;
  private spanBytes = 0;
  /** The KeepAlive deadline of the audio; undefined with `keepAlive: false`. */
  private readonly keepAlive: KeepAliveClock | undefined;
  private closeTimer: Subscription | undefined;
  /**
   * From the audio's completion until `CloseStream` goes out: `closeTimeoutMs` without a frame
   * written (a send buffer that never drains; a socket still connecting, if `closeTimeoutMs` is
   * shorter than `openTimeoutMs`: the open timer, armed first, otherwise abandons the attempt) ends
   * the session too.
   * Paused while a reconnection waits for its delay. A frame written only records the time: the
   * timer, when it fires, waits again for what is left (one timer per window, not one per frame).
   */
  private drainTimer: Subscription | undefined;
  /** When the last frame was written while `drainTimer` ran (scheduler ms). */
  private drainProgressAt = 0;
  private requestId: string | undefined;
  /** Bytes of (post-gate) audio that entered the session: the next chunk's place. */
  private arrivedBytes = 0;
  private connections = 0;
  private retries = 0;
  private current: LiveConnection | undefined;
  private healthTimer: Subscription | undefined;
  private silenceTimer: Subscription | undefined;
  /**
   * Half-open watch, per connection: audio sent (bytes: an integer, so updating it per chunk
   * allocates nothing), how far the server's Results reached (s).
   */
  private connectionSentBytes = 0;
  private serverHeardTo = 0;
  private retryTimer: Subscription | undefined;
  /** The current attempt's `openTimeoutMs`, from its start until it opens or is lost. */
  private openTimer: Subscription | undefined;
  /** With the replay ring: where the audio written so far ends (s, session timeline). */
  private writtenTo = 0;
  /**
   * With the replay ring: the `Finalize` frames written on this connection after audio that is not
   * final yet, each with where the audio before it ended. A replay sends them again in place.
   */
  private sentFinalizes: { frame: string; at: number }[] | undefined;
  private pendingGap: { from: number; to: number; reason: string } | undefined;

  /** What the audio's producer asked to run when the audio ends (see {@link add}). */
  private audioTeardowns: AudioTeardown | AudioTeardown[] | undefined;
  /** The yes/no state below, packed (see {@link METER_PAUSED} and the flags after it). */
  private flags = 0;

  private setFlag(flag: number, on: boolean): void {
    this.flags = on ? this.flags | flag : this.flags & ~flag;
  }

  /** The meter was told that a KeepAlive fell due in the running pause: the next chunk ends it. */
  private get meterPaused(): boolean {
    return (this.flags & METER_PAUSED) !== 0;
  }
  private set meterPaused(on: boolean) {
    this.setFlag(METER_PAUSED, on);
  }

  /** The audio completed. */
  private get audioCompleted(): boolean {
    return (this.flags & AUDIO_COMPLETED) !== 0;
  }
  private set audioCompleted(on: boolean) {
    this.setFlag(AUDIO_COMPLETED, on);
  }

  /** `CloseStream` was written on the current connection. */
  private get closeStreamSent(): boolean {
    return (this.flags & CLOSE_STREAM_SENT) !== 0;
  }
  private set closeStreamSent(on: boolean) {
    this.setFlag(CLOSE_STREAM_SENT, on);
  }

  /** Audio was written on some connection. */
  private get audioWritten(): boolean {
    return (this.flags & AUDIO_WRITTEN) !== 0;
  }
  private set audioWritten(on: boolean) {
    this.setFlag(AUDIO_WRITTEN, on);
  }

  /** A NET-0001 close was retried, and no healthy connection with audio on it came since. */
  private get net0001Retried(): boolean {
    return (this.flags & NET0001_RETRIED) !== 0;
  }
  private set net0001Retried(on: boolean) {
    this.setFlag(NET0001_RETRIED, on);
  }

  /** The current connection is open. */
  private get connectionOpen(): boolean {
    return (this.flags & CONNECTION_OPEN) !== 0;
  }
  private set connectionOpen(on: boolean) {
    this.setFlag(CONNECTION_OPEN, on);
  }

  /** The server has sent a frame on the current connection. */
  private get connectionHeard(): boolean {
    return (this.flags & CONNECTION_HEARD) !== 0;
  }
  private set connectionHeard(on: boolean) {
    this.setFlag(CONNECTION_HEARD, on);
  }

  /** The current connection has been open `healthyAfterMs` (see {@link markHealthy}). */
  private get connectionAged(): boolean {
    return (this.flags & CONNECTION_AGED) !== 0;
  }
  private set connectionAged(on: boolean) {
    this.setFlag(CONNECTION_AGED, on);
  }

  /** A KeepAlive was pushed and is not written yet (it waits in the outbox). */
  private get keepAliveWaiting(): boolean {
    return (this.flags & KEEP_ALIVE_WAITING) !== 0;
  }
  private set keepAliveWaiting(on: boolean) {
    this.setFlag(KEEP_ALIVE_WAITING, on);
  }

  /** The final `Usage` is being (or was) emitted: no running snapshot may follow it. */
  private get finalUsageSent(): boolean {
    return (this.flags & FINAL_USAGE_SENT) !== 0;
  }
  private set finalUsageSent(on: boolean) {
    this.setFlag(FINAL_USAGE_SENT, on);
  }

  /** The audio ended (completed or failed) or the session was torn down: nothing more is taken from it. */
  private get audioClosed(): boolean {
    return (this.flags & AUDIO_CLOSED) !== 0;
  }
  private set audioClosed(on: boolean) {
    this.setFlag(AUDIO_CLOSED, on);
  }

  private get scheduler(): SchedulerLike {
    return this.settings.scheduler;
  }

  private get reconnect(): ReconnectSettings | undefined {
    return this.settings.reconnect;
  }

  constructor(
    private readonly settings: SessionSettings,
    private readonly subscriber: Subscriber<LiveEvent>,
  ) {
    this.bytesPerSecond = settings.bytesPerSecond;
    this.meter = new UsageMeter(settings.scheduler.now(), this.bytesPerSecond);
    const resumable = this.bytesPerSecond !== undefined;
    this.ring =
      this.reconnect === undefined || !resumable ? undefined : new ReplayRing(this.reconnect.replayMs / 1000);
    this.outbox = new Outbox(settings, this, this.ring !== undefined);
    this.highWaterBytes = settings.highWaterBytes;
    // The subscription counts as the first chunk (as in withKeepAlive).
    this.keepAlive =
      settings.keepAlive === undefined
        ? undefined
        : new KeepAliveClock(settings.keepAlive, this.scheduler, this);
  }

  /** Registers the teardown, connects, then subscribes the audio and the optional inputs. */
  start(audio$: Observable<Uint8Array>): void {
    const { subscriber, settings } = this;
    subscriber.add(this); // its unsubscribe() is the teardown

    this.connect();
    if (subscriber.closed) return;

    // The audio, subscribed at once: chunks wait in the outbox until the socket opens.
    const gate = settings.gate;
    const frameSeconds = settings.frameBytes / (this.bytesPerSecond ?? Infinity);
    const gated = gate === undefined ? undefined : (this.gated = new GatedOffsets(frameSeconds));
    const source$ =
      gate === undefined
        ? audio$
        : audio$.pipe(
            gateSilence({
              ...gate,
              onGate: (span) => {
                gated?.add(span);
                this.meter.gated(span.to - span.from);
                gate.onGate?.(span);
              },
            }),
          );
    // The session is the audio's subscriber itself (see {@link add}), added to the caller's
    // subscriber above: a session that ends during a synchronous source's emission stops it. A
    // version of rxjs that wrapped it anyway returns its own subscriber, which the session then holds.
    const audioSubscription: unknown = source$.subscribe(this);
    if (audioSubscription !== this) this.add(audioSubscription as Subscription);
    if (subscriber.closed) return;
    // The audio ended synchronously: arm nothing.
    if (!this.audioCompleted) this.keepAlive?.start();

    const finalize$ = settings.finalize$;
    if (finalize$ !== undefined) {
      subscriber.add(
        finalize$.subscribe({
          next: (channel) => {
            if (this.audioCompleted) return;
            let frame: string;
            try {
              frame = finalizeFrame((channel as number | null | undefined) ?? undefined);
            } catch (error) {
              this.fail(error);
              return;
            }
            this.outbox.push(frame);
          },
          error: (error: unknown) => this.fail(error),
        }),
      );
    }

    // Running Usage snapshots (the meter option), until the session ends.
    const meter$ = settings.meter$;
    if (meter$ !== undefined) {
      subscriber.add(
        meter$.subscribe({
          // None once the final Usage is being emitted: a consumer asking in reaction to it
          // would otherwise get a snapshot after it, and the final Usage must be the last event.
          next: () => {
            if (!this.finalUsageSent) subscriber.next(this.usage(false));
          },
          error: (error: unknown) => this.fail(error),
        }),
      );
    }
  }

  /** KeepAlive clock: a pause reached its deadline. */
  keepAliveDue(): void {
    // Nothing to keep alive before the socket is open. The meter dates the pause now, from its last
    // chunk, so that a KeepAlive written late (behind backpressure) or after skipped ones still
    // counts it whole, and a chunk that comes while this one waits still ends it; the tag names the
    // pause that the KeepAlive confirms when it is written. At most one KeepAlive waits in the
    // outbox (behind backpressure or a paced replay): more would go out in one burst when it
    // drains, and could fill the bounded queue.
    const keepAlive = this.keepAlive;
    if (keepAlive === undefined || !this.outbox.attached || this.keepAliveWaiting) return;
    const pauseStartedAt = keepAlive.pauseStartedAt;
    this.meter.pauseKeptAlive(pauseStartedAt);
    this.meterPaused = true;
    this.keepAliveWaiting = true;
    this.outbox.push(KEEP_ALIVE, pauseStartedAt);
  }

  /** Audio subscriber: a chunk (after the gate, if any). */
  next(frame: unknown): void {
    if (this.audioClosed) return;
    if (!(frame instanceof Uint8Array)) {
      this.fail(new TypeError(`transcribe: audio chunks must be Uint8Array, got ${describeChunk(frame)}`));
      return;
    }
    // An empty binary frame would be Deepgram's legacy end-of-stream signal: never send one. It is
    // not audio either, so it neither ends a pause nor postpones the next KeepAlive (a source that
    // emits empty chunks while muted would otherwise let the server close with NET-0001).
    const byteLength = frame.byteLength;
    if (byteLength === 0) return;
    this.keepAlive?.chunk();
    // The meter needs the time only for the first chunk after a KeepAlive: no clock read per chunk.
    if (this.meterPaused) {
      this.meterPaused = false;
      this.meter.audioArrived(this.scheduler.now());
    }
    let from = Number.NaN;
    const bytesPerSecond = this.bytesPerSecond;
    if (bytesPerSecond !== undefined) {
      const sentSeconds = this.arrivedBytes / bytesPerSecond;
      from = this.gated === undefined ? sentSeconds : this.gated.originalAt(sentSeconds);
      this.arrivedBytes += byteLength;
    }
    // Nothing waits in the outbox: write to the socket as the outbox's own fast path would (same
    // checks: open, send buffer at most highWaterBytes), without the outbox and the connection.
    const target = this.sendTarget;
    if (target !== undefined && target.readyState === OPEN && target.bufferedAmount <= this.highWaterBytes) {
      try {
        target.send(frame);
      } catch (error) {
        this.current?.sendFailed(error);
      }
      this.recordAudio(frame, from);
      return;
    }
    this.outbox.push(frame, from);
  }

  /** Outbox hook: the outbox became direct (nothing waits, a socket is attached) or stopped being. */
  directChanged(direct: boolean): void {
    this.sendTarget = direct ? this.current?.sendTarget : undefined;
  }

  /** Audio subscriber: the audio failed; the session ends with its error. */
  error(error: unknown): void {
    if (this.audioClosed) return;
    this.releaseAudio();
    this.fail(error);
  }

  /** Audio subscriber: the audio completed: flush and close (CloseStream), then wait for the server's close. */
  complete(): void {
    if (this.audioClosed) return;
    this.releaseAudio();
    this.audioCompleted = true;
    this.keepAlive?.stop();
    this.meter.audioCompleted(this.scheduler.now());
    this.outbox.push(CLOSE_STREAM);
    this.armDrainWatch();
  }

  /** (Re)starts the wait for `CloseStream` to go out (see {@link drainTimer}). */
  private armDrainWatch(): void {
    this.drainTimer = stopTimer(this.drainTimer);
    if (this.closeStreamSent || this.retryTimer !== undefined || this.subscriber.closed) return;
    this.drainProgressAt = this.scheduler.now();
    this.waitForDrain(this.settings.closeTimeoutMs);
  }

  private waitForDrain(delayMs: number): void {
    this.drainTimer = timer(delayMs, this.scheduler).subscribe(() => {
      this.drainTimer = undefined;
      const left = this.drainProgressAt + this.settings.closeTimeoutMs - this.scheduler.now();
      if (left > 0) this.waitForDrain(left);
      else this.finish(true);
    });
  }

  /*
   * The session is the audio's subscriber: rxjs takes an object with `next`, `error`, `complete`,
   * `closed`, `add`, `remove` and `unsubscribe` as a Subscriber and hands it to the audio's producer
   * (and to the operators before it) as it is. Wrapped as a plain observer, the audio would cost a
   * SafeSubscriber and its observer (~100 bytes a session) and two more calls per chunk. What
   * rxjs's Subscriber does for a producer is done here: nothing is taken once the audio ended or the
   * session was torn down (`closed`), and the teardowns the producer added then run.
   */

  /** Audio subscriber: the audio ended, or the session was torn down. */
  get closed(): boolean {
    return this.audioClosed;
  }

  /**
   * Audio subscriber: keeps the producer's teardown (an operator's subscriber, the source's own
   * cleanup) until the audio ends or the session is torn down; runs it at once after that.
   */
  add(teardown: TeardownLogic): void {
    // Like rxjs, nothing to keep for a producer that returned nothing (or, from JavaScript, null).
    if (teardown === undefined || (teardown as unknown) === null || (teardown as unknown) === this) return;
    if (this.audioClosed) {
      runTeardowns(teardown);
      return;
    }
    const held = this.audioTeardowns;
    if (held === undefined) this.audioTeardowns = teardown;
    else if (Array.isArray(held)) held.push(teardown);
    else this.audioTeardowns = [held, teardown];
  }

  /** Audio subscriber: forgets a teardown that ended on its own. */
  remove(teardown: TeardownLogic): void {
    const held = this.audioTeardowns;
    if (held === teardown) this.audioTeardowns = undefined;
    else if (Array.isArray(held) && teardown !== undefined) {
      const index = held.indexOf(teardown);
      if (index >= 0) held.splice(index, 1);
    }
  }

  /** The audio ended or the session is torn down: take nothing more from it, run its teardowns. */
  private releaseAudio(): void {
    if (this.audioClosed) return;
    this.audioClosed = true;
    const held = this.audioTeardowns;
    this.audioTeardowns = undefined;
    if (held !== undefined) runTeardowns(held);
  }

  /**
   * The session's teardown (the subscriber calls it at any end: `subscriber.add(session)`). Called
   * by the audio's producer on the subscriber it was given while the session goes on, it only ends
   * the audio's subscription, as it would for a subscriber of rxjs's own.
   */
  unsubscribe(): void {
    this.releaseAudio();
    if (!this.subscriber.closed) return;
    this.outbox.dispose();
    this.keepAlive?.stop();
    this.current?.close();
    this.closeTimer = stopTimer(this.closeTimer);
    this.drainTimer = stopTimer(this.drainTimer);
    this.healthTimer = stopTimer(this.healthTimer);
    this.silenceTimer = stopTimer(this.silenceTimer);
    this.retryTimer = stopTimer(this.retryTimer);
    this.openTimer = stopTimer(this.openTimer);
  }

  private flushGap(): void {
    const pendingGap = this.pendingGap;
    if (pendingGap === undefined) return;
    const { from, to, reason } = pendingGap;
    this.pendingGap = undefined;
    this.subscriber.next({ type: 'Gap', from: round6(from), to: round6(to), reason });
  }

  private addGap(from: number, to: number, reason: string): void {
    const pendingGap = this.pendingGap;
    if (pendingGap !== undefined && pendingGap.reason === reason && from <= pendingGap.to + 1e-6) {
      this.pendingGap = { from: pendingGap.from, to: Math.max(pendingGap.to, to), reason };
      return;
    }
    this.flushGap();
    this.pendingGap = { from, to, reason };
  }

  fail(error: unknown): void {
    if (this.subscriber.closed) return;
    this.flushGap();
    this.subscriber.error(error);
  }

  /** Outbox hook: the outage buffer overflowed. */
  overflow(error: AudioBufferOverflowError): void {
    this.fail(error);
  }

  private finish(closeTimedOut: boolean): void {
    if (this.subscriber.closed) return;
    // Audio that was dropped while no connection was open (it never opened, or never again).
    this.flushGap();
    this.finalUsageSent = true;
    this.subscriber.next(this.usage(true, closeTimedOut));
    this.subscriber.complete();
  }

  /** Audio the server has not reported on yet (seconds on the connection's clock). */
  private unreported(): number {
    return this.connectionSentBytes / (this.bytesPerSecond ?? 1) - this.serverHeardTo;
  }

  /**
   * Half-open detection (with interim results): `serverSilenceMs` without a server message while
   * the server owes results: more than {@link UNREPORTED_SLACK_SECONDS} of the audio sent on this
   * connection is not covered by its Results. A shorter tail is not owed: Deepgram reports about
   * once per second of audio, and in a KeepAlive pause it may say nothing about the last fraction
   * until more audio comes. (While audio flows to a dead server the tail grows past that at once.)
   */
  private armSilence(): void {
    const reconnect = this.reconnect;
    if (reconnect === undefined || !this.settings.interimResults || !this.connectionOpen) return;
    if (this.subscriber.closed) return;
    if (this.silenceTimer !== undefined || this.unreported() <= 1e-6) return;
    this.silenceTimer = timer(reconnect.serverSilenceMs, this.scheduler).subscribe(() => {
      this.silenceTimer = undefined;
      if (this.unreported() > UNREPORTED_SLACK_SECONDS) {
        this.connectionLost(halfOpenError(reconnect.serverSilenceMs, this.requestId));
      }
    });
  }

  /** The server spoke; `heardTo`: the end of its Results on the connection's clock (before rebasing). */
  private serverSpoke(heardTo?: number): void {
    if (!this.connectionHeard) {
      this.connectionHeard = true;
      if (this.connectionAged) this.markHealthy();
    }
    if (heardTo !== undefined) this.serverHeardTo = Math.max(this.serverHeardTo, heardTo);
    this.silenceTimer = stopTimer(this.silenceTimer);
    this.armSilence();
  }

  /**
   * The current connection proves healthy, and the retry count starts again, once it has been open
   * `healthyAfterMs` and the server has spoken on it (or no audio was sent on it: a pause held by
   * KeepAlive owes no answer). A server that takes audio and never answers is not healthy however
   * long it stays open, or half-open detection would replace it forever. Once the audio has
   * completed, a connection only flushes the end: the count is not reset, so `maxAttempts` bounds
   * the reconnections after the audio.
   */
  private markHealthy(): void {
    if (this.audioCompleted || (!this.connectionHeard && this.connectionSentBytes > 0)) return;
    this.retries = 0;
    // The one retry after NET-0001 comes back only once audio flowed again: a connection that
    // stays open without audio (KeepAlive off, audio paused) lasts 10 s, longer than
    // healthyAfterMs, and would otherwise reconnect every 10 s for as long as the pause.
    if (this.connectionSentBytes > 0) this.net0001Retried = false;
  }

  /** Hands the audio written since the last call to the meter (see {@link recordAudio}). */
  private meterAudio(): void {
    if (this.unmeteredBytes === 0) return;
    this.meter.audioSent(this.unmeteredBytes, this.lastFrameBytes);
    this.unmeteredBytes = 0;
  }

  /** The running (`final: false`) or the final `Usage`, with every written chunk counted. */
  private usage(final: boolean, closeTimedOut = false): UsageEvent {
    this.meterAudio();
    const now = this.scheduler.now();
    return final ? this.meter.usage(now, closeTimedOut) : this.meter.snapshot(now);
  }

  /**
   * An audio frame was written (by the outbox or by {@link next}), with its place on the original
   * audio (NaN when unknown). The meter's count and the timeline's mapping are updated lazily: the
   * bytes add up in {@link unmeteredBytes} until a `Usage` is made, and adjacent chunks add up in
   * one span until a server message (or a new connection) needs the mapping ({@link flushSpan}).
   */
  private recordAudio(frame: Uint8Array, from: number): void {
    // Progress while CloseStream waits behind other frames: the wait counts from here.
    if (this.drainTimer !== undefined) this.drainProgressAt = this.scheduler.now();
    const byteLength = frame.byteLength;
    this.unmeteredBytes += byteLength;
    this.lastFrameBytes = byteLength;
    this.audioWritten = true;
    const bytesPerSecond = this.bytesPerSecond;
    if (bytesPerSecond !== undefined && !Number.isNaN(from)) {
      const seconds = byteLength / bytesPerSecond;
      if (this.spanBytes > 0 && Math.abs(from - this.writtenTo) <= ADJACENT_SECONDS) {
        this.spanBytes += byteLength;
      } else {
        this.flushSpan();
        this.spanFrom = from;
        this.spanBytes = byteLength;
      }
      this.ring?.add({ bytes: frame, from, seconds });
      this.writtenTo = from + seconds;
      this.connectionSentBytes += byteLength;
    }
    if (this.reconnect !== undefined) this.armSilence();
  }

  /** Tells the timeline of the span of written audio it has not been told of yet. */
  private flushSpan(): void {
    const bytes = this.spanBytes;
    if (bytes === 0) return;
    this.spanBytes = 0;
    this.timeline.sent(this.spanFrom, bytes / this.bytesPerSecond!);
  }

  /** Outbox hook: a frame went to the socket. */
  written(frame: Frame, from: number): void {
    if (typeof frame !== 'string') {
      // Audio dropped from the paced backlog on this connection: named before the audio after it.
      this.flushGap();
      this.recordAudio(frame, from);
      return;
    }
    // Progress while CloseStream waits behind other frames: the wait counts from here.
    if (this.drainTimer !== undefined) this.drainProgressAt = this.scheduler.now();
    if (frame === KEEP_ALIVE) {
      this.keepAliveWaiting = false;
      this.meter.keepAliveSent(from);
      this.subscriber.next({ type: 'KeepAlive', at: this.scheduler.now() - this.meter.startedAt });
    } else if (frame === CLOSE_STREAM && !this.closeStreamSent) {
      this.closeStreamSent = true;
      this.drainTimer = stopTimer(this.drainTimer);
      this.closeTimer = timer(this.settings.closeTimeoutMs, this.scheduler).subscribe(() =>
        this.finish(true),
      );
    } else if (this.ring !== undefined && frame.startsWith(FINALIZE_PREFIX)) {
      this.recordFinalize(frame);
    }
  }

  /**
   * Keeps a written Finalize for a replay, once per frame and position: the same Finalize again
   * with no audio in between asks for nothing more, and a pause in which the server says nothing
   * (nothing trims the list) would otherwise hold one entry per Finalize sent.
   */
  private recordFinalize(frame: string): void {
    const at = this.writtenTo;
    const finalizes = (this.sentFinalizes ??= []);
    for (let i = finalizes.length - 1; i >= 0 && finalizes[i]!.at === at; i--) {
      if (finalizes[i]!.frame === frame) return;
    }
    finalizes.push({ frame, at });
  }

  /**
   * Outbox hook: an audio frame dropped from the outage buffer (during the outage, or from the
   * backlog paced out after it); its span will never be transcribed.
   */
  dropped(frame: Uint8Array, from: number): void {
    const bytesPerSecond = this.bytesPerSecond;
    if (bytesPerSecond === undefined || Number.isNaN(from)) return;
    this.addGap(
      from,
      from + frame.byteLength / bytesPerSecond,
      'outage buffer full (maxBufferBytes): oldest audio dropped',
    );
  }

  private onMessage(message: ServerMessage): void {
    if (message.type === 'Metadata') this.meter.metadata(message.duration);
    // Every time in the message is covered by the audio written before it came.
    this.flushSpan();
    // The decoded message is the session's own (fresh from the decoder): rebased in place.
    const event = this.timeline.dedupe(this.timeline.rebaseOwned(message));
    const ring = this.ring;
    if (ring !== undefined) {
      const finalizedUpTo = this.timeline.finalizedUpTo;
      ring.trim(finalizedUpTo);
      const finalizes = this.sentFinalizes;
      if (finalizes !== undefined && finalizes[0]!.at <= finalizedUpTo + 1e-6) {
        const pending = finalizes.filter((f) => f.at > finalizedUpTo + 1e-6);
        this.sentFinalizes = pending.length === 0 ? undefined : pending;
      }
    }
    if (event !== undefined) this.subscriber.next(event);
  }

  /** Connection handler: the socket opened; the outbox writes to it from now on (queued frames first). */
  socketOpened(event: SocketOpenEvent, socket: LiveConnection): void {
    this.openTimer = stopTimer(this.openTimer);
    const requestId = event.requestId;
    this.requestId = requestId;
    this.connectionOpen = true;
    this.connectionSentBytes = 0;
    this.serverHeardTo = 0;
    this.connectionHeard = false;
    this.connectionAged = false;
    this.sentFinalizes = undefined;
    // The audio of the connection before is metered as its own (its last frame is its tolerance).
    this.meterAudio();
    this.lastFrameBytes = 0;
    this.meter.connectionOpened();
    // The audio written on the connection before belongs to its clock.
    this.flushSpan();
    this.timeline.connectionOpened();
    this.flushGap();
    this.subscriber.next(
      requestId === undefined
        ? { type: 'Open', attempt: this.connections }
        : { type: 'Open', requestId, attempt: this.connections },
    );
    // The consumer may have unsubscribed in reaction to Open (or the Gap before it).
    if (this.subscriber.closed) return;
    const reconnect = this.reconnect;
    if (reconnect !== undefined) {
      this.healthTimer = timer(reconnect.healthyAfterMs, this.scheduler).subscribe(() => {
        this.healthTimer = undefined;
        this.connectionAged = true;
        this.markHealthy();
      });
      // Replay and backlog go out no faster than Deepgram ingests (the frames drain right after this).
      if (this.connections > 1 && this.bytesPerSecond !== undefined) {
        this.outbox.pace((this.bytesPerSecond * reconnect.replayRate) / 1000);
      }
    }
    if (this.current === socket) this.outbox.attach(socket);
  }

  /** Connection handler: a server message. */
  socketMessage(message: ServerMessage): void {
    // Read before onMessage rebases the message in place onto the session timeline: the half-open
    // watch compares it with the audio sent on this connection, whose clock starts at 0 on every
    // connection and skips what the gate dropped.
    const heardTo = message.type === 'Results' ? message.start + message.duration : undefined;
    this.onMessage(message);
    // The consumer may have unsubscribed in reaction to the event: arm nothing then.
    if (!this.subscriber.closed) this.serverSpoke(heardTo);
  }

  /** Connection handler: a server frame that did not decode. */
  socketDecodeFailure(failure: DecodeFailure): void {
    this.serverSpoke();
    this.subscriber.next({ type: 'DecodeFailure', failure });
  }

  /** Connection handler: the server closed with 1000. */
  serverClosed(): void {
    if (this.closeStreamSent) {
      this.finish(false);
      return;
    }
    const requestId = this.requestId;
    this.connectionLost(
      new LiveError({
        kind: 'network',
        closeCode: 1000,
        message:
          'the server closed the connection (1000) before the audio ended (no CloseStream was sent); ' +
          'the rest of the audio was not transcribed',
        ...(requestId === undefined ? {} : { requestId }),
      }),
    );
  }

  /**
   * What a failed credential supplier ends the attempt with: on the first attempt its own error
   * (passed on as is: most likely a setup problem), on a reconnection a `network` LiveError that is
   * retried with backoff (the outage that broke the connection often breaks a token fetch too).
   */
  private credentialError(error: unknown): unknown {
    if (!(error instanceof CredentialSupplierError)) return error;
    if (this.connections === 1) return error.error;
    return new LiveError({
      kind: 'network',
      message: `${error.message} (reconnection attempt ${this.retries})`,
      cause: error.error,
    });
  }

  /** Opens one connection (attempt number `connections`). */
  private connect(): void {
    this.connections++;
    const { url, webSocket, credentials } = this.settings;
    const socket = new LiveConnection(url, webSocket, this);
    this.current = socket;
    const openTimeoutMs = this.settings.openTimeoutMs;
    this.openTimer = timer(openTimeoutMs, this.scheduler).subscribe(() => {
      this.openTimer = undefined;
      // A refusal already known (its body still coming) is what ended the attempt: a 401 stays auth.
      if (this.current === socket)
        this.connectionLost(socket.refusal() ?? openTimeoutError(openTimeoutMs, url));
    });
    // The supplier is called for every attempt, sync or async; what it throws or rejects with ends
    // the attempt like a failed connection (connectionLost).
    let supplied: ReturnType<NonNullable<typeof credentials>>;
    try {
      supplied = credentials?.();
    } catch (error) {
      socket.abort(this.credentialError(error));
      return;
    }
    if (supplied instanceof Promise) {
      supplied.then(
        (resolved) => socket.connect(resolved),
        (error: unknown) => socket.abort(this.credentialError(error)),
      );
    } else {
      socket.connect(supplied);
    }
  }

  /**
   * The current connection failed (or is dead): close it, then reconnect with backoff when the
   * policy allows, queueing the audio to replay first; otherwise end the session with `error`.
   */
  connectionLost(error: unknown): void {
    if (this.subscriber.closed) return;
    const lost = this.current;
    this.current = undefined;
    this.connectionOpen = false;
    this.healthTimer = stopTimer(this.healthTimer);
    this.silenceTimer = stopTimer(this.silenceTimer);
    this.closeTimer = stopTimer(this.closeTimer);
    this.drainTimer = stopTimer(this.drainTimer);
    this.openTimer = stopTimer(this.openTimer);
    lost?.close();
    this.outbox.detach();
    const reconnect = this.reconnect;
    if (reconnect === undefined) {
      this.fail(error);
      return;
    }
    const decision = retryDecision(error, this.net0001Retried);
    if (!decision.retry || !(error instanceof LiveError) || this.retries >= reconnect.maxAttempts) {
      this.fail(error);
      return;
    }
    const ring = this.ring;
    if (this.audioWritten && ring === undefined) {
      this.fail(containerCannotResumeError(error));
      return;
    }
    this.retries++;
    let reported = error;
    if (error.code === 'NET-0001') {
      this.net0001Retried = true;
      // With KeepAlive off, the close says what happened; with it on, KeepAlive should have prevented it.
      if (this.keepAlive !== undefined) reported = keepAliveStarvedError(error);
    }
    const delayMs = backoffDelay(this.retries, reconnect, decision.minDelayMs);
    if (ring !== undefined) {
      const { chunks, lost: evicted } = ring.take();
      if (evicted !== undefined) {
        this.addGap(
          evicted.from,
          evicted.to,
          'replay buffer full (reconnect.replayMs): audio not final was not kept',
        );
      }
      const frames: Frame[] = [];
      const tags: number[] = [];
      // Nothing to replay: everything written is final, and so is what a Finalize asked for.
      const finalizes = chunks.length === 0 ? [] : (this.sentFinalizes ?? []);
      let next = 0;
      for (const chunk of chunks) {
        // A Finalize that came after audio before this chunk goes again in the same place.
        while (next < finalizes.length && finalizes[next]!.at <= chunk.from + 1e-6) {
          if (finalizes[next]!.at > chunks[0]!.from + 1e-6) pushFrame(frames, tags, finalizes[next]!.frame);
          next++;
        }
        pushFrame(frames, tags, chunk.bytes, chunk.from);
      }
      for (; next < finalizes.length; next++) pushFrame(frames, tags, finalizes[next]!.frame);
      this.outbox.prepend(frames, tags);
    }
    if (this.closeStreamSent) {
      // The audio had ended: ask the new connection to flush again, after the replay.
      this.closeStreamSent = false;
      this.outbox.push(CLOSE_STREAM);
    }
    this.subscriber.next({ type: 'Reconnecting', attempt: this.retries, delayMs, error: reported });
    // The consumer may have unsubscribed in reaction to Reconnecting: no new connection then.
    if (this.subscriber.closed) return;
    this.retryTimer = timer(delayMs, this.scheduler).subscribe(() => {
      this.retryTimer = undefined;
      this.connect();
      if (this.audioCompleted) this.armDrainWatch();
    });
  }
}

/** A Finalize frame (`finalizeFrame()`, with or without a channel) starts with this. */
const FINALIZE_PREFIX = '{"type":"Finalize"';

function pushFrame(frames: Frame[], tags: number[], frame: Frame, tag = Number.NaN): void {
  frames.push(frame);
  tags.push(tag);
}

/** A teardown given to {@link Session.add}. */
type AudioTeardown = Exclude<TeardownLogic, void>;

/**
 * Runs teardowns as rxjs's `Subscription.unsubscribe` does: every one of them, then the first
 * error one of them threw (rxjs gathers them in an `UnsubscriptionError`).
 */
function runTeardowns(teardowns: AudioTeardown | readonly AudioTeardown[]): void {
  // (Array.isArray narrows a readonly array to any[].)
  const list = (Array.isArray(teardowns) ? teardowns : [teardowns]) as readonly AudioTeardown[];
  let failure: { error: unknown } | undefined;
  for (const teardown of list) {
    try {
      if (typeof teardown === 'function') teardown();
      else teardown.unsubscribe();
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure !== undefined) throw failure.error;
}

function stopTimer(timerSubscription: Subscription | undefined): undefined {
  timerSubscription?.unsubscribe();
  return undefined;
}

/**
 * Chunks closer than this (s) on the original audio are adjacent: positions come from byte counts,
 * so they may differ by float noise, where a real gap is at least one sample (as in the timeline).
 */
const ADJACENT_SECONDS = 1e-6;

/** Unreported audio (s) beyond which a server that has gone silent owes results (see armSilence). */
const UNREPORTED_SLACK_SECONDS = 1;

/** Rounds to microseconds, so spans of float seconds print cleanly. */
function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
