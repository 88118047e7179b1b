/**
 * The content-aware recognizer inside the engine: the detector waits for its decisions, so the
 * finals carry exactly the words whose audio the session received, at the session clock's times.
 */
import { contentAudioFromWav } from '../../../src/server/engine/contentWav';
import { createEngine } from '../../../src/server/engine/engine';
import { resolveRecognizer } from '../../../src/server/engine/recognizerSelect';
import { scriptRecognizer } from '../../../src/server/engine/recognizers';
import type { EngineConfig, OutboundMessage } from '../../../src/server/engine/types';
import {
  expectedAfterDrops,
  gated,
  label,
  round6,
  sample,
  sampleByte,
  sampleRecognizer,
  sampleScript,
  sampleWav,
  type Span,
} from './contentSynth';
import { chunks, config, feed, results, session, wordsOf } from './synth';

/** A config whose recognizer is a fresh session of the sample's content-aware recognizer. */
function contentConfig(overrides: Partial<EngineConfig> = {}): EngineConfig {
  return config({
    interimResults: true,
    vadEvents: true,
    utteranceEndMs: 1000,
    punctuate: true,
    recognizer: resolveRecognizer(sampleRecognizer, {}),
    ...overrides,
  });
}

function finalWords(messages: readonly OutboundMessage[]): string[] {
  return results(messages, 'final')
    .flatMap(wordsOf)
    .map((w) => label({ word: w.word, start: w.start, end: w.end }));
}

function finalTranscripts(messages: readonly OutboundMessage[]): string[] {
  return results(messages, 'final')
    .map((r) => r.channel.alternatives[0]!.transcript)
    .filter((t) => t !== '');
}

const drops: readonly Span[] = [
  { from: 0.2, to: 0.9 },
  { from: 3.6, to: 6.3 },
  { from: 10.2, to: 21.8 },
  { from: 27.7, to: 31.3 },
];

describe('the engine with a content-aware recognizer', () => {
  test('the whole sample as a WAV gives the very same messages as the clock-based script', () => {
    const clock = session(
      contentConfig({
        encoding: undefined,
        sampleRate: undefined,
        recognizer: scriptRecognizer(sampleScript.words),
      }),
      sampleWav,
    ).all;
    const content = session(contentConfig({ encoding: undefined, sampleRate: undefined }), sampleWav).all;
    expect(content).toEqual(clock);
  });

  test('raw linear16 in 333-byte chunks gives every word in the finals at its script time', () => {
    expect(finalWords(session(contentConfig(), sample.data, [333]).all)).toEqual(
      sampleScript.words.map(label),
    );
  });

  test('a gated stream gives the same final transcripts as the whole file, each word earlier by the audio dropped before it', () => {
    const whole = session(contentConfig(), sample.data).all;
    const gatedRun = session(contentConfig(), gated(drops)).all;
    expect(finalTranscripts(gatedRun)).toEqual(finalTranscripts(whole));
    expect(finalWords(gatedRun)).toEqual(expectedAfterDrops(sampleScript.words, drops));
  });

  test('a word cut by a dropped span is missing from the finals, in 100 ms chunks too', () => {
    const cut: Span[] = [{ from: 1.2, to: 1.3 }];
    const words = finalWords(session(contentConfig(), gated(cut), [3200]).all);
    expect(words).toEqual(expectedAfterDrops(sampleScript.words, cut));
    expect(words[0]).toMatch(/^from@/);
  });

  test('a replay on a new session gives the replayed words again, on its own clock from 0', () => {
    const first = createEngine(contentConfig());
    const heardFirst = finalWords(feed(first, chunks(sample.data.subarray(0, sampleByte(8.4)), [3200])));
    // The connection drops inside 'for': no close; the client resumes 2.4 s back on a new one.
    const from = 6.0;
    const replay = session(contentConfig(), sample.data.subarray(sampleByte(from))).all;
    expect(heardFirst.length).toBeLessThanOrEqual(7);
    expect(finalWords(replay)).toEqual(
      sampleScript.words
        .filter((w) => w.start >= from)
        .map((w) => label({ ...w, start: round6(w.start - from), end: round6(w.end - from) })),
    );
  });

  test('Finalize inside a word gives the same messages as the clock-based script: the word is in the flushed final', () => {
    const run = (cfg: EngineConfig): OutboundMessage[][] => {
      const engine = createEngine(cfg);
      return [
        feed(engine, chunks(sample.data.subarray(0, sampleByte(1.8)), [3200])),
        engine.finalize(),
        [
          ...feed(engine, chunks(sample.data.subarray(sampleByte(1.8), sampleByte(3.6)), [3200])),
          ...engine.close(),
        ],
      ];
    };
    const content = run(contentConfig());
    const clock = run(contentConfig({ recognizer: scriptRecognizer(sampleScript.words) }));
    expect(content.flat()).toEqual(clock.flat());
    const flushed = results(content[1]!, 'final').filter((r) => r.from_finalize);
    expect(flushed.map((r) => r.channel.alternatives[0]!.transcript)).toEqual(['Hello from']);
    expect(finalWords(content[2]!)).toEqual(sampleScript.words.slice(2, 4).map(label));
  });

  test('the Metadata duration counts every byte received, held back or not', () => {
    const { all } = session(contentConfig(), gated(drops));
    expect(all[all.length - 1]).toMatchObject({ type: 'Metadata', duration: gated(drops).length / 32000 });
  });

  test('a mu-law session of the same file is not the file’s bytes: no words, no waiting', () => {
    const { format, data } = contentAudioFromWav(sampleWav);
    expect(format.encoding).toBe('linear16');
    const noise = new Uint8Array(data.length / 2).fill(0x55);
    const all = session(contentConfig({ encoding: 'mulaw', sampleRate: 16000 }), noise).all;
    expect(finalWords(all)).toEqual([]);
  });
});
