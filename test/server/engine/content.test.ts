import { contentRecognizer } from '../../../src/server/engine/contentRecognizer';
import { contentAudioFromWav } from '../../../src/server/engine/contentWav';
import { resolveRecognizer } from '../../../src/server/engine/recognizerSelect';
import { scriptRecognizer } from '../../../src/server/engine/recognizers';
import type { ScriptWord } from '../../../src/server/engine/types';
import {
  expectedAfterDrops,
  follow,
  gated,
  label,
  noiseWord,
  round6,
  sample,
  sampleByte,
  sampleRecognizer,
  sampleScript,
  type Span,
} from './contentSynth';
import { concat, linear16, mulaw, signal, wavHeader } from './synth';

const allWords = sampleScript.words.map(label);

/** Silent spans of the sample to drop, as a gate would: inside pauses, away from the words. */
const pauseDrops: readonly Span[] = [
  { from: 0.2, to: 0.9 },
  { from: 3.6, to: 6.3 },
  { from: 10.2, to: 21.8 },
  { from: 27.7, to: 31.3 },
];

describe('contentRecognizer on the pauses-16k sample', () => {
  test('the whole file from its start gives every word at the times of the clock-based script', () => {
    const clock = scriptRecognizer(sampleScript.words).wordsBetween(0, Infinity).map(label);
    expect(follow(sampleRecognizer, sample.data)).toEqual(clock);
    expect(clock).toEqual(allWords);
  });

  test('with silent spans dropped, every word comes once, earlier by exactly the audio dropped before it', () => {
    expect(follow(sampleRecognizer, gated(pauseDrops))).toEqual(
      expectedAfterDrops(sampleScript.words, pauseDrops),
    );
  });

  test('drops that end a few samples before a word still give that word at its shifted time', () => {
    // 'from' starts at 1.587 with 7 silent samples; 'this' at 6.482 with 6.
    const tight: Span[] = [
      { from: 1.5, to: 1.586 },
      { from: 3.5, to: 6.4815 },
    ];
    const expected = expectedAfterDrops(sampleScript.words, tight);
    expect(expected).toHaveLength(sampleScript.words.length);
    expect(follow(sampleRecognizer, gated(tight))).toEqual(expected);
  });

  test('a dropped span that cuts into a word loses that word and keeps the others', () => {
    const drops: Span[] = [{ from: 1.2, to: 1.3 }];
    const heard = follow(sampleRecognizer, gated(drops));
    expect(heard.map((w) => w.split('@')[0])).toEqual(sampleScript.words.slice(1).map((w) => w.word));
    expect(heard).toEqual(expectedAfterDrops(sampleScript.words, drops));
  });

  test('a replay on a new session from mid-file gives the words from there on, on a clock starting at 0', () => {
    const from = 7.0; // inside 'sample' (6.979-7.533): that word is clipped
    const heard = follow(sampleRecognizer, sample.data.subarray(sampleByte(from)));
    const expected = sampleScript.words
      .filter((w) => w.start >= from)
      .map((w) => label({ ...w, start: round6(w.start - from), end: round6(w.end - from) }));
    expect(heard).toEqual(expected);
    expect(heard[0]).toMatch(/^pauses@0.623-1.153$/);
  });

  test('a replay starting in a pause gives the words after it, shifted to the new clock', () => {
    const from = 16.5;
    const heard = follow(sampleRecognizer, sample.data.subarray(sampleByte(from)));
    expect(heard).toEqual(
      sampleScript.words
        .filter((w) => w.start >= from)
        .map((w) => label({ ...w, start: round6(w.start - from), end: round6(w.end - from) })),
    );
  });

  test('the first connection and its replay each hear the words of the audio they received', () => {
    const first = sample.data.subarray(0, sampleByte(8.4)); // dies inside 'for'
    const replay = sample.data.subarray(sampleByte(6.0)); // the client resumes 2.4 s back
    expect(follow(sampleRecognizer, first, [3200], 32000, 'drop')).toEqual(allWords.slice(0, 7));
    expect(follow(sampleRecognizer, replay)[0]).toBe('this@0.482-0.889');
  });

  test.each([[[1]], [[333]], [[1, 333, 7, 4096]]])(
    'chunks of %j bytes give the same words as whole chunks',
    (sizes) => {
      const stream = gated(pauseDrops).subarray(0, sampleByte(2.5)); // 'hello' to 'rx', 'this', 'sample'
      expect(follow(sampleRecognizer, stream, sizes)).toEqual(
        follow(sampleRecognizer, stream, [stream.length]),
      );
    },
  );

  test('at a flush, a word still being received is reported as if the rest of it followed', () => {
    const first = sample.data.subarray(0, sampleByte(8.4)); // inside 'for' (8.243-8.663)
    expect(follow(sampleRecognizer, first).slice(6)).toEqual(['pauses@7.623-8.153', 'for@8.243-8.663']);
  });

  test('audio that is not from the file (a tone) gives no words', () => {
    const tone = linear16(signal(16000, [{ silence: 0.5 }, { tone: 5 }, { silence: 0.5 }]));
    expect(follow(sampleRecognizer, tone)).toEqual([]);
  });

  test('a repeated word is told apart by what follows it', () => {
    // 'the' (26.639) and 'pause' (33.63) also occur elsewhere with the very same samples.
    const from = 26.6;
    const heard = follow(sampleRecognizer, sample.data.subarray(sampleByte(from), sampleByte(34.5)));
    expect(heard.map((w) => w.split('@')[0])).toEqual([
      'the',
      'line',
      'that',
      'was',
      'a',
      'shorter',
      'pause',
    ]);
    expect(heard[0]).toBe('the@0.039-0.34');
  });

  test('the file after unrelated audio is found and its words reported after it', () => {
    const tone = linear16(signal(16000, [{ tone: 1 }]));
    const heard = follow(sampleRecognizer, concat(tone, sample.data.subarray(0, sampleByte(3.6))));
    expect(heard).toEqual(
      sampleScript.words
        .slice(0, 4)
        .map((w) => label({ ...w, start: round6(w.start + 1), end: round6(w.end + 1) })),
    );
  });

  test('each session has its own state: a finished session does not shift the next one', () => {
    const a = resolveRecognizer(sampleRecognizer, {});
    const b = resolveRecognizer(sampleRecognizer, {});
    expect(a).not.toBe(b);
    expect(follow(sampleRecognizer, sample.data.subarray(sampleByte(20)))).toEqual(
      follow(sampleRecognizer, sample.data.subarray(sampleByte(20))),
    );
  });

  test('used directly without observe, it replays the script on the clock', () => {
    expect(sampleRecognizer.wordsBetween(0, 2).map(label)).toEqual(allWords.slice(0, 2));
  });
});

describe('contentRecognizer on a mu-law file', () => {
  // Three noise-like "words" with digital silence around them, 8 kHz mu-law.
  const rate = 8000;
  const pieces = [
    new Int16Array(4000),
    noiseWord(3000, 1),
    new Int16Array(2000),
    noiseWord(2500, 2),
    new Int16Array(6000),
    noiseWord(3500, 3),
    new Int16Array(4000),
  ];
  const samples = new Int16Array(pieces.reduce((n, p) => n + p.length, 0));
  pieces.reduce((at, p) => (samples.set(p, at), at + p.length), 0);
  const bytes = mulaw(samples);
  const words: ScriptWord[] = [
    { word: 'one', start: 0.5, end: 0.875 },
    { word: 'two', start: 1.125, end: 1.4375 },
    { word: 'three', start: 2.1875, end: 2.625 },
  ];
  const wav = concat(wavHeader(7, rate, 1, 8, bytes.length), bytes);
  const { format, data } = contentAudioFromWav(wav);
  const recognizer = contentRecognizer(words, data, format);

  test('its WAV header gives the mu-law format and the data', () => {
    expect([format, data.length]).toEqual([
      { encoding: 'mulaw', sampleRate: 8000, channels: 1 },
      bytes.length,
    ]);
  });

  test('the whole file gives the script', () => {
    expect(follow(recognizer, data, [160], rate)).toEqual(words.map(label));
  });

  test('with the long pause shortened by 0.5 s, the last word comes 0.5 s earlier', () => {
    const stream = concat(data.subarray(0, 12000), data.subarray(16000));
    expect(follow(recognizer, stream, [333], rate)).toEqual([
      'one@0.5-0.875',
      'two@1.125-1.4375',
      'three@1.6875-2.125',
    ]);
  });

  test('a replay from inside the first word gives the other two on the new clock', () => {
    expect(follow(recognizer, data.subarray(5000), [1], rate)).toEqual(['two@0.5-0.8125', 'three@1.5625-2']);
  });
});

describe('contentRecognizer arguments', () => {
  test('rejects a negative lookback and invalid words', () => {
    expect(() => contentRecognizer([], sample.data, sample.format, { lookbackSeconds: -1 })).toThrow(
      RangeError,
    );
    expect(() => contentRecognizer([{ word: 'x', start: 2, end: 1 }], sample.data, sample.format)).toThrow(
      RangeError,
    );
  });

  test('contentAudioFromWav names the source of a file that is not a WAV', () => {
    expect(() => contentAudioFromWav(new Uint8Array(64), 'x.wav')).toThrow(/x\.wav: not a RIFF/);
  });
});

describe('contentRecognizer on repeated audio', () => {
  // The sample five times over (~190 s), asked window after window as the engine does.
  const loops = 5;
  const looped = concat(...Array.from({ length: loops }, () => sample.data));

  test('asked window after window, gives every word that a session asked once at the end gives', () => {
    const session = resolveRecognizer(sampleRecognizer, {});
    const heard: ScriptWord[] = [];
    let asked = 0;
    for (let at = 0; at < looped.length; at += 3200) {
      session.observe!(looped.subarray(at, at + 3200), at / 32000);
      const to = session.settledSeconds!();
      if (to > asked) heard.push(...session.wordsBetween(asked, to));
      asked = Math.max(asked, to);
    }
    const whole = resolveRecognizer(sampleRecognizer, {});
    for (let at = 0; at < looped.length; at += 3200)
      whole.observe!(looped.subarray(at, at + 3200), at / 32000);
    expect(heard).toEqual(whole.wordsBetween(0, Infinity));
    expect(heard.map((w) => w.word)).toEqual(
      Array.from({ length: loops }, () => sampleScript.words.map((w) => w.word)).flat(),
    );
  });
});
