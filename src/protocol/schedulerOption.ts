/**
 * The optional `scheduler` of every function that keeps time (operators, `transcribe`, `readWav`,
 * `fakeDeepgram`): rxjs's `asyncScheduler` when absent, and otherwise checked when the function is
 * called. A wrong value would otherwise fail only at the first timer, inside a subscription, far
 * from the call that passed it. Shared by the client's layers and its test helpers.
 */
import { asyncScheduler, type SchedulerLike } from 'rxjs';

/**
 * `value`, or `asyncScheduler` when it is undefined.
 *
 * @param owner - the function whose option it is, for the message (`'transcribe'`)
 * @throws TypeError when `value` is not an object with `now()` and `schedule()`
 */
export function schedulerOption(owner: string, value: SchedulerLike | undefined): SchedulerLike {
  if (value === undefined) return asyncScheduler;
  const candidate = value as unknown as Partial<Record<keyof SchedulerLike, unknown>> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.now !== 'function' ||
    typeof candidate.schedule !== 'function'
  ) {
    const found =
      candidate === null
        ? 'null'
        : typeof candidate === 'object'
          ? 'an object without them'
          : typeof candidate;
    throw new TypeError(
      `${owner}: scheduler must be an rxjs SchedulerLike (now() and schedule()), got ${found}`,
    );
  }
  return value;
}
