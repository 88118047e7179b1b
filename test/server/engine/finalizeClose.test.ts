import { createEngine } from '../../../src/server/engine/engine';
import { scriptRecognizer } from '../../../src/server/engine/recognizers';
import {
  chunks,
  config,
  feed,
  interleave,
  linear16,
  results,
  signal,
  wordsOf,
  type ResultsView,
} from './synth';

function asResults(messages: readonly object[]): ResultsView[] {
  return messages as ResultsView[];
}

describe('detect_entities', () => {
  test('finals carry an empty entities array (the emulator detects none), interims none', () => {
    const engine = createEngine(config({ interimResults: true, detectEntities: true }));
    const sent = asResults([
      ...feed(engine, chunks(linear16(signal(16000, [{ tone: 1.5 }])), [3200])),
      ...engine.close().slice(0, -1),
    ]);
    expect(sent.map((r) => [r.is_final, (r as { entities?: unknown }).entities])).toEqual(
      sent.map((r) => (r.is_final ? [true, []] : [false, undefined])),
    );
    expect(sent.some((r) => r.is_final) && sent.some((r) => !r.is_final)).toBe(true);
  });
});

describe('Finalize', () => {
  test('flushes the pending audio into one final with from_finalize true', () => {
    const engine = createEngine(config({ interimResults: true }));
    feed(engine, chunks(linear16(signal(16000, [{ tone: 0.7 }])), [3200]));
    const flushed = asResults(engine.finalize());
    expect(flushed.map((r) => [r.start, r.duration, r.is_final, r.speech_final, r.from_finalize])).toEqual([
      [0, 0.7, true, false, true],
    ]);
  });

  test('gives nothing when nothing is pending', () => {
    const engine = createEngine(config());
    feed(engine, [linear16(signal(16000, [{ tone: 0.7 }]))]);
    engine.finalize();
    expect(engine.finalize()).toEqual([]);
  });

  test('gives nothing before any audio', () => {
    expect(createEngine(config()).finalize()).toEqual([]);
  });

  test('the next final starts where the flushed one ended', () => {
    const engine = createEngine(config({ endpointing: 300 }));
    feed(engine, [linear16(signal(16000, [{ tone: 0.7 }]))]);
    engine.finalize();
    const later = results(
      feed(engine, [linear16(signal(16000, [{ tone: 0.5 }, { silence: 0.5 }]))]),
      'final',
    );
    expect(later.map((r) => [r.start, r.duration, r.from_finalize])).toEqual([[0.7, 0.8, false]]);
  });

  test('with a channel it flushes only that channel', () => {
    const engine = createEngine(config({ channels: 2, multichannel: true }));
    const tone = signal(16000, [{ tone: 0.5 }]);
    feed(engine, [linear16(interleave([tone, tone]))]);
    expect(asResults(engine.finalize(1)).map((r) => r.channel_index)).toEqual([[1, 2]]);
  });

  test('without a channel it flushes every channel in order', () => {
    const engine = createEngine(config({ channels: 2, multichannel: true }));
    const tone = signal(16000, [{ tone: 0.5 }]);
    feed(engine, [linear16(interleave([tone, tone]))]);
    expect(asResults(engine.finalize()).map((r) => r.channel_index)).toEqual([
      [0, 2],
      [1, 2],
    ]);
  });

  test('flushes all the audio received: a word still being received is in it, ending where the audio does', () => {
    const recognizer = scriptRecognizer([
      { word: 'one', start: 0.1, end: 0.4 },
      { word: 'two', start: 0.5, end: 0.9 },
    ]);
    const engine = createEngine(config({ recognizer }));
    feed(engine, [linear16(signal(16000, [{ tone: 0.7 }]))]);
    const [flushed] = asResults(engine.finalize());
    expect([
      flushed!.start,
      flushed!.duration,
      flushed!.from_finalize,
      wordsOf(flushed!).map((w) => [w.word, w.start, w.end]),
    ]).toEqual([
      0,
      0.7,
      true,
      [
        ['one', 0.1, 0.4],
        ['two', 0.5, 0.7],
      ],
    ]);
  });

  test('a Finalize in the middle of the only word still gets its final, and the word is not sent again', () => {
    const recognizer = scriptRecognizer([{ word: 'hello', start: 0, end: 1.5 }]);
    const engine = createEngine(config({ recognizer }));
    feed(engine, [linear16(signal(16000, [{ tone: 1 }]))]);
    const [flushed] = asResults(engine.finalize());
    expect([flushed!.from_finalize, wordsOf(flushed!).map((w) => [w.word, w.end])]).toEqual([
      true,
      [['hello', 1]],
    ]);
    feed(engine, [linear16(signal(16000, [{ tone: 1 }]))]);
    const rest = asResults(engine.close().slice(0, -1));
    expect(rest.flatMap((r) => wordsOf(r).map((w) => w.word))).toEqual([]);
  });
});

describe('close', () => {
  test('gives the remaining final then the Metadata last', () => {
    const engine = createEngine(config());
    feed(engine, [linear16(signal(16000, [{ tone: 0.9 }]))]);
    const closing = engine.close();
    expect(closing.map((m) => m.type)).toEqual(['Results', 'Metadata']);
    expect(
      asResults(closing.slice(0, 1)).map((r) => [r.start, r.duration, r.is_final, r.from_finalize]),
    ).toEqual([[0, 0.9, true, false]]);
  });

  test('gives one final per channel, then the Metadata', () => {
    const engine = createEngine(config({ channels: 3, multichannel: true }));
    const tone = signal(16000, [{ tone: 0.3 }]);
    feed(engine, [linear16(interleave([tone, tone, tone]))]);
    expect(engine.close().map((m) => (m.type === 'Results' ? m.channel_index : m.type))).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
      'Metadata',
    ]);
  });

  test('gives only the Metadata when nothing is pending', () => {
    const engine = createEngine(config());
    feed(engine, [linear16(signal(16000, [{ tone: 0.9 }]))]);
    engine.finalize();
    expect(engine.close().map((m) => m.type)).toEqual(['Metadata']);
  });

  test('ignores audio after close and a second close repeats only the Metadata', () => {
    const engine = createEngine(config());
    feed(engine, [linear16(signal(16000, [{ tone: 0.5 }]))]);
    const first = engine.close();
    expect(engine.pushAudio(new Uint8Array(3200))).toEqual([]);
    expect(engine.close()).toEqual([first[first.length - 1]]);
  });

  test('a word cut by the end of the audio ends at the end of the audio', () => {
    const recognizer = scriptRecognizer([{ word: 'cut', start: 0.5, end: 1.5 }]);
    const engine = createEngine(config({ recognizer }));
    feed(engine, [linear16(signal(16000, [{ tone: 1 }]))]);
    const [last] = asResults(engine.close());
    expect(wordsOf(last!)).toEqual([{ word: 'cut', start: 0.5, end: 1, confidence: 0.99 }]);
  });
});
