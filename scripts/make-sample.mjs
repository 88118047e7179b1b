#!/usr/bin/env node
// Regenerates samples/pauses-16k.wav and samples/pauses-16k.words.json: English speech with long
// pauses (one of 12 s, longer than Deepgram's 10 s idle timeout) and word timings known by
// construction.
//
// Needs espeak-ng and sox (Debian: `apt-get install -y espeak-ng sox`). CI never runs this: the
// generated files are committed. Run from the repository root: `node scripts/make-sample.mjs`.
//
// How the timings are exact: every word is synthesized on its own, resampled to 16 kHz mono 16-bit
// and trimmed of its leading/trailing silence; the final audio is then assembled here sample by
// sample from those words and digital silence (zeros) of known length. A word's start/end are its
// first/last sample offsets in the final file, divided by the sample rate.
import { Buffer } from 'node:buffer';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { stdout } from 'node:process';
import { fileURLToPath } from 'node:url';

const NAME = 'pauses-16k';
const RATE = 16000;
const VOICE = 'en-us';
const SPEED_WPM = 150;
/** Silence between two words of a sentence, and between two sentences of a phrase (seconds). */
const WORD_GAP_S = 0.09;
const SENTENCE_GAP_S = 0.45;
/** sox `silence` threshold used to trim each synthesized word. */
const TRIM = ['1', '0.005', '0.5%'];

/** What the file holds, in order: silences (seconds) and phrases (sentences spoken back to back). */
const SCRIPT = [
  { silence: 1.0 },
  { phrase: ['Hello from Deepgram RX.'] },
  { silence: 3.0 },
  { phrase: ['This sample pauses for twelve seconds.'] },
  { silence: 12.0 },
  { phrase: ['Still connected after the pause.', 'KeepAlive held the line.'] },
  { silence: 4.0 },
  { phrase: ['That was a shorter pause.', 'Goodbye from the sample.'] },
  { silence: 1.5 },
];

/** How espeak-ng should say a word when its spelling would mislead it (keys: lower-case words). */
const SAY = { rx: 'R X', keepalive: 'keep alive' };

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outWav = join(root, 'samples', `${NAME}.wav`);
const outJson = join(root, 'samples', `${NAME}.words.json`);
const work = mkdtempSync(join(tmpdir(), 'make-sample-'));

/** Synthesizes one word; returns its trimmed 16 kHz mono samples. */
function synthesize(text, index) {
  const raw = join(work, `word-${index}.wav`);
  const pcm = join(work, `word-${index}.s16`);
  execFileSync('espeak-ng', ['-v', VOICE, '-s', String(SPEED_WPM), '-w', raw, text]);
  // -D: no dither, so nothing but the word itself survives the trim.
  execFileSync('sox', [
    '-D',
    raw,
    '-t',
    'raw',
    '-r',
    String(RATE),
    '-e',
    'signed-integer',
    '-b',
    '16',
    '-c',
    '1',
    '-L',
    pcm,
    'silence',
    ...TRIM,
    'reverse',
    'silence',
    ...TRIM,
    'reverse',
  ]);
  const bytes = readFileSync(pcm);
  const samples = new Int16Array(bytes.length / 2);
  for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(i * 2);
  if (samples.length === 0) throw new Error(`espeak-ng produced no audio for "${text}"`);
  return samples;
}

function rmsDbfs(samples, from, to) {
  let sum = 0;
  for (let i = from; i < to; i++) sum += samples[i] * samples[i];
  const n = Math.max(1, to - from);
  return sum === 0 ? -Infinity : 10 * Math.log10(sum / n / (32768 * 32768));
}

const log = (line) => stdout.write(`${line}\n`);
const seconds = (n) => Math.round((n / RATE) * 1000) / 1000;

try {
  /** Pieces of the final audio: Int16Array of speech, or a count of zero samples. */
  const pieces = [];
  const words = [];
  let cursor = 0;
  let wordIndex = 0;
  const addSilence = (s) => {
    const n = Math.round(s * RATE);
    pieces.push(n);
    cursor += n;
  };

  for (const item of SCRIPT) {
    if ('silence' in item) {
      addSilence(item.silence);
      continue;
    }
    item.phrase.forEach((sentence, sentenceIndex) => {
      if (sentenceIndex > 0) addSilence(SENTENCE_GAP_S);
      const tokens = sentence.split(/\s+/).filter(Boolean);
      tokens.forEach((token, tokenIndex) => {
        if (tokenIndex > 0) addSilence(WORD_GAP_S);
        const word = token.toLowerCase().replace(/[^a-z0-9']/g, '');
        const samples = synthesize(SAY[word] ?? word, wordIndex++);
        const punctuated = tokenIndex === 0 ? token[0].toUpperCase() + token.slice(1) : token;
        words.push({ word, startSample: cursor, endSample: cursor + samples.length, punctuated });
        pieces.push(samples);
        cursor += samples.length;
      });
    });
  }

  const total = new Int16Array(cursor);
  let at = 0;
  for (const piece of pieces) {
    if (typeof piece === 'number') at += piece;
    else {
      total.set(piece, at);
      at += piece.length;
    }
  }

  // Write raw PCM, then let sox wrap it in a canonical 44-byte RIFF/WAVE header.
  const pcmPath = join(work, 'all.s16');
  const pcm = Buffer.alloc(total.length * 2);
  for (let i = 0; i < total.length; i++) pcm.writeInt16LE(total[i], i * 2);
  writeFileSync(pcmPath, pcm);
  execFileSync('sox', [
    '-D',
    '-t',
    'raw',
    '-r',
    String(RATE),
    '-e',
    'signed-integer',
    '-b',
    '16',
    '-c',
    '1',
    '-L',
    pcmPath,
    '-t',
    'wav',
    '-e',
    'signed-integer',
    '-b',
    '16',
    outWav,
  ]);

  const json = {
    audio: `${NAME}.wav`,
    encoding: 'linear16',
    sample_rate: RATE,
    channels: 1,
    words: words.map((w) => ({
      word: w.word,
      start: seconds(w.startSample),
      end: seconds(w.endSample),
      punctuated_word: w.punctuated,
    })),
  };
  writeFileSync(outJson, `${JSON.stringify(json, null, 2)}\n`);

  // Verification: print every word, its level, the pauses, and fail on anything off.
  const duration = total.length / RATE;
  log(`${outWav}: ${duration.toFixed(3)} s, ${words.length} words, ${RATE} Hz linear16 mono`);
  for (const w of words) {
    const db = rmsDbfs(total, w.startSample, w.endSample);
    log(
      `  ${seconds(w.startSample).toFixed(3)}–${seconds(w.endSample).toFixed(3)}  ${db.toFixed(1).padStart(6)} dBFS  ${w.punctuated}`,
    );
    if (!(db > -40)) throw new Error(`word "${w.word}" is too quiet (${db} dBFS)`);
  }
  const pauses = [];
  const edges = [0, ...words.flatMap((w) => [w.startSample, w.endSample]), total.length];
  for (let i = 0; i + 1 < edges.length; i += 2) {
    const [from, to] = [edges[i], edges[i + 1]];
    if (to - from >= RATE) pauses.push({ from, to });
  }
  log('pauses of 1 s or more:');
  for (const { from, to } of pauses) {
    const quiet = rmsDbfs(total, from, to);
    log(
      `  ${seconds(from).toFixed(3)}–${seconds(to).toFixed(3)}  ${seconds(to - from).toFixed(3)} s  (${quiet} dBFS)`,
    );
    if (quiet !== -Infinity) throw new Error('a pause is not digital silence');
  }
  if (!pauses.some((p) => p.to - p.from > 10 * RATE)) throw new Error('no pause longer than 10 s');
  if (duration < 35 || duration > 45) throw new Error(`duration ${duration} s is outside 35–45 s`);
  log(`wrote ${outJson}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
