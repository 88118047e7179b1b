import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLES, dataChunkOf } from './wavBytes';

interface Word {
  word: string;
  start: number;
  end: number;
  punctuated_word: string;
}
interface WordsFile {
  audio: string;
  encoding: string;
  sample_rate: number;
  channels: number;
  words: Word[];
}

const script = JSON.parse(readFileSync(join(SAMPLES, 'pauses-16k.words.json'), 'utf8')) as WordsFile;
const wav = readFileSync(join(SAMPLES, script.audio));
const data = dataChunkOf(wav);
const samples = new Int16Array(data.length / 2);
for (let i = 0; i < samples.length; i++) samples[i] = data[2 * i]! | ((data[2 * i + 1]! << 24) >> 16);
const duration = samples.length / script.sample_rate;

/** RMS (0–32768) of the samples between two times in seconds. */
function rms(from: number, to: number): number {
  const a = Math.round(from * script.sample_rate);
  const b = Math.round(to * script.sample_rate);
  let sum = 0;
  for (let i = a; i < b; i++) sum += samples[i]! * samples[i]!;
  return Math.sqrt(sum / Math.max(1, b - a));
}

/** Silent spans between words (and at the edges), longest first. */
const pauses = [0, ...script.words.flatMap((w) => [w.start, w.end]), duration]
  .flatMap((t, i, all) => (i % 2 === 0 ? [{ from: t, to: all[i + 1]! }] : []))
  .sort((p, q) => q.to - q.from - (p.to - p.from));

describe('samples/pauses-16k', () => {
  it('declares the audio file, encoding, rate and channels of the WAV header', () => {
    expect(script.audio).toBe('pauses-16k.wav');
    const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
    expect({
      format: view.getUint16(20, true),
      channels: view.getUint16(22, true),
      rate: view.getUint32(24, true),
    }).toEqual({ format: 1, channels: script.channels, rate: script.sample_rate });
    expect(script.encoding).toBe('linear16');
  });

  it('lasts between 35 and 45 seconds', () => {
    expect(duration).toBeGreaterThanOrEqual(35);
    expect(duration).toBeLessThanOrEqual(45);
  });

  it('lists words in order, each with start < end, inside the audio, not overlapping the next', () => {
    expect(script.words.length).toBeGreaterThan(10);
    script.words.forEach((w, i) => {
      expect(w.start).toBeGreaterThanOrEqual(0);
      expect(w.end).toBeGreaterThan(w.start);
      expect(w.end).toBeLessThanOrEqual(duration);
      const next = script.words[i + 1];
      if (next) expect(next.start).toBeGreaterThanOrEqual(w.end);
    });
  });

  it('writes every word lower-case without punctuation, and its punctuated form spells the same word', () => {
    for (const w of script.words) {
      expect(w.word).toMatch(/^[a-z0-9']+$/);
      expect(w.punctuated_word.toLowerCase().replace(/[^a-z0-9']/g, '')).toBe(w.word);
    }
  });

  it('has a pause longer than 10 s with no word in it, and it is digital silence', () => {
    const longest = pauses[0]!;
    expect(longest.to - longest.from).toBeGreaterThan(10);
    expect(script.words.some((w) => w.end > longest.from && w.start < longest.to)).toBe(false);
    expect(rms(longest.from, longest.to)).toBeLessThan(1);
  });

  it('has a second pause of at least 3 s', () => {
    expect(pauses[1]!.to - pauses[1]!.from).toBeGreaterThanOrEqual(3);
  });

  it('has speech energy over every word span, far above the long pause', () => {
    const silence = rms(pauses[0]!.from, pauses[0]!.to);
    for (const w of script.words) {
      const level = rms(w.start, w.end);
      // -40 dBFS is 327.68; speech here sits around -20 dBFS.
      expect({ word: w.word, loud: level > 327.68 && level > 100 * (silence + 1) }).toEqual({
        word: w.word,
        loud: true,
      });
    }
  });
});
