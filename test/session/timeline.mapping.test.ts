import { createTimeline } from '../../src/session/timeline';
import { results, word } from './timelineSupport';

describe('Timeline.toOriginal', () => {
  test('maps times identically on one connection that sent all the audio', () => {
    const timeline = createTimeline();
    timeline.connectionOpened();
    timeline.sent(0, 4);
    expect([0, 1.25, 3.999, 4].map((t) => timeline.toOriginal(t))).toEqual([0, 1.25, 3.999, 4]);
  });

  test('shifts times after a gated gap by the gap length', () => {
    const timeline = createTimeline();
    timeline.connectionOpened();
    timeline.sent(0, 2);
    timeline.sent(5, 3);
    expect([timeline.toOriginal(1), timeline.toOriginal(2.5), timeline.toOriginal(4)]).toEqual([1, 5.5, 7]);
  });

  test('maps an end time on a gap boundary before the gap and a start time after it', () => {
    const timeline = createTimeline();
    timeline.connectionOpened();
    timeline.sent(0, 2);
    timeline.sent(5, 3);
    expect([timeline.toOriginal(2, 'end'), timeline.toOriginal(2, 'start')]).toEqual([2, 5]);
  });

  test('uses the start bias when none is given', () => {
    const timeline = createTimeline();
    timeline.connectionOpened();
    timeline.sent(0, 2);
    timeline.sent(5, 3);
    expect(timeline.toOriginal(2)).toBe(5);
  });

  test('treats a float32-rounded time next to a gap boundary as on the boundary', () => {
    const timeline = createTimeline();
    timeline.connectionOpened();
    timeline.sent(0, 2.1);
    timeline.sent(5, 3);
    const justAfter = Math.fround(2.1) + 2e-7;
    const justBefore = 2.1 - 3e-7;
    expect([timeline.toOriginal(justAfter, 'end'), timeline.toOriginal(justBefore, 'start')]).toEqual([
      2.1, 5,
    ]);
  });

  test('shifts each stretch of sent audio by the gaps before it', () => {
    const timeline = createTimeline();
    timeline.connectionOpened();
    timeline.sent(0, 1);
    timeline.sent(2, 1);
    timeline.sent(10, 0.5);
    timeline.sent(20, 2);
    expect([0.5, 1.5, 2.25, 3.5].map((t) => timeline.toOriginal(t))).toEqual([0.5, 2.5, 10.25, 21]);
  });

  test('merges adjacent sent stretches into one, so their joint is no boundary', () => {
    const timeline = createTimeline();
    timeline.connectionOpened();
    timeline.sent(0, 0.1);
    timeline.sent(0.1, 0.2);
    timeline.sent(0.30000000000000004, 1);
    expect([timeline.toOriginal(0.1, 'end'), timeline.toOriginal(0.3, 'start')]).toEqual([0.1, 0.3]);
  });

  test('extrapolates times past the sent audio from the last stretch', () => {
    const timeline = createTimeline();
    timeline.connectionOpened();
    timeline.sent(0, 2);
    timeline.sent(5, 1);
    expect([timeline.toOriginal(3.05, 'end'), timeline.toOriginal(3.05, 'start')]).toEqual([6.05, 6.05]);
  });

  test('maps a new connection with a replay from the replayed original position', () => {
    const timeline = createTimeline();
    timeline.connectionOpened();
    timeline.sent(0, 10);
    timeline.connectionOpened();
    timeline.sent(7.5, 4);
    expect([timeline.toOriginal(0), timeline.toOriginal(2.5, 'end')]).toEqual([7.5, 10]);
  });

  test('offsets a new connection that sent nothing yet from where the previous one ended', () => {
    const timeline = createTimeline();
    timeline.connectionOpened();
    timeline.sent(0, 3);
    timeline.sent(4, 2);
    timeline.connectionOpened();
    expect(timeline.toOriginal(0.5)).toBe(6.5);
  });

  test('behaves as if a connection was opened before the first connectionOpened call', () => {
    const timeline = createTimeline();
    timeline.sent(0, 1);
    timeline.sent(3, 1);
    expect(timeline.toOriginal(1.5)).toBe(3.5);
  });

  test('keeps audio sent before the first connectionOpened call on the first connection', () => {
    const timeline = createTimeline();
    timeline.sent(0, 1);
    timeline.sent(3, 1);
    timeline.connectionOpened();
    expect(timeline.toOriginal(1.5)).toBe(3.5);
  });

  test('ignores a sent stretch of zero seconds', () => {
    const timeline = createTimeline();
    timeline.connectionOpened();
    timeline.sent(0, 1);
    timeline.sent(2, 0);
    timeline.sent(1, 1);
    expect(timeline.toOriginal(1.5)).toBe(1.5);
  });

  test('rejects a negative or non-finite sent stretch with a RangeError', () => {
    const timeline = createTimeline();
    timeline.connectionOpened();
    expect(() => timeline.sent(0, -1)).toThrow(RangeError);
    expect(() => timeline.sent(Number.NaN, 1)).toThrow(/from must be a finite number/);
  });
});

describe('Timeline: a long gated session', () => {
  /** `count` stretches of 1 s of original audio, each after a 1 s gap: connection second k + f is original 2k + f. */
  function gated(count: number): ReturnType<typeof createTimeline> {
    const timeline = createTimeline();
    timeline.connectionOpened();
    for (let k = 0; k < count; k++) timeline.sent(2 * k, 1);
    return timeline;
  }

  test('forgets the mapping more than 60 s before the latest final Results, and maps recent times as before', () => {
    const timeline = gated(600);
    const reference = gated(600);
    const before = [540.5, 580.25, 599.75].map((t) => reference.toOriginal(t));
    // A final at connection second 590: the mapping before second 530 may go.
    timeline.rebase(results({ start: 590, duration: 1, words: [word('late', 590.2, 590.6)] }));
    expect([540.5, 580.25, 599.75].map((t) => timeline.toOriginal(t))).toEqual(before);
    expect(before).toEqual([1080.5, 1160.25, 1198.75]);
    // Second 100.5 was original 200.5; it was forgotten and maps to the oldest stretch kept.
    expect(reference.toOriginal(100.5)).toBe(200.5);
    expect(timeline.toOriginal(100.5)).toBe(2 * 529);
  });

  test('keeps the mapping while no final Results came, and after interim ones', () => {
    const timeline = gated(600);
    timeline.rebase({ ...results({ start: 590, duration: 1 }), is_final: false });
    expect(timeline.toOriginal(100.5)).toBe(200.5);
  });

  test('keeps a mapping whose old part is shorter than a batch', () => {
    const timeline = gated(80);
    timeline.rebase(results({ start: 79, duration: 1 }));
    // 18 stretches end before second 19: fewer than the 32 dropped at once.
    expect(timeline.toOriginal(0.5)).toBe(0.5);
  });
});
