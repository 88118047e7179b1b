/**
 * The rebase's shortcut: where a Results lies in one run of the mapping, its times map by that
 * run's offset (`ConnectionClock.linearRun`) instead of one `toOriginal` search per time. It must
 * give, bit for bit, what the search gives, including for times on and near run boundaries, past
 * the audio sent, and before the oldest run kept.
 */
import fc from 'fast-check';
import type { Results, Word } from '../../src/protocol/messages';
import { ConnectionClock } from '../../src/session/timelineClock';
import { rebaseMessageInPlace, type TimeMap } from '../../src/session/timelineRebase';
import { results, word } from './timelineSupport';

/** The same mapping without the shortcut: every time goes through `toOriginal`. */
function searchOnly(clock: ConnectionClock): TimeMap {
  return { toOriginal: (t, bias) => clock.toOriginal(t, bias) };
}

/** Deepgram's numbers are float32. */
const f32 = (t: number): number => Math.fround(t);

interface Sent {
  from: number;
  seconds: number;
}

/** Chunks of 0.1 s (float noise accumulates in the run lengths, as in a session), with gated gaps. */
const sentArb: fc.Arbitrary<Sent[]> = fc
  .array(fc.record({ chunks: fc.integer({ min: 1, max: 40 }), gap: fc.integer({ min: 0, max: 30 }) }), {
    minLength: 1,
    maxLength: 6,
  })
  .map((stretches) => {
    const sent: Sent[] = [];
    let at = 0;
    for (const { chunks, gap } of stretches) {
      at += gap / 10;
      for (let i = 0; i < chunks; i++) {
        sent.push({ from: at, seconds: 0.1 });
        at += 0.1;
      }
    }
    return sent;
  });

function clockOf(
  sent: readonly Sent[],
  forgetBefore: number,
): { clock: ConnectionClock; boundaries: number[] } {
  const clock = new ConnectionClock(0);
  const boundaries = [0];
  let connection = 0;
  let previousEnd = 0;
  for (const { from, seconds } of sent) {
    if (Math.abs(from - previousEnd) > 1e-6) boundaries.push(connection);
    clock.append(from, seconds);
    connection += seconds;
    previousEnd = from + seconds;
  }
  boundaries.push(connection);
  clock.forgetBefore(forgetBefore);
  return { clock, boundaries };
}

/** A time near a boundary (within a few tolerances, float32-rounded or not) or anywhere. */
function timeArb(boundaries: readonly number[]): fc.Arbitrary<number> {
  const end = boundaries[boundaries.length - 1]!;
  return fc.oneof(
    fc
      .tuple(
        fc.constantFrom(...boundaries),
        fc.constantFrom(0, 1e-6, 5e-5, 1e-4, 1.5e-4, 2e-4, 3e-4, 1e-3),
        fc.boolean(),
        fc.boolean(),
      )
      .map(([b, d, below, round]) => {
        const t = Math.max(0, below ? b - d : b + d);
        return round ? f32(t) : t;
      }),
    fc.double({ min: 0, max: end + 1, noNaN: true }),
  );
}

const caseArb = fc.tuple(sentArb, fc.integer({ min: 0, max: 80 })).chain(([sent, forget]) => {
  const { clock, boundaries } = clockOf(sent, forget / 10);
  const time = timeArb(boundaries);
  // A word anywhere, or one whose start and end are both near the same boundary.
  const nearBoundary = fc.constantFrom(...boundaries).chain((b) => {
    const near = timeArb([b]).filter((t) => Math.abs(t - b) < 0.01);
    return fc.tuple(near, near);
  });
  const span = fc.oneof(fc.tuple(time, time), nearBoundary);
  return fc.record({
    clock: fc.constant(clock),
    start: time,
    length: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 3, noNaN: true })),
    words: fc.array(span, { maxLength: 6 }),
    // The Results spans exactly its words (as Deepgram's do at the edges), or is drawn apart.
    fitted: fc.boolean(),
  });
});

function message(
  start: number,
  length: number,
  spans: readonly [number, number][],
  fitted: boolean,
): Results {
  const words: Word[] = spans.map(([a, b], i) => word(`w${i}`, Math.min(a, b), Math.max(a, b)));
  if (!fitted || words.length === 0) return results({ start, duration: length, words });
  const first = Math.min(...words.map((w) => w.start));
  return results({ start: first, duration: Math.max(...words.map((w) => w.end)) - first, words });
}

describe('ConnectionClock.linearRun', () => {
  test('rebases every Results as the per-time search does, bit for bit', () => {
    let shortcuts = 0;
    let cases = 0;
    fc.assert(
      fc.property(caseArb, ({ clock, start, length, words, fitted }) => {
        cases++;
        const input = message(start, length, words, fitted);
        if (clock.linearRun(input.start, input.start + input.duration) !== undefined) shortcuts++;
        const viaRun = rebaseMessageInPlace(structuredClone(input), clock);
        const viaSearch = rebaseMessageInPlace(structuredClone(input), searchOnly(clock));
        expect(viaRun).toStrictEqual(viaSearch);
      }),
      { numRuns: 3000 },
    );
    // The comparison is only worth something if the shortcut was taken often, and not always.
    expect(shortcuts).toBeGreaterThan(cases / 10);
    expect(shortcuts).toBeLessThan(cases);
  });

  test('finds the run of a Results inside one stretch of sent audio', () => {
    const clock = new ConnectionClock(0);
    clock.append(0, 2);
    clock.append(5, 3);
    expect(clock.linearRun(2.5, 4)).toEqual({ connectionStart: 2, from: 5, seconds: 3 });
    expect(clock.linearRun(0, 1.5)).toEqual({ connectionStart: 0, from: 0, seconds: 2 });
  });

  test('finds none for a Results across a gated gap or touching its boundary', () => {
    const clock = new ConnectionClock(0);
    clock.append(0, 2);
    clock.append(5, 3);
    expect(clock.linearRun(1.5, 2.5)).toBeUndefined();
    expect(clock.linearRun(1, 2)).toBeUndefined();
    expect(clock.linearRun(2, 3)).toBeUndefined();
  });

  test('finds the last run for a Results ending where the audio sent ends, up to float noise', () => {
    const clock = new ConnectionClock(0);
    for (let i = 0; i < 10; i++) clock.append(i / 10, 0.1);
    // Ten chunks of 0.1 s add up to a little less than 1 (0.9999999999999999).
    expect(clock.linearRun(0.5, 1)).toBeDefined();
    expect(clock.linearRun(0.5, 1.01)).toBeUndefined();
  });

  test('finds none before anything was sent, or before the oldest run kept', () => {
    const empty = new ConnectionClock(4);
    expect(empty.linearRun(0, 1)).toBeUndefined();
    const clock = new ConnectionClock(0);
    for (let i = 0; i < 40; i++) clock.append(i, 0.5); // 40 runs, gaps between
    clock.forgetBefore(35);
    expect(clock.linearRun(1, 1.2)).toBeUndefined();
    expect(clock.linearRun(19.6, 19.8)).toEqual({ connectionStart: 19.5, from: 39, seconds: 0.5 });
  });
});
