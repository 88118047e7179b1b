/**
 * fromMicrophone's chunking: linear16 chunks of exactly chunkMs, whatever the worklet's batch sizes.
 */
import fc from 'fast-check';
import { createLinear16Chunker } from '../../src/audio/pcmChunker';
import { createMicrophonePipeline, samplesPerChunk } from '../../src/audio/microphonePipeline';
import { toLinear16 } from '../../src/audio/pcmLinear16';

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

const ramp = (length: number): Float32Array =>
  Float32Array.from({ length }, (_, i) => ((i % 200) - 100) / 100);

test('samples per chunk is chunkMs of audio at the chosen rate', () => {
  expect(samplesPerChunk(16000, 100)).toBe(1600);
  expect(samplesPerChunk(8000, 20)).toBe(160);
  expect(samplesPerChunk(22050, 10)).toBe(221);
});

test('nothing is emitted until a chunk is full', () => {
  const chunker = createLinear16Chunker(1600);
  expect(chunker.push(new Float32Array(1599))).toEqual([]);
  expect(chunker.pending).toBe(1599);
});

test('a chunk that spans several callbacks holds their samples in order', () => {
  const chunker = createLinear16Chunker(4);
  expect(chunker.push(Float32Array.of(0.5, -0.5, 1))).toEqual([]);
  const [chunk, ...rest] = chunker.push(Float32Array.of(-1, 0.25));
  expect(rest).toEqual([]);
  expect(Array.from(chunk!)).toEqual(Array.from(toLinear16([0.5, -0.5, 1, -1])));
  expect(chunker.pending).toBe(1);
});

test('one large callback yields several chunks and keeps the remainder for the next one', () => {
  const chunker = createLinear16Chunker(100);
  const chunks = chunker.push(ramp(350));
  expect(chunks.map((c) => c.length)).toEqual([200, 200, 200]);
  expect(chunker.pending).toBe(50);
});

test('every chunk is a new buffer that later callbacks never overwrite', () => {
  const chunker = createLinear16Chunker(2);
  const [first] = chunker.push(Float32Array.of(0.5, 0.5));
  const copy = Array.from(first!);
  chunker.push(Float32Array.of(-0.5, -0.5, -1, -1));
  expect(Array.from(first!)).toEqual(copy);
});

test('the chunks are the samples in order, however the callbacks split them', () => {
  const samples = ramp(2000);
  const expected = toLinear16(samples);
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 300 }),
      fc.array(fc.integer({ min: 0, max: 400 })),
      (size, cuts) => {
        const chunker = createLinear16Chunker(size);
        const chunks: Uint8Array[] = [];
        let from = 0;
        for (const cut of cuts) {
          const to = Math.min(samples.length, from + cut);
          chunks.push(...chunker.push(samples.subarray(from, to)));
          from = to;
        }
        chunks.push(...chunker.push(samples.subarray(from)));
        expect(chunks.every((c) => c.length === size * 2)).toBe(true);
        expect(chunks.length).toBe(Math.floor(samples.length / size));
        const bytes = Buffer.from(concat(chunks));
        expect(bytes.equals(Buffer.from(expected.subarray(0, chunks.length * size * 2)))).toBe(true);
      },
    ),
    { numRuns: 100 },
  );
});

test('the pipeline turns 48 kHz worklet batches into 100 ms chunks of 16 kHz linear16', () => {
  const pipeline = createMicrophonePipeline({ inputRate: 48000, sampleRate: 16000, chunkMs: 100 });
  expect(pipeline.chunkBytes).toBe(3200);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < (48000 * 2) / 384; i++) chunks.push(...pipeline.push(new Float32Array(384).fill(0.5)));
  // 2 s of audio: 20 chunks less the resampler's look-ahead of a few samples, i.e. 19 full chunks.
  expect(chunks.map((c) => c.length)).toEqual(new Array<number>(19).fill(3200));
  const last = new DataView(chunks[18]!.buffer).getInt16(3198, true);
  expect(last).toBe(16384);
});
