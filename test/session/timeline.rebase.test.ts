import type { Metadata, Results } from '../../src/protocol/messages';
import { createTimeline } from '../../src/session/timeline';
import type { Timeline } from '../../src/session/timelineTypes';
import { deepFreeze, results, spans, speechStarted, utteranceEnd, word } from './timelineSupport';

/** Original 0–2 s sent, 2–5 s gated away, 5–9 s sent: connection time 2 is original 2 (end) or 5 (start). */
function gatedTimeline(): Timeline {
  const timeline = createTimeline();
  timeline.connectionOpened();
  timeline.sent(0, 2);
  timeline.sent(5, 4);
  return timeline;
}

describe('Timeline.rebase', () => {
  test('gives a Results straddling a gap its start and duration on the original timeline', () => {
    const rebased = gatedTimeline().rebase(deepFreeze(results({ start: 1, duration: 2 })));
    expect([rebased.start, rebased.duration]).toEqual([1, 5]);
  });

  test('keeps a word ending on a gap boundary before the gap and moves one starting there after it', () => {
    const message = results({
      start: 1,
      duration: 2,
      words: [word('before', 1.5, 2), word('after', 2, 2.5)],
    });
    expect(spans(gatedTimeline().rebase(deepFreeze(message)))).toEqual([
      ['before', 1.5, 2],
      ['after', 5, 5.5],
    ]);
  });

  test('maps a Results that starts on a gap boundary to start after the gap', () => {
    const rebased = gatedTimeline().rebase(deepFreeze(results({ start: 2, duration: 1 })));
    expect([rebased.start, rebased.duration]).toEqual([5, 1]);
  });

  test('rounds mapped times to microseconds', () => {
    const timeline = createTimeline();
    timeline.connectionOpened();
    timeline.sent(0.1, 5);
    const rebased = timeline.rebase(
      deepFreeze(results({ start: 0.2, duration: 0.7, words: [word('a', 0.2, 0.9)] })),
    );
    expect([rebased.start, rebased.duration, ...spans(rebased)[0]!.slice(1)]).toEqual([0.3, 0.7, 0.3, 1]);
  });

  test('rebases the hits of search results', () => {
    const message: Results = { ...results({ start: 1, duration: 2 }) };
    message.channel = {
      ...message.channel,
      search: [{ query: 'x', hits: [{ confidence: 0.5, start: 2, end: 2.5, snippet: 'x' }] }],
    };
    const hit = gatedTimeline().rebase(deepFreeze(message)).channel.search?.[0]?.hits[0];
    expect([hit?.start, hit?.end]).toEqual([5, 5.5]);
  });

  test('rebases UtteranceEnd.last_word_end as an end time', () => {
    expect(gatedTimeline().rebase(deepFreeze(utteranceEnd(2))).last_word_end).toBe(2);
    expect(gatedTimeline().rebase(deepFreeze(utteranceEnd(3))).last_word_end).toBe(6);
  });

  test('rebases SpeechStarted.timestamp as a start time', () => {
    expect(gatedTimeline().rebase(deepFreeze(speechStarted(2))).timestamp).toBe(5);
    expect(gatedTimeline().rebase(deepFreeze(speechStarted(1))).timestamp).toBe(1);
  });

  test('returns a message without timestamps as the same object', () => {
    const metadata: Metadata = deepFreeze({
      type: 'Metadata',
      transaction_key: 'deprecated',
      request_id: 'r',
      sha256: 'incomplete',
      created: '2026-01-01T00:00:00.000Z',
      duration: 3,
      channels: 1,
    });
    expect(gatedTimeline().rebase(metadata)).toBe(metadata);
  });

  test('returns a new Results that shares the unchanged metadata with the input', () => {
    const message = deepFreeze(results({ start: 1, duration: 2, words: [word('a', 1, 1.5)] }));
    const rebased = gatedTimeline().rebase(message);
    expect([rebased === message, rebased.metadata === message.metadata]).toEqual([false, true]);
  });

  test('leaves the input message untouched', () => {
    const message = deepFreeze(results({ start: 1, duration: 2, words: [word('after', 2, 2.5)] }));
    const copy = structuredClone(message);
    gatedTimeline().rebase(message);
    expect(message).toEqual(copy);
  });
});
