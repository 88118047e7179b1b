/**
 * The KeepAlive deadline of one audio stream, as an object: what `withKeepAlive` runs per
 * subscription, and what `transcribe` runs per session without an operator in between.
 */
import type { SchedulerAction, SchedulerLike, Subscription } from 'rxjs';

/** Default `idleMs` of `withKeepAlive` and of `transcribe`'s `keepAlive`. */
export const DEFAULT_KEEP_ALIVE_IDLE_MS = 3000;
/** Deepgram closes a socket that receives nothing for 10 s (NET-0001); every delay must stay below it. */
const SERVER_WINDOW_MS = 10000;

/** The two delays of a KeepAlive schedule, validated. */
export interface KeepAliveDelays {
  /** Milliseconds after the last chunk (or the start) until the first KeepAlive of a pause. */
  readonly idleMs: number;
  /** Milliseconds between further KeepAlives while the pause lasts. */
  readonly intervalMs: number;
}

function checkDelay(owner: string, name: string, value: unknown): number {
  // A RangeError for a value of another type too (the contract of withKeepAlive): it is not a
  // number of milliseconds in the range.
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value >= SERVER_WINDOW_MS) {
    const found = typeof value === 'number' ? String(value) : value === null ? 'null' : `a ${typeof value}`;
    throw new RangeError(
      `${owner}: ${name} must be a finite number of milliseconds > 0 and < ${SERVER_WINDOW_MS} ` +
        `(Deepgram's inactivity window), got ${found}`,
    );
  }
  return value;
}

/**
 * Applies the defaults (`idleMs` 3000, `intervalMs` = `idleMs`) and checks both delays.
 *
 * @param config - the delays as given
 * @param owner - who is checking, for the message: `'withKeepAlive'` (default) or `'transcribe'`
 * @param path - what the delays are called in the owner's config: `''` (default) or `'keepAlive.'`
 * @throws RangeError when a delay is not a finite number > 0 and < 10000 (Deepgram's inactivity window)
 */
export function keepAliveDelays(
  config: { idleMs?: number; intervalMs?: number },
  owner = 'withKeepAlive',
  path = '',
): KeepAliveDelays {
  // `=== undefined`, not `??`: a null (from JSON, say) is not a delay, and is refused.
  const idleMs = checkDelay(
    owner,
    `${path}idleMs`,
    config.idleMs === undefined ? DEFAULT_KEEP_ALIVE_IDLE_MS : config.idleMs,
  );
  const intervalMs = checkDelay(
    owner,
    `${path}intervalMs`,
    config.intervalMs === undefined ? idleMs : config.intervalMs,
  );
  return { idleMs, intervalMs };
}

/** Who a {@link KeepAliveClock} tells that a KeepAlive is due. */
export interface KeepAliveTarget {
  keepAliveDue(): void;
}

/**
 * The deadline logic of `withKeepAlive`, without an Observable: `chunk()` for every audio chunk,
 * `keepAliveDue()` on the target when `idleMs` passed without one, then every `intervalMs` until
 * the next chunk.
 *
 * One scheduled action at a time. A chunk only records `scheduler.now()` (in a field: a number
 * field is updated in place, where a closure variable would get a new heap number per chunk). The
 * action fires at the deadline it was armed for and either reports a KeepAlive and re-arms itself
 * for `intervalMs`, or (audio came in the meantime) re-arms itself for the remaining time. Only the
 * first chunk after a KeepAlive replaces the action, because that chunk can move the deadline
 * earlier when `intervalMs > idleMs`. A wall clock that steps backwards is clamped, so a KeepAlive
 * is never postponed by more than one period. The action's work is one shared function (the clock
 * is its state), so a clock holds no closure.
 */
export class KeepAliveClock {
  /** A KeepAlive went out since the last chunk. */
  private pausing = false;
  private lastKeepAliveAt = 0;
  /**
   * Counts from construction: the start is the first "chunk". Declared with a number (the
   * constructor sets the real one): a field declared without a value is first defined as
   * `undefined`, V8 then stores every number in it as a new heap object, and one per chunk of
   * every session outlived the young-generation GC.
   */
  private lastChunkAt = 0;
  private action: Subscription | undefined;

  constructor(
    private readonly delays: KeepAliveDelays,
    private readonly scheduler: SchedulerLike,
    private readonly target: KeepAliveTarget,
  ) {
    this.lastChunkAt = scheduler.now();
  }

  /** When the running pause began: the last chunk's arrival, or the start (scheduler ms). */
  get pauseStartedAt(): number {
    return this.lastChunkAt;
  }

  /** Arms the first deadline (`idleMs` after construction or the last chunk). */
  start(): void {
    this.arm();
  }

  /** An audio chunk arrived: the pause (if any) is over. */
  chunk(): void {
    this.lastChunkAt = this.scheduler.now();
    if (this.pausing) {
      // First chunk after a KeepAlive: the armed action may be for lastKeepAliveAt + intervalMs,
      // later than the new deadline lastChunkAt + idleMs. Re-arm once per pause, never per chunk.
      this.pausing = false;
      this.arm();
    }
  }

  /** Cancels the pending deadline; nothing stays scheduled. */
  stop(): void {
    this.action?.unsubscribe();
    this.action = undefined;
  }

  private arm(): void {
    this.action?.unsubscribe();
    this.action = this.scheduler.schedule(fireKeepAliveClock, this.delays.idleMs, this);
  }

  /** The action's work: report a KeepAlive if it is due, and re-arm `action` either way. */
  fire(action: SchedulerAction<KeepAliveClock>): void {
    const now = this.scheduler.now();
    // A wall clock that stepped backwards: restart the countdown from now.
    if (this.lastChunkAt > now) this.lastChunkAt = now;
    if (this.lastKeepAliveAt > now) this.lastKeepAliveAt = now;
    const dueAt = this.pausing
      ? this.lastKeepAliveAt + this.delays.intervalMs
      : this.lastChunkAt + this.delays.idleMs;
    if (now < dueAt) {
      action.schedule(this, dueAt - now);
      return;
    }
    this.lastKeepAliveAt = now;
    this.pausing = true;
    this.target.keepAliveDue();
    // A chunk sent synchronously in reaction to the KeepAlive replaced this action; stop() closed it.
    if (!action.closed) action.schedule(this, this.delays.intervalMs);
  }
}

function fireKeepAliveClock(this: SchedulerAction<KeepAliveClock>, clock?: KeepAliveClock): void {
  clock?.fire(this);
}
