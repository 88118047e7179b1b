import { createTimeline } from '../../src/session/timeline';

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
