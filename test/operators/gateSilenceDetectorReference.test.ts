import fc from 'fast-check';
import { SilenceDetector, type SilenceDetectorSettings } from '../../src/operators/silenceDetector';
import { ALAW_TO_LINEAR, MULAW_TO_LINEAR, type RawEncoding } from '../../src/protocol/audioFormat';
import { encode, prng } from './gateSilenceSignals';

interface FrameRecord {
  end: number;
  level: number;
  speech: boolean;
}

/** What the detector reports after each chunk. */
interface ChunkRecord {
  firstSpeechStart: number;
  lastSpeechEnd: number;
}

/**
 * The detector written the obvious way, over the whole stream at once: decode every sample, cut
 * the samples into frames of `frameSamples` sample frames, sum the squares of each channel in
 * stream order, and compare the loudest channel with the threshold (capped at the loudest level the
 * encoding can carry).
 */
function referenceFrames(bytes: Uint8Array, settings: SilenceDetectorSettings): FrameRecord[] {
  const { encoding, sampleRate, channels, thresholdDbfs, frameMs } = settings;
  const samples: number[] = [];
  if (encoding === 'linear16') {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i + 1 < bytes.length; i += 2) samples.push(view.getInt16(i, true));
  } else {
    const table = encoding === 'mulaw' ? MULAW_TO_LINEAR : ALAW_TO_LINEAR;
    for (const byte of bytes) samples.push(table[byte]!);
  }
  const frameSamples = Math.max(1, Math.round((sampleRate * frameMs) / 1000));
  const frameBytes = frameSamples * channels * (encoding === 'linear16' ? 2 : 1);
  const fullScale = 32768 * 32768;
  // A threshold above the loudest frame the encoding can carry is that frame (0 dBFS is reachable).
  const loudest =
    encoding === 'linear16'
      ? 32767
      : Math.max(...Array.from(encoding === 'mulaw' ? MULAW_TO_LINEAR : ALAW_TO_LINEAR, Math.abs));
  const threshold = Math.min(fullScale * Math.pow(10, thresholdDbfs / 10), loudest * loudest) * frameSamples;
  const frames: FrameRecord[] = [];
  const perFrame = frameSamples * channels;
  for (let f = 0; (f + 1) * perFrame <= samples.length; f++) {
    const sums = new Array<number>(channels).fill(0);
    for (let k = 0; k < perFrame; k++) {
      const s = samples[f * perFrame + k]!;
      sums[k % channels] = sums[k % channels]! + s * s;
    }
    const loudest = Math.max(...sums);
    frames.push({
      end: (f + 1) * frameBytes,
      level: loudest === 0 ? -Infinity : 10 * Math.log10(loudest / frameSamples / fullScale),
      speech: loudest >= threshold,
    });
  }
  return frames;
}

/** The reference's per-chunk report: speech frames whose last byte arrived in that chunk. */
function referenceChunks(frames: readonly FrameRecord[], chunkEnds: readonly number[]): ChunkRecord[] {
  const frameBytes = frames[0]?.end ?? 0;
  let lastSpeechEnd = -1;
  let chunkStart = 0;
  return chunkEnds.map((chunkEnd) => {
    let firstSpeechStart = -1;
    for (const f of frames) {
      if (!f.speech || f.end <= chunkStart || f.end > chunkEnd) continue;
      if (firstSpeechStart < 0) firstSpeechStart = f.end - frameBytes;
      lastSpeechEnd = f.end;
    }
    chunkStart = chunkEnd;
    return { firstSpeechStart, lastSpeechEnd };
  });
}

/** Samples in segments of random loudness (2^bits peak), so frames fall on both sides of a threshold. */
function signal(segments: readonly { samples: number; bits: number; seed: number }[]): Int16Array {
  const out = new Int16Array(segments.reduce((n, s) => n + s.samples, 0));
  let o = 0;
  for (const { samples, bits, seed } of segments) {
    const random = prng(seed);
    const peak = 2 ** bits;
    for (let i = 0; i < samples; i++)
      out[o++] = Math.max(-32768, Math.min(32767, Math.floor((2 * random() - 1) * peak)));
  }
  return out;
}

/** Cuts `bytes` into consecutive chunks whose sizes cycle through `sizes` (0 allowed). */
function split(bytes: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const size = sizes[k % sizes.length]!;
    out.push(bytes.slice(at, at + size));
    at += size;
  }
  return out;
}

const scenario = fc.record({
  encoding: fc.constantFrom<RawEncoding>('linear16', 'mulaw', 'alaw'),
  channels: fc.integer({ min: 1, max: 3 }),
  sampleRate: fc.constantFrom(8000, 11025, 16000),
  // Frames of 1 sample (0.05 ms) up to 10 ms.
  frameMs: fc.constantFrom(0.05, 0.5, 1, 2.5, 10),
  thresholdDbfs: fc.integer({ min: -90, max: 0 }),
  segments: fc.array(
    fc.record({
      samples: fc.integer({ min: 0, max: 400 }),
      bits: fc.integer({ min: 0, max: 15 }),
      seed: fc.integer({ min: 1, max: 10_000 }),
    }),
    { minLength: 1, maxLength: 6 },
  ),
  // Chunk sizes that split samples, sample frames and analysis frames anywhere; 0 = empty chunk.
  chunkSizes: fc.array(fc.integer({ min: 0, max: 700 }), { minLength: 1, maxLength: 5 }),
  oddByte: fc.boolean(),
});

test('the detector reports the same frames, levels and per-chunk speech positions as a reference implementation for random audio and chunk splits', () => {
  fc.assert(
    fc.property(scenario, (s) => {
      // At least one non-empty chunk size, so the stream is consumed.
      fc.pre(s.chunkSizes.some((size) => size > 0));
      const settings: SilenceDetectorSettings = {
        encoding: s.encoding,
        sampleRate: s.sampleRate,
        channels: s.channels,
        thresholdDbfs: s.thresholdDbfs,
        frameMs: s.frameMs,
      };
      const encoded = encode(signal(s.segments), s.encoding);
      // linear16 streams may end in the middle of a sample.
      const bytes = s.oddByte && s.encoding === 'linear16' ? Uint8Array.of(...encoded, 0x7f) : encoded;
      const frames: FrameRecord[] = [];
      const detector = new SilenceDetector(settings, (end, level, speech) =>
        frames.push({ end, level, speech }),
      );
      const chunks = split(bytes, s.chunkSizes);
      const reports: ChunkRecord[] = [];
      const chunkEnds: number[] = [];
      let position = 0;
      for (const c of chunks) {
        detector.analyze(c);
        position += c.length;
        chunkEnds.push(position);
        reports.push({ firstSpeechStart: detector.firstSpeechStart, lastSpeechEnd: detector.lastSpeechEnd });
      }
      const expected = referenceFrames(bytes, settings);
      expect(frames).toEqual(expected);
      expect(reports).toEqual(referenceChunks(expected, chunkEnds));
    }),
    { numRuns: 400 },
  );
});

test('a linear16 sample split across chunks exactly at a frame boundary completes that frame', () => {
  // frameMs 0.125 at 16 kHz = 2 samples = 4 bytes per frame.
  const detector = new SilenceDetector({
    encoding: 'linear16',
    sampleRate: 16000,
    channels: 1,
    thresholdDbfs: -10,
    frameMs: 0.125,
  });
  // Samples 0, 0 | 0x4000, 0x4000 (about -6 dBFS): the second frame's last byte comes alone.
  detector.analyze(Uint8Array.of(0, 0, 0, 0, 0x00, 0x40, 0x00));
  expect(detector.firstSpeechStart).toBe(-1);
  expect(detector.lastSpeechEnd).toBe(-1);
  detector.analyze(Uint8Array.of(0x40));
  expect(detector.firstSpeechStart).toBe(4);
  expect(detector.lastSpeechEnd).toBe(8);
});
