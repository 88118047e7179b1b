/**
 * The piecewise mapping from one connection's audio clock to the original audio: a list of runs,
 * each a contiguous stretch of original audio sent on the connection. Pure, no timers.
 */
import type { TimeBias } from './timelineTypes';

/** A contiguous stretch of original audio sent on one connection. */
export interface Run {
  /** Where the run starts on the connection's clock (seconds of audio sent before it). */
  readonly connectionStart: number;
  /** Where the run starts in the original audio (seconds). */
  readonly from: number;
  /** Its length (seconds); grows while adjacent audio is appended. */
  seconds: number;
}

/**
 * Two runs closer than this (seconds) in the original audio are one: the session computes
 * positions from byte counts, so adjacent chunks may differ by float noise, while a real dropped
 * gap is at least one sample (> 2e-5 s even at 48 kHz).
 */
const ADJACENT_SECONDS = 1e-6;

/**
 * How close (seconds) a connection time must be to a run boundary to count as on it. Deepgram's
 * numbers are float32 (about 7 significant digits), so the tolerance grows with the time.
 */
function boundaryTolerance(t: number): number {
  return 1e-4 + Math.abs(t) * 2.5e-7;
}

function checkSeconds(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`Timeline.sent: ${name} must be a finite number >= 0, got ${String(value)}`);
  }
}

const NO_RUNS: readonly Run[] = Object.freeze([]);

/**
 * Runs that can be forgotten are dropped only once this many can go at once: one array copy per
 * batch, not one per final result.
 */
const FORGET_BATCH = 32;

/** The runs sent on one connection, and the mapping from its clock to the original audio. */
export class ConnectionClock {
  // Created with its first run (a first push onto an empty array reserves 17 slots); until then
  // the shared empty NO_RUNS.
  private runs: readonly Run[] = NO_RUNS;

  /**
   * @param fallbackOrigin original position of connection time 0 while nothing was sent on the
   *   connection (where the previous connection's audio ended).
   */
  constructor(private readonly fallbackOrigin: number) {}

  /** Original position where the audio sent on this connection ends (the fallback if none). */
  get originalEnd(): number {
    const last = this.runs[this.runs.length - 1];
    return last === undefined ? this.fallbackOrigin : last.from + last.seconds;
  }

  /** Appends `seconds` of original audio from `from`; merges it into the last run when adjacent. */
  append(from: number, seconds: number): void {
    checkSeconds('from', from);
    checkSeconds('seconds', seconds);
    if (seconds === 0) return;
    const last = this.runs[this.runs.length - 1];
    if (last === undefined) {
      this.runs = [{ connectionStart: 0, from, seconds }];
    } else if (Math.abs(last.from + last.seconds - from) <= ADJACENT_SECONDS) {
      last.seconds += seconds;
    } else {
      (this.runs as Run[]).push({ connectionStart: last.connectionStart + last.seconds, from, seconds });
    }
  }

  /**
   * Forgets the runs that end before connection time `t` (the last run is always kept), once at
   * least {@link FORGET_BATCH} of them can go. A time before the oldest run kept then maps to that
   * run's start. Without this a gated session held one run per dropped gap for its whole life.
   */
  forgetBefore(t: number): void {
    const runs = this.runs;
    const last = runs.length - 1;
    let count = 0;
    while (count < last && runs[count]!.connectionStart + runs[count]!.seconds < t) count++;
    if (count >= FORGET_BATCH) this.runs = runs.slice(count);
  }

  /**
   * The run that `toOriginal` maps every connection time in `[lo, hi]` by, under either bias:
   * there `toOriginal(t, 'start')` is `run.from + Math.max(0, t - run.connectionStart)` and
   * `toOriginal(t, 'end')` is that capped at `run.from + run.seconds`, with no search. Undefined
   * when no run does: `[lo, hi]` comes within twice the boundary tolerance of a boundary between
   * two runs, starts before the first run kept, or ends past the audio sent (by more than half
   * the tolerance, where an end time is still capped at the end of the audio). A Results message
   * nearly always lies inside one run, so its words are mapped with no search per word.
   */
  linearRun(lo: number, hi: number): Run | undefined {
    const runs = this.runs;
    const last = runs.length - 1;
    if (last < 0 || !(lo <= hi)) return undefined;
    const index = firstStartingAfter(runs, lo) - 1;
    if (index < 0) return undefined;
    const run = runs[index]!;
    const start = run.connectionStart;
    const end = start + run.seconds;
    // An end time on the boundary with the previous run belongs to that run; a start time on the
    // boundary with the next run, to the next one. Twice the tolerance: a margin for float rounding.
    if (index > 0 && lo - 2 * boundaryTolerance(lo) <= start) return undefined;
    if (index < last) return hi + 2 * boundaryTolerance(hi) < end ? run : undefined;
    // The last run: an end time up to the tolerance past the audio sent is capped at its end (the
    // server's times end there up to float noise); further out, times extrapolate uncapped.
    return hi - boundaryTolerance(hi) / 2 <= end ? run : undefined;
  }

  /** Original position of connection time `t`; see `Timeline.toOriginal`. */
  toOriginal(t: number, bias: TimeBias): number {
    const runs = this.runs;
    const count = runs.length;
    if (count === 0) return this.fallbackOrigin + t;
    const tolerance = boundaryTolerance(t);
    if (bias === 'end') {
      // The first run that ends at or after t: a time on a boundary stays in the earlier run.
      const index = firstEndingAtOrAfter(runs, t - tolerance);
      const run = runs[Math.min(index, count - 1)]!;
      const offset = Math.max(0, t - run.connectionStart);
      return run.from + (index < count ? Math.min(offset, run.seconds) : offset);
    }
    // The last run that starts at or before t: a time on a boundary moves to the later run.
    const index = firstStartingAfter(runs, t + tolerance) - 1;
    const run = runs[Math.max(index, 0)]!;
    return run.from + Math.max(0, t - run.connectionStart);
  }
}

// Binary searches over the runs (ordered by connectionStart), written out rather than given a
// predicate closure: toOriginal runs twice per word of every Results.

/** The first run whose end is at or after `t` (`runs.length` when none). */
function firstEndingAtOrAfter(runs: readonly Run[], t: number): number {
  let low = 0;
  let high = runs.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const run = runs[middle]!;
    if (run.connectionStart + run.seconds >= t) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** The first run that starts after `t` (`runs.length` when none). */
function firstStartingAfter(runs: readonly Run[], t: number): number {
  let low = 0;
  let high = runs.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (runs[middle]!.connectionStart > t) high = middle;
    else low = middle + 1;
  }
  return low;
}
