import { Observable, type OperatorFunction, type SchedulerLike, type Subscriber } from 'rxjs';
import { KEEP_ALIVE, type Frame } from '../protocol/frames';
import { schedulerOption } from '../protocol/schedulerOption';
import { subscribeLinked } from '../protocol/subscribeLinked';
import {
  DEFAULT_KEEP_ALIVE_IDLE_MS,
  KeepAliveClock,
  keepAliveDelays,
  type KeepAliveDelays,
  type KeepAliveTarget,
} from './keepAliveClock';

/** Configuration of {@link withKeepAlive}. Every field is optional. */
export interface KeepAliveConfig {
  /**
   * Milliseconds without an audio chunk (counted from subscription and from every chunk) after which
   * the first `KEEP_ALIVE` is emitted. Finite, > 0 and < 10000. Default 3000.
   */
  idleMs?: number;
  /**
   * Milliseconds between further `KEEP_ALIVE`s while the pause lasts. Finite, > 0 and < 10000.
   * Default: `idleMs`.
   */
  intervalMs?: number;
  /** Scheduler for the clock and every timer. Default `asyncScheduler` (virtual in `TestScheduler.run`). */
  scheduler?: SchedulerLike;
}

export { DEFAULT_KEEP_ALIVE_IDLE_MS };

/**
 * Keeps a Deepgram live socket open through pauses in the audio: passes every audio chunk through at
 * once, unchanged, and emits `KEEP_ALIVE` (a text frame) whenever no chunk has come for `idleMs`,
 * then every `intervalMs` until the next chunk.
 *
 * ```text
 * idleMs: 3000, k = KEEP_ALIVE
 * audio:  a 4s b 9s |
 * output: a 2999ms k 1000ms b 2999ms k 2999ms k 2999ms k |
 *
 *         a         k          b          k          k          k  |
 * ms:     0      3000       4001       7001      10001      13001  13002
 * ```
 *
 * Semantics:
 * - Each chunk is emitted synchronously, the same `Uint8Array` reference (a binary frame).
 * - The idle time counts from subscription and from every chunk; during a pause `KEEP_ALIVE` comes
 *   at `idleMs`, then every `intervalMs` (default `idleMs`).
 * - Every chunk counts, an empty one (0 bytes) too. Filter empty chunks out before this operator
 *   (`filter((chunk) => chunk.byteLength > 0)`) when your source emits them (some do while muted):
 *   they carry no audio, and Deepgram treats an empty binary frame as its legacy end-of-stream
 *   signal. (`transcribe` drops them itself, and they do not postpone its KeepAlive.)
 * - Completes when the audio completes (no `KEEP_ALIVE` after that); errors when the audio errors.
 * - Unsubscribing tears down the source and the pending timer: nothing stays scheduled.
 * - `idleMs` and `intervalMs` must be finite, > 0 and < 10000 (the server's window); otherwise this
 *   function throws a `RangeError` when called, before anything is subscribed.
 *
 * Design (cheap per chunk, small per subscription): one Observable that subscribes the audio and
 * drives a `KeepAliveClock` (src/operators/keepAliveClock.ts), which keeps one scheduled action. A
 * chunk only records `scheduler.now()`; it allocates nothing and touches no timer. The action fires
 * at the deadline it was armed for and either emits a KeepAlive and re-arms itself for
 * `intervalMs`, or (audio came in the meantime) re-arms itself for the remaining time. Only the
 * first chunk after a KeepAlive replaces the action, because that chunk can move the deadline
 * earlier when `intervalMs > idleMs`. A wall clock that steps backwards is clamped, so a KeepAlive
 * is never postponed by more than one period. (This logic runs for every chunk of every session, so
 * it is written as one subscriber rather than composed from ~10 RxJS operators: that took it from
 * ~11 KB to ~2 KB per subscription; `transcribe` runs the same clock without the operator around
 * it; see docs/benchmarks.md.)
 *
 * @param config - `idleMs` (default 3000), `intervalMs` (default `idleMs`), `scheduler` (default `asyncScheduler`)
 * @throws RangeError when `idleMs` or `intervalMs` is not finite, ≤ 0 or ≥ 10000
 * @throws TypeError when `scheduler` is not an rxjs `SchedulerLike`
 * @example
 * ```ts
 * import { withKeepAlive } from 'deepgram-rx';
 *
 * const subscription = microphone$ // Observable<Uint8Array> that pauses when the user mutes
 *   .pipe(withKeepAlive({ idleMs: 3000 }))
 *   .subscribe((frame) => socket.send(frame)); // audio as binary frames, KeepAlive as text frames
 * ```
 */
export function withKeepAlive(config: KeepAliveConfig = {}): OperatorFunction<Uint8Array, Frame> {
  const delays = keepAliveDelays(config);
  const scheduler = schedulerOption('withKeepAlive', config.scheduler);

  return (audio$) =>
    new Observable<Frame>((subscriber) => {
      // The subscription itself counts as the first chunk.
      const relay = new KeepAliveRelay(subscriber, delays, scheduler);
      subscribeLinked(audio$, subscriber, relay);
      if (subscriber.closed) return undefined; // the audio ended synchronously: arm nothing
      relay.clock.start();
      return () => relay.clock.stop();
    });
}

/** One subscription of {@link withKeepAlive}: the audio's observer and the clock's target. */
class KeepAliveRelay implements KeepAliveTarget {
  readonly clock: KeepAliveClock;

  constructor(
    private readonly subscriber: Subscriber<Frame>,
    delays: KeepAliveDelays,
    scheduler: SchedulerLike,
  ) {
    this.clock = new KeepAliveClock(delays, scheduler, this);
  }

  next(chunk: Uint8Array): void {
    this.clock.chunk();
    this.subscriber.next(chunk);
  }

  error(error: unknown): void {
    this.subscriber.error(error);
  }

  complete(): void {
    this.subscriber.complete();
  }

  keepAliveDue(): void {
    this.subscriber.next(KEEP_ALIVE);
  }
}
