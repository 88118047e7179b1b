/**
 * Helpers for the content-aware recognizer tests: the pauses-16k sample, gated and replayed streams
 * cut from its PCM data, a generated mu-law file with its script, and a driver that feeds a
 * session's recognizer.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentRecognizer } from '../../../src/server/engine/contentRecognizer';
import { contentAudioFromWav } from '../../../src/server/engine/contentWav';
import { resolveRecognizer } from '../../../src/server/engine/recognizerSelect';
import { loadScript } from '../../../src/server/engine/scriptFile';
import type { Recognizer, ScriptWord } from '../../../src/server/engine/types';
import { chunks, concat } from './synth';

export const samplesDir = join(__dirname, '../../../samples');
export const sampleScriptPath = join(samplesDir, 'pauses-16k.words.json');
export const sampleScript = loadScript(sampleScriptPath);
export const sampleWav = new Uint8Array(readFileSync(join(samplesDir, sampleScript.audio)));
export const sample = contentAudioFromWav(sampleWav);
/** The sample's content-aware recognizer (a template: one fresh state per session). */
export const sampleRecognizer = contentRecognizer(sampleScript, sample.data, sample.format);

/** Bytes per second of the sample (linear16, 16 kHz, mono). */
export const SAMPLE_BPS = 32000;
/** Bytes per sample frame of the sample. */
const SAMPLE_FRAME = 2;

/** The byte offset of a time of the sample (whole sample frames). */
export function sampleByte(seconds: number): number {
  return Math.round(seconds * 16000) * SAMPLE_FRAME;
}

/** A span of the file, in seconds: [from, to). */
export interface Span {
  readonly from: number;
  readonly to: number;
}

/** The sample's data without the given spans (in time order), as a gate would send it. */
export function gated(drops: readonly Span[], data: Uint8Array = sample.data): Uint8Array {
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const d of drops) {
    parts.push(data.subarray(at, sampleByte(d.from)));
    at = sampleByte(d.to);
  }
  parts.push(data.subarray(at));
  return concat(...parts);
}

/** The script's words as a gate with these drops would make Deepgram hear them: shifted earlier. */
export function expectedAfterDrops(words: readonly ScriptWord[], drops: readonly Span[]): string[] {
  const out: string[] = [];
  for (const w of words) {
    const cut = drops.some(
      (d) => sampleByte(d.from) < sampleByte(w.end) && sampleByte(d.to) > sampleByte(w.start),
    );
    if (cut) continue;
    const before = drops
      .filter((d) => sampleByte(d.to) <= sampleByte(w.start))
      .reduce((n, d) => n + (sampleByte(d.to) - sampleByte(d.from)) / SAMPLE_BPS, 0);
    out.push(label({ ...w, start: round6(w.start - before), end: round6(w.end - before) }));
  }
  return out;
}

export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** `word@start-end`. */
export function label(w: ScriptWord): string {
  return `${w.word}@${w.start}-${w.end}`;
}

/**
 * A new session of `template` that receives `audio` in chunks of `sizes`; returns its words (asked
 * after each chunk up to what the recognizer has settled, then, with `end: 'flush'`, everything
 * after a flush as at the end of a stream; `'drop'`: as a connection that dies).
 */
export function follow(
  template: Recognizer,
  audio: Uint8Array,
  sizes: readonly number[] = [3200],
  bytesPerSecond = SAMPLE_BPS,
  end: 'flush' | 'drop' = 'flush',
): string[] {
  const session = resolveRecognizer(template, {});
  const words: ScriptWord[] = [];
  let asked = 0;
  let clock = 0;
  const askUntil = (to: number): void => {
    if (to > asked) words.push(...session.wordsBetween(asked, to));
    asked = Math.max(asked, to);
  };
  for (const part of chunks(audio, sizes)) {
    session.observe!(part, clock / bytesPerSecond);
    clock += part.length;
    askUntil(session.settledSeconds!());
  }
  if (end === 'flush') {
    session.flush!();
    askUntil(Infinity);
  }
  return words.map(label);
}

/** Deterministic noise-like "speech" (an LCG), at roughly -20 dBFS. */
export function noiseWord(samples: number, seed: number): Int16Array {
  const out = new Int16Array(samples);
  let x = seed >>> 0;
  for (let i = 0; i < samples; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = ((x >>> 16) % 6000) - 3000;
  }
  return out;
}
