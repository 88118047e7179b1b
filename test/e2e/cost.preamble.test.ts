/**
 * The cost of silence gating on read speech without a script (`preamble-rest.wav`, linear16
 * 22.05 kHz, 19.1 s): billed seconds with and without the gate, reconciled with the emulator's
 * Metadata, and no audio above the gate's threshold dropped. The emulator has no script for this
 * file, so its transcripts are empty: whether a word is clipped cannot be checked here (see
 * docs/cost.md), only that everything dropped was quiet.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseWav } from '../../src/audio/wavHeader';
import { GATE_SILENCE_DEFAULTS } from '../../src/operators/gateSilence';
import { rmsDbfs, sumOfSquares } from '../../src/protocol/audioFormat';
import { closeEmulators } from '../session/emulatorSupport';
import { runFile, type CostRun } from './costSupport';

const PATH = resolve(__dirname, '../../../shared/audio/preamble-rest.wav');
const CHUNK_SECONDS = 0.02;

afterEach(closeEmulators);

let ungated: CostRun;
let gatedDefaults: CostRun;
let gatedShort: CostRun;

beforeAll(async () => {
  ungated = await runFile(PATH, false);
  gatedDefaults = await runFile(PATH, {});
  gatedShort = await runFile(PATH, { prerollMs: 100, hangoverMs: 200 });
  await closeEmulators();
}, 30_000);

it('bills the whole file without gating, and reconciles the bill with the audio sent', () => {
  expect(ungated.usage).toMatchObject({ final: true, gatedSeconds: 0, reconciled: true });
  expect(ungated.usage.billedSeconds).toBeCloseTo(19.1, 1);
  expect(ungated.usage.audioSeconds).toBeCloseTo(ungated.usage.billedSeconds ?? NaN, 3);
});

it.each([
  ['the default preroll and hangover', () => gatedDefaults],
  ['a 100 ms preroll and a 200 ms hangover', () => gatedShort],
])('with %s bills the file minus the gated seconds', (_label, run) => {
  const { usage, session } = run();
  expect(usage).toMatchObject({ final: true, reconciled: true });
  expect(usage.gatedSeconds).toBeGreaterThan(0);
  expect(usage.billedSeconds ?? NaN).toBeCloseTo(ungated.usage.audioSeconds - usage.gatedSeconds, 3);
  expect(session.audioSeconds).toBeCloseTo(usage.audioSeconds, 3);
  expect(Math.abs(usage.mismatchSeconds ?? NaN)).toBeLessThanOrEqual(CHUNK_SECONDS);
});

it('gates more with a shorter preroll and hangover: the saving is measured, not assumed', () => {
  expect(gatedShort.usage.gatedSeconds).toBeGreaterThan(gatedDefaults.usage.gatedSeconds);
  expect(gatedShort.usage.billedSeconds ?? NaN).toBeLessThan(gatedDefaults.usage.billedSeconds ?? NaN);
});

it.each([
  ['the default preroll and hangover', () => gatedDefaults],
  ['a 100 ms preroll and a 200 ms hangover', () => gatedShort],
])('with %s drops no 10 ms frame at or above the threshold', (_label, run) => {
  const { format, data } = parseWav(readFileSync(PATH), PATH);
  expect(format).toEqual({ encoding: 'linear16', sample_rate: 22050, channels: 1 });
  const bytesPerSecond = format.sample_rate * 2;
  const frameBytes = Math.round(format.sample_rate / 100) * 2; // 221 samples, as the gate's frames
  const { spans } = run();
  expect(spans.length).toBeGreaterThan(0);
  const loudDropped: number[] = [];
  for (const span of spans) {
    const from = Math.round(span.from * bytesPerSecond);
    const to = Math.round(span.to * bytesPerSecond);
    // Every 10 ms frame (counted from the first byte, as the gate counts) that shares a byte with the span.
    for (let start = Math.floor(from / frameBytes) * frameBytes; start < to; start += frameBytes) {
      const length = Math.min(frameBytes, data.length - start);
      const { sum, samples } = sumOfSquares(data, 'linear16', start, length);
      if (rmsDbfs(sum, samples) >= GATE_SILENCE_DEFAULTS.thresholdDbfs)
        loudDropped.push(start / bytesPerSecond);
    }
  }
  expect(loudDropped).toEqual([]);
});
