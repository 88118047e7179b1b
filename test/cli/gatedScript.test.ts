import { gatedScriptRecognizer } from '../../src/cli/gatedScript';
import { SentTimeline } from '../../src/cli/sentTimeline';

const words = [
  { word: 'hello', start: 1, end: 1.5, punctuated_word: 'Hello' },
  { word: 'again', start: 6, end: 6.5, punctuated_word: 'again.' },
];

/** Source 2–5 dropped (at sent 2). */
function gated(): SentTimeline {
  const timeline = new SentTimeline();
  timeline.add({ from: 2, to: 5, sentBefore: 2 });
  return timeline;
}

describe('gatedScriptRecognizer', () => {
  test('without gating it replays the script on the file clock', () => {
    const recognizer = gatedScriptRecognizer(words, new SentTimeline())({});
    expect(recognizer.wordsBetween(0, 10).map((w) => [w.word, w.start])).toEqual([
      ['hello', 1],
      ['again', 6],
    ]);
  });

  test('a word after a dropped span is reported earlier by the dropped seconds', () => {
    const recognizer = gatedScriptRecognizer(words, gated())({});
    const [again] = recognizer.wordsBetween(2.5, 4);
    expect(again).toMatchObject({ word: 'again', start: 3, end: 3.5, punctuated_word: 'again.' });
  });

  test('consecutive windows of the received-audio clock report every word exactly once', () => {
    const recognizer = gatedScriptRecognizer(words, gated())({});
    const seen: string[] = [];
    for (let t = 0; t < 6; t += 0.02) seen.push(...recognizer.wordsBetween(t, t + 0.02).map((w) => w.word));
    expect(seen).toEqual(['hello', 'again']);
  });

  test("a later connection's clock starts where that connection's audio starts", () => {
    const factory = gatedScriptRecognizer(words, gated(), (k) => (k === 1 ? 2.5 : 0));
    factory({}); // the first connection
    const second = factory({});
    const [again] = second.wordsBetween(0, 1.5);
    expect(again).toMatchObject({ word: 'again', start: 0.5, end: 1 });
  });
});
