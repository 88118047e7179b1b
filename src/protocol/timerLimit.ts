/**
 * The longest delay a JavaScript timer keeps: `setTimeout`/`setInterval` store it as a 32-bit
 * signed integer, and a longer one fires after 1 ms instead (Node warns; browsers say nothing).
 * Every configurable delay of the client and the emulator is checked against it when it is given.
 * Shared by both sides, like the protocol's facts.
 */

/** 2^31 − 1 ms, ~24.8 days: a longer timer fires at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/** True for a number of ms a timer keeps: > 0 and at most {@link MAX_TIMER_MS} (so not NaN nor Infinity). */
export function isTimerDelay(value: unknown): boolean {
  return typeof value === 'number' && value > 0 && value <= MAX_TIMER_MS;
}
