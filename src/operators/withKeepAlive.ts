import {
  asyncScheduler,
  Observable,
  type OperatorFunction,
  type SchedulerAction,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import { KEEP_ALIVE, type Frame } from '../protocol/frames';

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

/** Default `idleMs` of {@link withKeepAlive}. */
export const DEFAULT_KEEP_ALIVE_IDLE_MS = 3000;
/** Deepgram closes a socket that receives nothing for 10 s (NET-0001); every delay must stay below it. */
const SERVER_WINDOW_MS = 10000;

function checkDelay(name: 'idleMs' | 'intervalMs', value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value >= SERVER_WINDOW_MS) {
    throw new RangeError(
      `withKeepAlive: ${name} must be a finite number of milliseconds > 0 and < ${SERVER_WINDOW_MS} ` +
        `(Deepgram's inactivity window), got ${String(value)}`,
    );
  }
  return value;
}

/**
 * The times one subscription of {@link withKeepAlive} tracks. Fields of an object rather than
 * closure variables: a field holding a number is updated in place, while a closure variable gets a
 * new heap number for every chunk (a clock reading is not a small integer), which the garbage
 * collector then has to copy out of the young generation for every session.
 */
class KeepAliveState {
  /** A KeepAlive went out since the last chunk. */
  pausing = false;
  lastKeepAliveAt = 0;

  constructor(public lastChunkAt: number) {}
}

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
 * - Completes when the audio completes (no `KEEP_ALIVE` after that); errors when the audio errors.
 * - Unsubscribing tears down the source and the pending timer: nothing stays scheduled.
 * - `idleMs` and `intervalMs` must be finite, > 0 and < 10000 (the server's window); otherwise this
 *   function throws a `RangeError` when called, before anything is subscribed.
 *
 * Design (cheap per chunk, small per subscription): one Observable that subscribes the audio and
 * keeps one scheduled action. A chunk only records `scheduler.now()`; it allocates nothing and touches
 * no timer. The action fires at the deadline it was armed for and either emits a KeepAlive and
 * re-arms itself for `intervalMs`, or (audio came in the meantime) re-arms itself for the remaining
 * time. Only the first chunk after a KeepAlive replaces the action, because that chunk can move the
 * deadline earlier when `intervalMs > idleMs`. A wall clock that steps backwards is clamped, so a
 * KeepAlive is never postponed by more than one period. (This operator runs for every chunk of every
 * session, so it is written as one subscriber rather than composed from ~10 RxJS operators: that
 * took it from ~11 KB to ~2 KB per subscription; see docs/benchmarks.md.)
 *
 * @param config - `idleMs` (default 3000), `intervalMs` (default `idleMs`), `scheduler` (default `asyncScheduler`)
 * @throws RangeError when `idleMs` or `intervalMs` is not finite, ≤ 0 or ≥ 10000
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
  const idleMs = checkDelay('idleMs', config.idleMs ?? DEFAULT_KEEP_ALIVE_IDLE_MS);
  const intervalMs = checkDelay('intervalMs', config.intervalMs ?? idleMs);
  const scheduler = config.scheduler ?? asyncScheduler;

  return (audio$) =>
    new Observable<Frame>((subscriber) => {
      // Per-subscription state. The subscription itself counts as the first chunk.
      const state = new KeepAliveState(scheduler.now());
      let timer: Subscription | undefined;

      // The pending action: at its deadline, emit a KeepAlive or re-arm for the deadline that audio
      // moved. The next KeepAlive is due idleMs after the last chunk, or intervalMs after the last
      // KeepAlive while the pause lasts.
      function fire(this: SchedulerAction<void>): void {
        const now = scheduler.now();
        // A wall clock that stepped backwards: restart the countdown from now.
        if (state.lastChunkAt > now) state.lastChunkAt = now;
        if (state.lastKeepAliveAt > now) state.lastKeepAliveAt = now;
        const dueAt = state.pausing ? state.lastKeepAliveAt + intervalMs : state.lastChunkAt + idleMs;
        if (now < dueAt) {
          this.schedule(undefined, dueAt - now);
          return;
        }
        state.lastKeepAliveAt = now;
        state.pausing = true;
        subscriber.next(KEEP_ALIVE);
        // A chunk sent synchronously in reaction to the KeepAlive replaced this action; an
        // unsubscription closed it.
        if (!this.closed) this.schedule(undefined, intervalMs);
      }

      const arm = (): void => {
        timer?.unsubscribe();
        timer = scheduler.schedule(fire, idleMs);
      };

      subscriber.add(
        audio$.subscribe({
          next: (chunk) => {
            state.lastChunkAt = scheduler.now();
            if (state.pausing) {
              // First chunk after a KeepAlive: the armed action may be for lastKeepAliveAt +
              // intervalMs, later than the new deadline lastChunkAt + idleMs. Re-arm once per pause,
              // never per chunk.
              state.pausing = false;
              arm();
            }
            subscriber.next(chunk);
          },
          error: (err: unknown) => subscriber.error(err),
          complete: () => subscriber.complete(),
        }),
      );
      if (subscriber.closed) return undefined; // the audio ended synchronously: arm nothing
      arm();
      return () => timer?.unsubscribe();
    });
}
