import fc from 'fast-check';
import { Observable, VirtualTimeScheduler } from 'rxjs';
import { KEEP_ALIVE } from '../../src/protocol/frames';
import { withKeepAlive } from '../../src/operators/withKeepAlive';

const chunk = Uint8Array.of(1);

/**
 * The KeepAlive due times of the contract: `idleMs` after the subscription or a chunk, then every
 * `intervalMs`, before the next chunk (or the completion); with `upToNext`, also one due exactly then.
 */
function dueTimes(
  chunkTimes: readonly number[],
  end: number,
  delays: { idleMs: number; intervalMs: number },
  upToNext = false,
): number[] {
  const out: number[] = [];
  const points = [0, ...chunkTimes];
  for (let i = 0; i < points.length; i++) {
    const next = i + 1 < points.length ? points[i + 1]! : end;
    for (let t = points[i]! + delays.idleMs; t < next || (upToNext && t === next); t += delays.intervalMs) {
      out.push(t);
    }
  }
  return out;
}

function keepAliveTimes(
  chunkTimes: readonly number[],
  end: number,
  idleMs: number,
  intervalMs: number,
): number[] {
  const scheduler = new VirtualTimeScheduler(undefined, Infinity);
  const audio$ = new Observable<Uint8Array>((subscriber) => {
    for (const t of chunkTimes) scheduler.schedule(() => subscriber.next(chunk), t);
    scheduler.schedule(() => subscriber.complete(), end);
  });
  const times: number[] = [];
  audio$.pipe(withKeepAlive({ idleMs, intervalMs, scheduler })).subscribe((frame) => {
    if (frame === KEEP_ALIVE) times.push(scheduler.now());
  });
  scheduler.flush();
  return times;
}

/** Gaps between chunks: mostly ~100 ms with a few ms of jitter (speech), sometimes a pause. */
const gap = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 90, max: 110 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 12_000 }) },
);

describe('withKeepAlive deadlines (property)', () => {
  it('emits a KeepAlive exactly idleMs after each chunk, then every intervalMs, for jittered audio with pauses', () => {
    fc.assert(
      fc.property(
        fc.array(gap, { maxLength: 300 }),
        fc.integer({ min: 1, max: 12_000 }),
        fc.integer({ min: 50, max: 5000 }),
        fc.option(fc.integer({ min: 50, max: 5000 }), { nil: undefined }),
        (gaps, tail, idleMs, interval) => {
          const intervalMs = interval ?? idleMs;
          const chunkTimes: number[] = [];
          let t = 0;
          for (const g of gaps) chunkTimes.push((t += g));
          const end = t + tail;
          // A KeepAlive due at the instant of a chunk or of the completion: the contract leaves
          // their order open.
          const events = new Set([...chunkTimes, end]);
          fc.pre(!dueTimes(chunkTimes, end, { idleMs, intervalMs }, true).some((at) => events.has(at)));
          expect(keepAliveTimes(chunkTimes, end, idleMs, intervalMs)).toEqual(
            dueTimes(chunkTimes, end, { idleMs, intervalMs }),
          );
        },
      ),
      { numRuns: 400 },
    );
  });
});
