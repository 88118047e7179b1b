import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { readWav } from '../../src/audio/readWav';
import { SAMPLES, SHARED_AUDIO, concat, countingBytes, dataChunkOf, tempDir, writeWav } from './wavBytes';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const collect = (audio$: ReturnType<typeof readWav>['audio$']) => lastValueFrom(audio$.pipe(toArray()));

function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  expect(Buffer.compare(Buffer.from(actual), Buffer.from(expected))).toBe(0);
}

describe('readWav chunks', () => {
  it('cuts mu-law 8 kHz mono into 800-byte chunks of 100 ms, only the last one shorter', async () => {
    const path = join(SHARED_AUDIO, 'preamble-websocket.wav');
    const chunks = await collect(readWav(path, { pace: 'fast' }).audio$);
    const data = dataChunkOf(readFileSync(path));
    expect(chunks.length).toBe(Math.ceil(data.length / 800));
    expect(chunks.slice(0, -1).every((c) => c.length === 800)).toBe(true);
    expect(chunks.at(-1)!.length).toBe(data.length - 800 * (chunks.length - 1));
  });

  it('gives back exactly the data chunk of preamble-websocket.wav when the chunks are concatenated', async () => {
    const path = join(SHARED_AUDIO, 'preamble-websocket.wav');
    const chunks = await collect(readWav(path, { pace: 'fast' }).audio$);
    expectSameBytes(concat(chunks), dataChunkOf(readFileSync(path)));
  });

  it('cuts linear16 22050 Hz mono into 4410-byte chunks of 100 ms', async () => {
    const path = join(SHARED_AUDIO, 'preamble-rest.wav');
    const chunks = await collect(readWav(path, { pace: 'fast' }).audio$);
    expect(chunks.slice(0, -1).every((c) => c.length === 4410)).toBe(true);
    expectSameBytes(concat(chunks), dataChunkOf(readFileSync(path)));
  });

  it('cuts the pauses sample into 640-byte chunks of 20 ms that add up to its data chunk', async () => {
    const path = join(SAMPLES, 'pauses-16k.wav');
    const chunks = await collect(readWav(path, { chunkMs: 20, pace: 'fast' }).audio$);
    expect(chunks.slice(0, -1).every((c) => c.length === 640)).toBe(true);
    expectSameBytes(concat(chunks), dataChunkOf(readFileSync(path)));
  });

  it('never splits a stereo frame when chunkMs is not a whole number of frames', async () => {
    const data = countingBytes(4 * 2205);
    const path = writeWav(dir, 'stereo-22050.wav', {
      audioFormat: 1,
      channels: 2,
      sampleRate: 22050,
      bitsPerSample: 16,
      data,
    });
    // 10 ms at 22050 Hz is 220.5 frames: chunks alternate between 220 and 221 frames of 4 bytes.
    const chunks = await collect(readWav(path, { chunkMs: 10, pace: 'fast' }).audio$);
    expect(chunks).toHaveLength(10);
    expect(chunks.every((c) => c.length % 4 === 0)).toBe(true);
    expect(new Set(chunks.map((c) => c.length))).toEqual(new Set([880, 884]));
    expectSameBytes(concat(chunks), data);
  });

  it('emits chunks that own their memory, so a consumer that mutates one cannot corrupt a replay', async () => {
    const path = join(SHARED_AUDIO, 'testing-websocket.wav');
    const { audio$ } = readWav(path, { pace: 'fast' });
    const first = await collect(audio$);
    expect(first.every((c) => c.byteOffset === 0 && c.buffer.byteLength === c.length)).toBe(true);
    for (const c of first) c.fill(0);
    const second = await collect(audio$);
    expectSameBytes(concat(second), dataChunkOf(readFileSync(path)));
  });

  it('completes without emitting for a WAV whose data chunk is empty', async () => {
    const path = writeWav(dir, 'empty.wav', {
      audioFormat: 7,
      channels: 1,
      sampleRate: 8000,
      bitsPerSample: 8,
      data: new Uint8Array(0),
    });
    expect(await collect(readWav(path).audio$)).toEqual([]);
  });
});
