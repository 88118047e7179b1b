/**
 * The cost of silence gating on the project's sample (`samples/pauses-16k.wav`, 38.2 s with pauses
 * of 1 to 12 s) and its proof that nothing is lost: through transcribe() against the emulator with
 * the content-aware script recognizer (it follows the audio it RECEIVES and maps it onto the file,
 * as a real recognizer hears what it is sent), the final words with the gate on are those with the
 * gate off — same text, same order, every timestamp within 20 ms — while the bill shrinks by the
 * gated seconds.
 */
import { readFileSync } from 'node:fs';
import type { Word } from '../../src/protocol/messages';
import { contentAudioFromWav, contentRecognizer, loadScript } from '../../src/server/engine';
import { closeEmulators, SAMPLE_WAV, SAMPLE_WORDS } from '../session/emulatorSupport';
import { runFile, type CostRun } from './costSupport';

const TOLERANCE_SECONDS = 0.02;

const script = loadScript(SAMPLE_WORDS);
const { format, data } = contentAudioFromWav(readFileSync(SAMPLE_WAV));
const recognizer = (): ReturnType<typeof contentRecognizer> => contentRecognizer(script, data, format);

afterEach(closeEmulators);

let ungated: CostRun;
let gatedDefaults: CostRun;
let gatedShort: CostRun;

beforeAll(async () => {
  ungated = await runFile(SAMPLE_WAV, false, { recognizer: recognizer() });
  gatedDefaults = await runFile(SAMPLE_WAV, {}, { recognizer: recognizer() });
  gatedShort = await runFile(SAMPLE_WAV, { prerollMs: 100, hangoverMs: 200 }, { recognizer: recognizer() });
  await closeEmulators();
}, 30_000);

const text = (words: readonly Word[]): (string | undefined)[] =>
  words.map((w) => w.punctuated_word ?? w.word);
/** Every word whose start or end differs from the reference by more than the tolerance. */
function displaced(words: readonly Word[], reference: readonly Word[]): string[] {
  return words.flatMap((word, i) => {
    const expected = reference[i];
    if (expected === undefined) return [`${word.word}: no reference word`];
    const off = Math.max(Math.abs(word.start - expected.start), Math.abs(word.end - expected.end));
    return off > TOLERANCE_SECONDS
      ? [`${word.word} ${word.start}–${word.end} vs ${expected.start}–${expected.end}`]
      : [];
  });
}

it('transcribes every word of the script without gating, at the script’s times', () => {
  expect(text(ungated.words)).toEqual(script.words.map((w) => w.punctuated_word));
  expect(
    displaced(
      ungated.words,
      script.words.map((w) => ({ ...w, confidence: 1 })),
    ),
  ).toEqual([]);
});

it.each([
  ['the default preroll and hangover', () => gatedDefaults],
  ['a 100 ms preroll and a 200 ms hangover', () => gatedShort],
])('with %s gives the same final words as without gating, timestamps within 20 ms', (_label, run) => {
  const { words, spans } = run();
  expect(spans.length).toBeGreaterThan(2);
  expect(text(words)).toEqual(text(ungated.words));
  expect(displaced(words, ungated.words)).toEqual([]);
});

it('bills the whole file without gating, reconciled with the Metadata', () => {
  expect(ungated.usage).toMatchObject({ final: true, gatedSeconds: 0, reconciled: true, keepAlives: 0 });
  expect(ungated.usage.billedSeconds ?? NaN).toBeCloseTo(38.236, 3);
});

it.each([
  ['the default preroll and hangover', () => gatedDefaults, 19.98],
  ['a 100 ms preroll and a 200 ms hangover', () => gatedShort, 17.71],
])('with %s bills the file minus the gated seconds, reconciled', (_label, run, billed) => {
  const { usage, session } = run();
  expect(usage).toMatchObject({ final: true, reconciled: true });
  expect(usage.billedSeconds ?? NaN).toBeCloseTo(billed, 2);
  expect(usage.audioSeconds + usage.gatedSeconds).toBeCloseTo(ungated.usage.audioSeconds, 3);
  expect(session.audioSeconds).toBeCloseTo(usage.audioSeconds, 3);
});
