import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scriptRecognizer } from '../../../src/server/engine/recognizers';
import type { ScriptWord } from '../../../src/server/engine/types';
import { config, linear16, results, session, signal, wordsOf, type Piece } from './synth';

// Three phrases over tones; the pauses between them end utterances (endpointing 300 ms).
const script: ScriptWord[] = [
  { word: 'we', start: 0.5, end: 0.7, punctuated_word: 'We' },
  { word: 'the', start: 0.7, end: 0.9 },
  { word: 'people', start: 0.9, end: 1.4, punctuated_word: 'people,' },
  { word: 'in', start: 2.2, end: 2.4 },
  { word: 'order', start: 2.4, end: 2.8 },
  { word: 'to', start: 2.8, end: 2.95 },
  { word: 'form', start: 2.95, end: 3.3, punctuated_word: 'form.' },
  { word: 'justice', start: 4.6, end: 5.2, punctuated_word: 'Justice.' },
];
const pieces: Piece[] = [
  { silence: 0.5 },
  { tone: 0.9 },
  { silence: 0.8 },
  { tone: 1.1 },
  { silence: 1.3 },
  { tone: 0.6 },
  { silence: 1 },
];
const audio = linear16(signal(16000, pieces));
const cfg = config({ interimResults: true, endpointing: 300, recognizer: scriptRecognizer(script) });

describe('script recognizer in a session', () => {
  test('every script word appears exactly once across the finals, in order, with its timestamps', () => {
    const finals = results(session(cfg, audio, [1000]).all, 'final');
    const words = finals.flatMap(wordsOf).map((w) => [w.word, w.start, w.end]);
    expect(words).toEqual(script.map((w) => [w.word, w.start, w.end]));
  });

  test('each word is in the final whose window holds its start', () => {
    const finals = results(session(cfg, audio, [1000]).all, 'final');
    for (const r of finals) {
      for (const w of wordsOf(r)) {
        expect(w.start).toBeGreaterThanOrEqual(r.start);
        expect(w.start).toBeLessThan(r.start + r.duration);
      }
    }
  });

  test('phrases separated by pauses end in speech_final finals with their transcripts', () => {
    const finals = results(session(cfg, audio, [1000]).all, 'final').filter((r) => wordsOf(r).length > 0);
    expect(finals.map((r) => [r.channel.alternatives[0]!.transcript, r.speech_final])).toEqual([
      ['we the people', true],
      ['in order to form', true],
      ['justice', true],
    ]);
  });

  test('interims show only the words fully received', () => {
    const interims = results(session(cfg, audio, [320]).streamed, 'interim');
    expect(interims.length).toBeGreaterThan(0);
    for (const r of interims) {
      for (const w of wordsOf(r)) expect(w.end).toBeLessThanOrEqual(r.start + r.duration + 1e-9);
    }
  });

  test('with punctuate the words carry punctuated_word and the transcript uses it', () => {
    const finals = results(session({ ...cfg, punctuate: true }, audio).all, 'final');
    const first = finals.find((r) => wordsOf(r).length > 0)!;
    expect(first.channel.alternatives[0]!.transcript).toBe('We the people,');
    expect(wordsOf(first)[1]).toEqual({
      word: 'the',
      start: 0.7,
      end: 0.9,
      confidence: 0.99,
      punctuated_word: 'the',
    });
  });

  test('smart_format implies punctuated words', () => {
    const finals = results(session({ ...cfg, smartFormat: true }, audio).all, 'final');
    expect(finals.flatMap(wordsOf)[0]).toHaveProperty('punctuated_word', 'We');
  });

  test('with diarize each word carries speaker before punctuated_word', () => {
    const finals = results(session({ ...cfg, diarize: true, punctuate: true }, audio).all, 'final');
    expect(Object.keys(finals.flatMap(wordsOf)[0]!)).toEqual([
      'word',
      'start',
      'end',
      'confidence',
      'speaker',
      'punctuated_word',
    ]);
  });

  test('the confidence of a result is the upper median of its words, as in Deepgram’s recorded finals; 0 when empty', () => {
    const words = [
      { word: 'a', start: 0.1, end: 0.2, confidence: 0.5 },
      { word: 'b', start: 0.2, end: 0.3, confidence: 0.25 },
      { word: 'c', start: 0.3, end: 0.4, confidence: 1 },
      { word: 'd', start: 0.4, end: 0.5, confidence: 0.75 },
    ];
    const finals = results(session({ ...cfg, recognizer: scriptRecognizer(words) }, audio).all, 'final');
    expect(finals.map((r) => r.channel.alternatives[0]!.confidence).slice(0, 2)).toEqual([0.75, 0]);
  });

  test('the upper median rule is the one every recorded Deepgram final with words follows', () => {
    const dir = join(__dirname, '../../../../shared/fixtures/deepgram-recorded');
    const finals = readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .map(
        (name) =>
          (
            JSON.parse(readFileSync(join(dir, name), 'utf8')) as {
              response: {
                channel: {
                  alternatives: Array<{ confidence: number; words: Array<{ confidence: number }> }>;
                };
              };
            }
          ).response,
      )
      .flatMap((results) => results.channel.alternatives)
      .filter((alternative) => alternative.words.length > 0);
    expect(finals.length).toBeGreaterThan(5);
    for (const alternative of finals) {
      const sorted = alternative.words.map((w) => w.confidence).sort((a, b) => a - b);
      expect(alternative.confidence).toBe(sorted[Math.floor(sorted.length / 2)]);
    }
  });

  test('the chunker never cuts a final in the middle of a word: it waits for the word to end', () => {
    const long = scriptRecognizer([
      { word: 'before', start: 0.5, end: 1.0 },
      { word: 'straddles', start: 1.8, end: 2.3 },
      { word: 'after', start: 2.4, end: 2.9 },
    ]);
    const tone = linear16(signal(16000, [{ tone: 3 }]));
    const finals = results(
      session(config({ recognizer: long, tuning: { maxSegmentMs: 2000 } }), tone).all,
      'final',
    );
    expect(finals.map((r) => [r.start, r.duration, wordsOf(r).map((w) => w.word)])).toEqual([
      [0, 2.3, ['before', 'straddles']],
      [2.3, 0.7, ['after']],
    ]);
  });

  test('an onset cut before a word still being received moves before the word', () => {
    const early = scriptRecognizer([{ word: 'early', start: 0.9, end: 1.4 }]);
    const sound = linear16(signal(16000, [{ silence: 1 }, { tone: 1 }]));
    const finals = results(session(config({ recognizer: early }), sound).all, 'final');
    expect(finals.map((r) => [r.start, r.duration, wordsOf(r).map((w) => w.word)])).toEqual([
      [0, 0.9, []],
      [0.9, 1.1, ['early']],
    ]);
  });

  test('whatever the chunking, every word is reported exactly once across the finals', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 6 }), (sizes) => {
        const finals = results(session(cfg, audio, sizes).all, 'final');
        expect(finals.flatMap(wordsOf).map((w) => w.word)).toEqual(script.map((w) => w.word));
      }),
      { numRuns: 25 },
    );
  });
});
