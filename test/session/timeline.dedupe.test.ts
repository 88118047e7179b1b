import type { Entity, Results } from '../../src/protocol/messages';
import { createTimeline } from '../../src/session/timeline';
import type { Timeline } from '../../src/session/timelineTypes';
import { deepFreeze, results, spans, speechStarted, utteranceEnd, word } from './timelineSupport';

/** Rebases then dedupes, as the session does. */
function deliver<M extends { type: string }>(timeline: Timeline, message: M): M | undefined {
  return timeline.dedupe(timeline.rebase(deepFreeze(message)));
}

/**
 * A first connection sent original 0–10 s and delivered a final [0, 4] with words up to 3 s, then
 * died; the second connection replays from original 2 s (its clock 0 = original 2).
 */
function afterReplayFrom2(): Timeline {
  const timeline = createTimeline();
  timeline.connectionOpened();
  timeline.sent(0, 10);
  deliver(
    timeline,
    results({
      start: 0,
      duration: 4,
      words: [word('hello', 0.5, 1), word('world', 1.2, 1.8), word('again', 2.5, 3, true)],
    }),
  );
  timeline.connectionOpened();
  timeline.sent(2, 8);
  return timeline;
}

describe('Timeline.dedupe', () => {
  test('removes the words a replay repeats and rebuilds the transcript from the rest', () => {
    const out = deliver(
      afterReplayFrom2(),
      results({ start: 0, duration: 3.5, words: [word('again', 0.5, 1, true), word('there', 2.5, 3, true)] }),
    );
    expect([spans(out), out?.channel.alternatives[0]?.transcript]).toEqual([[['there', 4.5, 5]], 'There.']);
  });

  test('clamps to the finalized position a kept word that starts before it, in a Results that does not', () => {
    const timeline = createTimeline();
    timeline.connectionOpened();
    timeline.sent(0, 10);
    deliver(timeline, results({ start: 0, duration: 2, words: [word('one', 1, 2)] }));
    const out = deliver(timeline, results({ start: 2, duration: 1, words: [word('late', 1.95, 2.6)] }));
    expect(spans(out)).toEqual([['late', 2, 2.6]]);
  });

  test('returns undefined for a final whose words were all final already', () => {
    const out = deliver(
      afterReplayFrom2(),
      results({ start: 0, duration: 1.5, words: [word('again', 0.5, 1)] }),
    );
    expect(out).toBeUndefined();
  });

  test('returns undefined for an empty final that ends inside finalized audio', () => {
    expect(deliver(afterReplayFrom2(), results({ start: 0, duration: 2 }))).toBeUndefined();
  });

  test('starts a final that overlaps finalized audio where the previous final ended', () => {
    const out = deliver(
      afterReplayFrom2(),
      results({ start: 0, duration: 3.5, words: [word('there', 2.5, 3)] }),
    );
    expect([out?.start, out?.duration]).toEqual([4, 1.5]);
  });

  test('keeps an empty final that reaches past finalized audio, starting at the finalized position', () => {
    const out = deliver(afterReplayFrom2(), results({ start: 1, duration: 2 }));
    expect([out?.start, out?.duration]).toEqual([4, 1]);
  });

  test('removes a word that ends within the repeat tolerance after the finalized position', () => {
    const timeline = createTimeline({ repeatToleranceSeconds: 0.5 });
    timeline.connectionOpened();
    timeline.sent(0, 10);
    deliver(timeline, results({ start: 0, duration: 3, words: [word('long', 2.5, 3)] }));
    timeline.connectionOpened();
    timeline.sent(2, 8);
    const out = deliver(timeline, results({ start: 0, duration: 2, words: [word('long', 0.8, 1.4)] }));
    expect(spans(out)).toEqual([]);
  });

  test('removes a repeated word whose end moved past the tolerance when most of it lies in finalized audio', () => {
    const timeline = createTimeline();
    timeline.connectionOpened();
    timeline.sent(0, 10);
    deliver(timeline, results({ start: 0, duration: 3, words: [word('again', 2.5, 3)] }));
    timeline.connectionOpened();
    timeline.sent(2, 8);
    const out = deliver(timeline, results({ start: 0, duration: 2, words: [word('again', 0.45, 1.1)] }));
    expect(spans(out)).toEqual([]);
  });

  test('keeps a new word that starts right where the finalized audio ends', () => {
    const timeline = afterReplayFrom2();
    const out = deliver(timeline, results({ start: 0, duration: 3, words: [word('now', 2, 2.1)] }));
    expect(spans(out)).toEqual([['now', 4, 4.1]]);
  });

  test('advances finalizedUpTo to the end of each delivered final', () => {
    const timeline = afterReplayFrom2();
    const before = timeline.finalizedUpTo;
    deliver(timeline, results({ start: 0, duration: 3.5, words: [word('there', 2.5, 3)] }));
    expect([before, timeline.finalizedUpTo]).toEqual([4, 5.5]);
  });

  test('reports finalizedUpTo 0 before any final', () => {
    const timeline = createTimeline();
    timeline.connectionOpened();
    timeline.sent(0, 5);
    deliver(timeline, results({ start: 0, duration: 2, isFinal: false, words: [word('a', 0.5, 1)] }));
    expect(timeline.finalizedUpTo).toBe(0);
  });

  test('removes already final words from interim results too, without advancing finalizedUpTo', () => {
    const timeline = afterReplayFrom2();
    const out = deliver(
      timeline,
      results({
        start: 0,
        duration: 3,
        isFinal: false,
        words: [word('again', 0.5, 1), word('the', 2.5, 2.8)],
      }),
    );
    expect([spans(out), out?.start, timeline.finalizedUpTo]).toEqual([[['the', 4.5, 4.8]], 4, 4]);
  });

  test('returns undefined for an interim result that only repeats final words', () => {
    const out = deliver(
      afterReplayFrom2(),
      results({ start: 0, duration: 1.2, isFinal: false, words: [word('again', 0.5, 1)] }),
    );
    expect(out).toBeUndefined();
  });

  test('returns a Results that repeats nothing as the same object', () => {
    const timeline = createTimeline();
    timeline.connectionOpened();
    timeline.sent(0, 10);
    deliver(timeline, results({ start: 0, duration: 2, words: [word('a', 0.5, 1)] }));
    const next = timeline.rebase(deepFreeze(results({ start: 2, duration: 2, words: [word('b', 2.5, 3)] })));
    expect(timeline.dedupe(next)).toBe(next);
  });

  test('keeps finals of different channels apart', () => {
    const timeline = createTimeline();
    timeline.connectionOpened();
    timeline.sent(0, 10);
    deliver(
      timeline,
      results({ start: 0, duration: 4, channel: 0, channels: 2, words: [word('left', 2.5, 3)] }),
    );
    timeline.connectionOpened();
    timeline.sent(2, 8);
    const right = deliver(
      timeline,
      results({ start: 0, duration: 2, channel: 1, channels: 2, words: [word('right', 0.5, 1)] }),
    );
    const left = deliver(
      timeline,
      results({ start: 0, duration: 2, channel: 0, channels: 2, words: [word('left', 0.5, 1)] }),
    );
    expect([spans(right), left]).toEqual([[['right', 2.5, 3]], undefined]);
  });

  test('reports as finalizedUpTo the least finalized position over the channels', () => {
    const timeline = createTimeline();
    timeline.connectionOpened();
    timeline.sent(0, 10);
    deliver(timeline, results({ start: 0, duration: 4, channel: 0, channels: 2 }));
    const oneChannelFinal = timeline.finalizedUpTo;
    deliver(timeline, results({ start: 0, duration: 3, channel: 1, channels: 2 }));
    expect([oneChannelFinal, timeline.finalizedUpTo]).toEqual([0, 3]);
  });

  test('re-indexes entities onto the remaining words and drops those on removed words', () => {
    const entities: Entity[] = [
      { label: 'A', value: 'again', raw_value: 'again', confidence: 1, start_word: 0, end_word: 1 },
      { label: 'B', value: 'there now', raw_value: 'there now', confidence: 1, start_word: 1, end_word: 3 },
    ];
    const message: Results = {
      ...results({
        start: 0,
        duration: 3.5,
        words: [word('again', 0.5, 1), word('there', 2.5, 2.8), word('now', 2.8, 3)],
      }),
      entities,
    };
    const out = deliver(afterReplayFrom2(), message);
    expect(out?.entities?.map((e) => [e.label, e.start_word, e.end_word])).toEqual([['B', 0, 2]]);
  });

  test('drops an UtteranceEnd that repeats the last one delivered', () => {
    const timeline = afterReplayFrom2();
    deliver(timeline, utteranceEnd(1));
    expect([deliver(timeline, utteranceEnd(1.015)), deliver(timeline, utteranceEnd(3))]).toEqual([
      undefined,
      { type: 'UtteranceEnd', channel: [0, 1], last_word_end: 5 },
    ]);
  });

  test('drops a SpeechStarted that is not later than the last one delivered', () => {
    const timeline = afterReplayFrom2();
    deliver(timeline, speechStarted(0.5));
    expect([deliver(timeline, speechStarted(0.4)), deliver(timeline, speechStarted(2))]).toEqual([
      undefined,
      { type: 'SpeechStarted', channel: [0, 1], timestamp: 4 },
    ]);
  });

  test('never mutates the messages it is given', () => {
    const timeline = afterReplayFrom2();
    const message = deepFreeze(
      timeline.rebase(
        results({ start: 0, duration: 3.5, words: [word('again', 0.5, 1), word('there', 2.5, 3)] }),
      ),
    );
    const copy = structuredClone(message);
    timeline.dedupe(message);
    expect(message).toEqual(copy);
  });

  test('rejects a negative repeat tolerance with a RangeError', () => {
    expect(() => createTimeline({ repeatToleranceSeconds: -0.1 })).toThrow(RangeError);
  });
});
