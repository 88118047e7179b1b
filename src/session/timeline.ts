/**
 * `createTimeline()`: maps Deepgram's per-connection clocks onto the original audio timeline and
 * removes what a replay repeats. Pure: no timers, no sockets.
 */
import { ConnectionClock } from './timelineClock';
import { isResults, rebaseMessage, rebaseMessageInPlace } from './timelineRebase';
import { RepeatFilter } from './timelineRepeats';
import type { TimeBias, Timeline, TimelineOptions } from './timelineTypes';

const DEFAULT_REPEAT_TOLERANCE_SECONDS = 0.02;
/**
 * How far back (seconds on the connection's clock) from the start of the latest final Results the
 * mapping is kept. Deepgram reports on recent audio only: a final's words start at or after the
 * previous final's end, and UtteranceEnd and SpeechStarted refer to the latest words.
 */
const MAPPING_KEPT_SECONDS = 60;

function repeatTolerance(value: number | undefined): number {
  if (value === undefined) return DEFAULT_REPEAT_TOLERANCE_SECONDS;
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(
      `createTimeline: repeatToleranceSeconds must be a finite number >= 0, got ${String(value)}`,
    );
  }
  return value;
}

/**
 * Creates the timeline of one transcription session (see {@link Timeline}).
 *
 * Call order, per connection: `connectionOpened()`; then, in send order, `sent(from, seconds)`
 * for every stretch of original audio handed to that connection (call it no later than the
 * frame goes out, so that every server time it will see is covered); for every server message,
 * `dedupe(rebase(message))`, emitting the result unless it is `undefined`. Until the first
 * `connectionOpened()` the timeline behaves as if it had been called, and that first call keeps
 * what was already `sent` (it can only be the first connection's audio).
 *
 * Semantics: `toOriginal` and `rebase` map times on the CURRENT connection's clock (messages from
 * an older connection must not be passed after `connectionOpened()`). A gap between the
 * `from + seconds` of one `sent` call and the `from` of the next is audio that was dropped
 * (silence gating); a START time on that boundary maps after the gap, an END time before it.
 * `dedupe` keeps per-channel state across connections, so a replay after a reconnect never
 * delivers a final word twice and finals keep tiling the original timeline.
 *
 * @throws RangeError when `repeatToleranceSeconds` is not a finite number >= 0.
 * @example
 * ```ts
 * const timeline = createTimeline();
 * timeline.connectionOpened();
 * timeline.sent(0, 2);   // original 0–2 s sent
 * timeline.sent(5, 1);   // 2–5 s gated away, then 5–6 s sent
 * timeline.toOriginal(2.5); // 5.5
 * const event = timeline.dedupe(timeline.rebase(results)); // undefined when it repeats a final
 * ```
 */
export function createTimeline(options: TimelineOptions = {}): Timeline {
  return new SessionTimeline(new RepeatFilter(repeatTolerance(options.repeatToleranceSeconds)));
}

/**
 * The {@link Timeline} of {@link createTimeline}: a class, so that its methods are shared by every
 * session (a session holds one; an object of closures cost ~0.8 KB more per session).
 */
class SessionTimeline implements Timeline {
  private clock = new ConnectionClock(0);
  /** Whether `connectionOpened()` was called: until then `clock` is the implicit first connection. */
  private opened = false;

  constructor(private readonly repeats: RepeatFilter) {}

  connectionOpened(): void {
    if (this.opened) this.clock = new ConnectionClock(this.clock.originalEnd);
    this.opened = true;
  }

  sent(from: number, seconds: number): void {
    this.clock.append(from, seconds);
  }

  toOriginal(connectionSeconds: number, bias: TimeBias = 'start'): number {
    return this.clock.toOriginal(connectionSeconds, bias);
  }

  rebase<M extends { type: string }>(message: M): M {
    this.forgetOldRuns(message);
    return rebaseMessage(message, this.clock);
  }

  rebaseOwned<M extends { type: string }>(message: M): M {
    this.forgetOldRuns(message);
    return rebaseMessageInPlace(message, this.clock);
  }

  /** A final Results moves the horizon before which the mapping is no longer needed. */
  private forgetOldRuns(message: { type: string }): void {
    if (isResults(message) && message.is_final === true) {
      this.clock.forgetBefore(message.start - MAPPING_KEPT_SECONDS);
    }
  }

  dedupe<M extends { type: string }>(message: M): M | undefined {
    return this.repeats.filter(message);
  }

  get finalizedUpTo(): number {
    return this.repeats.finalizedUpTo;
  }
}
