import fc from 'fast-check';
import { SilenceDetector } from '../../src/operators/silenceDetector';
import { bytesPerSecond, type RawEncoding } from '../../src/protocol/audioFormat';
import {
  concat,
  encode,
  interleave,
  join,
  noise,
  runGate,
  silence,
  tone,
  withoutSpans,
} from './gateSilenceSignals';

type Segment = { kind: 'silence' | 'tone' | 'loudNoise' | 'faintNoise'; ms: number; seed: number };

const segment: fc.Arbitrary<Segment> = fc.record({
  kind: fc.constantFrom('silence', 'tone', 'loudNoise', 'faintNoise'),
  ms: fc.integer({ min: 0, max: 400 }),
  seed: fc.integer({ min: 1, max: 1000 }),
});

const scenario = fc.record({
  encoding: fc.constantFrom<RawEncoding>('linear16', 'mulaw', 'alaw'),
  sampleRate: fc.constantFrom(8000, 11025, 16000),
  channels: fc.integer({ min: 1, max: 2 }),
  segments: fc.array(segment, { minLength: 1, maxLength: 8 }),
  chunkSizes: fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 6 }),
  prerollMs: fc.integer({ min: 0, max: 400 }),
  hangoverMs: fc.integer({ min: 0, max: 600 }),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function render(s: Scenario): Uint8Array {
  const channel = (offset: number): Int16Array =>
    join(
      ...s.segments.map(({ kind, ms, seed }) => {
        const seconds = ms / 1000;
        if (kind === 'tone') return tone(s.sampleRate, seconds, -25, 400 + 100 * offset);
        if (kind === 'loudNoise') return noise(s.sampleRate, seconds, -35, seed + offset);
        if (kind === 'faintNoise') return noise(s.sampleRate, seconds, -68, seed + offset);
        return silence(s.sampleRate, seconds);
      }),
    );
  const samples = s.channels === 1 ? channel(0) : interleave(channel(0), channel(1));
  return encode(samples, s.encoding);
}

function cut(bytes: Uint8Array, sizes: number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length]!;
    chunks.push(bytes.slice(at, at + size));
    at += size;
  }
  return chunks;
}

function run(s: Scenario): { bytes: Uint8Array; bps: number; result: ReturnType<typeof runGate> } {
  const bytes = render(s);
  const config = {
    encoding: s.encoding,
    sample_rate: s.sampleRate,
    channels: s.channels,
    prerollMs: s.prerollMs,
    hangoverMs: s.hangoverMs,
  };
  return { bytes, bps: bytesPerSecond(config), result: runGate(cut(bytes, s.chunkSizes), config) };
}

test('the output is always the source with the reported spans removed, then completes', () => {
  fc.assert(
    fc.property(scenario, (s) => {
      const { bytes, bps, result } = run(s);
      expect(result.error).toBeUndefined();
      expect(result.completed).toBe(true);
      const output = Buffer.from(concat(result.output));
      const expected = Buffer.from(withoutSpans(bytes, result.spans, bps));
      expect(output.length).toBe(expected.length);
      expect(output.equals(expected)).toBe(true);
    }),
    { numRuns: 60 },
  );
});

test('spans are ordered, non-empty, and their running total matches their lengths', () => {
  fc.assert(
    fc.property(scenario, (s) => {
      const { result } = run(s);
      let total = 0;
      let previousTo = -1;
      for (const span of result.spans) {
        expect(span.to).toBeGreaterThan(span.from);
        expect(span.from).toBeGreaterThan(previousTo);
        total += span.to - span.from;
        expect(span.totalGatedSeconds).toBeCloseTo(total, 9);
        expect(span.sentBefore).toBeCloseTo(span.from - (total - (span.to - span.from)), 9);
        previousTo = span.to;
      }
    }),
    { numRuns: 60 },
  );
});

test('every span that is followed by more output starts and ends on a sample-frame boundary', () => {
  fc.assert(
    fc.property(scenario, (s) => {
      const { bytes, bps, result } = run(s);
      const blockAlign = bps / s.sampleRate;
      for (const span of result.spans) {
        const to = Math.round(span.to * bps);
        if (to === bytes.length) continue; // trailing silence: nothing is sent after it
        expect(Math.round(span.from * bps) % blockAlign).toBe(0);
        expect(to % blockAlign).toBe(0);
      }
    }),
    { numRuns: 60 },
  );
});

test('no byte of a speech frame is ever gated', () => {
  fc.assert(
    fc.property(scenario, (s) => {
      const { bytes, bps, result } = run(s);
      const speech: [number, number][] = [];
      const detector = new SilenceDetector(
        {
          encoding: s.encoding,
          sampleRate: s.sampleRate,
          channels: s.channels,
          thresholdDbfs: -50,
          frameMs: 10,
        },
        (end, _level, isSpeech) => {
          if (isSpeech) speech.push([end - detector.frameBytes, end]);
        },
      );
      detector.analyze(bytes);
      for (const span of result.spans) {
        const from = Math.round(span.from * bps);
        const to = Math.round(span.to * bps);
        for (const [start, end] of speech) expect(end <= from || start >= to).toBe(true);
      }
    }),
    { numRuns: 60 },
  );
});
