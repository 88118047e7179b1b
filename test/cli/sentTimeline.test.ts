import { SentTimeline } from '../../src/cli/sentTimeline';

/** Source 0–1 sent, 1–4 dropped, 4–6 sent, 6–9 dropped, 9–10 sent. */
function twoGaps(): SentTimeline {
  const timeline = new SentTimeline();
  timeline.add({ from: 1, to: 4, sentBefore: 1 });
  timeline.add({ from: 6, to: 9, sentBefore: 3 });
  return timeline;
}

describe('SentTimeline', () => {
  test('without dropped spans both clocks are equal', () => {
    const timeline = new SentTimeline();
    expect(timeline.toSource(2.5)).toBe(2.5);
    expect(timeline.toSent(2.5)).toBe(2.5);
    expect(timeline.droppedSeconds).toBe(0);
  });

  test('a sent time after a gap is later by the dropped seconds on the source', () => {
    expect(twoGaps().toSource(2)).toBe(5);
    expect(twoGaps().toSource(3.5)).toBe(9.5);
  });

  test("at a gap's exact position 'after' lands after the gap and 'before' before it", () => {
    expect(twoGaps().toSource(1, 'after')).toBe(4);
    expect(twoGaps().toSource(1, 'before')).toBe(1);
  });

  test('a source time maps to the sent clock minus the spans before it', () => {
    expect(twoGaps().toSent(5)).toBe(2);
    expect(twoGaps().toSent(9.5)).toBe(3.5);
  });

  test('a source time inside a dropped span maps to the gap position', () => {
    expect(twoGaps().toSent(7)).toBe(3);
  });

  test('toSent undoes toSource for sent times away from gaps', () => {
    const timeline = twoGaps();
    for (const sent of [0.5, 1.5, 2.9, 3.2, 3.9])
      expect(timeline.toSent(timeline.toSource(sent))).toBeCloseTo(sent, 9);
  });

  test('droppedSeconds sums the spans, and empty spans are ignored', () => {
    const timeline = twoGaps();
    timeline.add({ from: 12, to: 12, sentBefore: 6 });
    expect(timeline.droppedSeconds).toBe(6);
  });
});
