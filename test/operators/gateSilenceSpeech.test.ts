import { resolve } from 'node:path';
import { SilenceDetector } from '../../src/operators/silenceDetector';
import { bytesPerSecond, rmsDbfs, sumOfSquares } from '../../src/protocol/audioFormat';
import type { GatedSpan } from '../../src/operators/gateSilence';
import { chunk, concat, readWavFile, runGate } from './gateSilenceSignals';

const FILES = ['preamble-rest.wav', 'preamble-websocket.wav'];
const load = (name: string): ReturnType<typeof readWavFile> & { bps: number; chunkBytes: number } => {
  const wav = readWavFile(resolve(__dirname, '../../../shared/audio', name));
  const bps = bytesPerSecond(wav);
  return { ...wav, bps, chunkBytes: 0.02 * bps }; // 20 ms chunks, as a microphone would deliver
};
const format = (wav: ReturnType<typeof load>) => ({ encoding: wav.encoding, sample_rate: wav.sample_rate });
const overlaps = (spans: readonly GatedSpan[], bps: number, start: number, end: number): boolean =>
  spans.some((s) => start < Math.round(s.to * bps) && end > Math.round(s.from * bps));

/** 20 ms frames measured with the protocol helpers, independently of the detector. */
function frameLevels(wav: ReturnType<typeof load>): { start: number; end: number; level: number }[] {
  const frames = [];
  for (let start = 0; start + wav.chunkBytes <= wav.data.length; start += wav.chunkBytes) {
    const { sum, samples } = sumOfSquares(wav.data, wav.encoding, start, wav.chunkBytes);
    frames.push({ start, end: start + wav.chunkBytes, level: rmsDbfs(sum, samples) });
  }
  return frames;
}

/** Runs of 10 ms frames below the threshold, in bytes, as the detector decides them. */
function pauses(wav: ReturnType<typeof load>): { start: number; end: number }[] {
  const runs: { start: number; end: number }[] = [];
  const detector = new SilenceDetector(
    { encoding: wav.encoding, sampleRate: wav.sample_rate, channels: 1, thresholdDbfs: -50, frameMs: 10 },
    (end, _level, speech) => {
      const last = runs.at(-1);
      if (speech) return;
      if (last !== undefined && last.end === end - detector.frameBytes) last.end = end;
      else runs.push({ start: end - detector.frameBytes, end });
    },
  );
  detector.analyze(wav.data);
  return runs;
}

describe.each(FILES)('%s', (name) => {
  const wav = load(name);

  test.each([
    ['the defaults', {}],
    ['a 100 ms preroll and a 200 ms hangover', { prerollMs: 100, hangoverMs: 200 }],
  ])('with %s no frame in the loudest half of the recording is gated', (_label, lengths) => {
    const run = runGate(chunk(wav.data, wav.chunkBytes), { ...format(wav), ...lengths });
    const frames = frameLevels(wav);
    const median = frames.map((f) => f.level).sort((a, b) => a - b)[frames.length >> 1]!;
    const loud = frames.filter((f) => f.level >= median);
    expect(run.spans.length).toBeGreaterThan(0);
    expect(loud.filter((f) => overlaps(run.spans, wav.bps, f.start, f.end))).toEqual([]);
  });

  test('every pause longer than preroll plus hangover is gated but for preroll, hangover and rounding', () => {
    const prerollMs = 100;
    const hangoverMs = 200;
    const run = runGate(chunk(wav.data, wav.chunkBytes), { ...format(wav), prerollMs, hangoverMs });
    const slack = ((prerollMs + hangoverMs + 50) / 1000) * wav.bps; // + 2 chunks and a frame of rounding
    const long = pauses(wav).filter((p) => p.end - p.start > slack);
    expect(long.length).toBeGreaterThanOrEqual(4);
    for (const pause of long) {
      const gated = run.spans
        .map(
          (s) =>
            Math.min(pause.end, Math.round(s.to * wav.bps)) -
            Math.max(pause.start, Math.round(s.from * wav.bps)),
        )
        .filter((bytes) => bytes > 0)
        .reduce((a, b) => a + b, 0);
      expect(gated).toBeGreaterThanOrEqual(pause.end - pause.start - slack);
    }
  });

  test('with the defaults the gate drops some audio but less than the silent share', () => {
    const run = runGate(chunk(wav.data, wav.chunkBytes), format(wav));
    const gated = run.spans.at(-1)!.totalGatedSeconds;
    const silent = pauses(wav).reduce((n, p) => n + p.end - p.start, 0) / wav.bps;
    expect(gated).toBeGreaterThan(0);
    expect(gated).toBeLessThan(silent);
  });

  test("a 5 s pause of the recording's own background noise is gated but for preroll and hangover", () => {
    // The recording opens with 390 ms below -50 dBFS: loop it into a 5 s pause between two readings.
    const background = wav.data.subarray(0, 0.38 * wav.bps);
    const pause = concat(Array.from({ length: Math.ceil(5 / 0.38) }, () => background)).subarray(
      0,
      5 * wav.bps,
    );
    const source = concat([wav.data, pause, wav.data]);
    const run = runGate(chunk(source, wav.chunkBytes), format(wav));
    const duration = wav.data.length / wav.bps;
    const inPause = run.spans.filter((s) => s.from >= duration - 1 && s.to <= duration + 6);
    expect(inPause).toHaveLength(1);
    expect(inPause[0]!.to - inPause[0]!.from).toBeGreaterThan(5 - 0.3 - 0.5 - 0.06);
  });
});
