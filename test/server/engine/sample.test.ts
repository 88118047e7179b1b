import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scriptRecognizer } from '../../../src/server/engine/recognizers';
import { loadScript } from '../../../src/server/engine/scriptFile';
import { config, ofType, results, session, wordsOf } from './synth';

// The repository's sample: synthetic speech with pauses, streamed as a WAV (no encoding given).
const samples = join(__dirname, '../../../samples');
const script = loadScript(join(samples, 'pauses-16k.words.json'));
const wav = new Uint8Array(readFileSync(join(samples, script.audio)));
const cfg = config({
  encoding: undefined,
  sampleRate: undefined,
  interimResults: true,
  vadEvents: true,
  utteranceEndMs: 1000,
  punctuate: true,
  recognizer: scriptRecognizer(script.words),
});
const { all } = session(cfg, wav, [3200]);

describe('the pauses-16k sample through the engine', () => {
  test('every word of its script is in exactly one final, with its timestamps', () => {
    const words = results(all, 'final').flatMap(wordsOf);
    expect(words.map((w) => [w.word, w.start, w.end])).toEqual(
      script.words.map((w) => [w.word, w.start, w.end]),
    );
  });

  test('each sentence ends in its own speech_final final', () => {
    const sentences: string[] = [];
    let current: string[] = [];
    for (const w of script.words) {
      current.push(w.punctuated_word ?? w.word);
      if (/[.!?]$/.test(w.punctuated_word ?? '')) {
        sentences.push(current.join(' '));
        current = [];
      }
    }
    const finals = results(all, 'final').filter((r) => wordsOf(r).length > 0);
    expect(finals.map((r) => [r.channel.alternatives[0]!.transcript, r.speech_final])).toEqual(
      sentences.map((s) => [s, true]),
    );
  });

  test('each pause of a second or more after a phrase gives one UtteranceEnd with the phrase’s last word end', () => {
    const phraseEnds = script.words
      .filter((w, i) => {
        const next = script.words[i + 1];
        return next === undefined ? w.end + 1 <= wav.length / 32000 : next.start - w.end >= 1;
      })
      .map((w) => w.end);
    expect(ofType(all, 'UtteranceEnd').map((m) => m.last_word_end)).toEqual(phraseEnds);
  });

  test('the Metadata duration is the data chunk length over 32000 bytes per second', () => {
    expect(all[all.length - 1]).toMatchObject({
      type: 'Metadata',
      duration: (wav.length - 44) / 32000,
      channels: 1,
    });
  });
});
