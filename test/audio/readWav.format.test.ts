import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { readWav } from '../../src/audio/readWav';
import { SAMPLES, SHARED_AUDIO, concat, countingBytes, tempDir, writeWav } from './wavBytes';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readWav format', () => {
  it('reads preamble-websocket.wav as mu-law 8000 Hz mono', () => {
    expect(readWav(join(SHARED_AUDIO, 'preamble-websocket.wav')).format).toEqual({
      encoding: 'mulaw',
      sample_rate: 8000,
      channels: 1,
    });
  });

  it('reads preamble-rest.wav as linear16 22050 Hz mono', () => {
    expect(readWav(join(SHARED_AUDIO, 'preamble-rest.wav')).format).toEqual({
      encoding: 'linear16',
      sample_rate: 22050,
      channels: 1,
    });
  });

  it('reads the pauses sample as linear16 16000 Hz mono, the format its words.json declares', () => {
    const words = JSON.parse(readFileSync(join(SAMPLES, 'pauses-16k.words.json'), 'utf8')) as {
      encoding: string;
      sample_rate: number;
      channels: number;
    };
    const { format } = readWav(join(SAMPLES, 'pauses-16k.wav'));
    expect(format).toEqual({ encoding: 'linear16', sample_rate: 16000, channels: 1 });
    expect(format).toEqual({
      encoding: words.encoding,
      sample_rate: words.sample_rate,
      channels: words.channels,
    });
  });

  it('reads A-law 8-bit files as alaw', () => {
    const path = writeWav(dir, 'alaw.wav', {
      audioFormat: 6,
      channels: 1,
      sampleRate: 8000,
      bitsPerSample: 8,
      data: countingBytes(800),
    });
    expect(readWav(path).format).toEqual({ encoding: 'alaw', sample_rate: 8000, channels: 1 });
  });

  it('reads WAVE_FORMAT_EXTENSIBLE 16-bit PCM stereo as linear16 with two channels', () => {
    const path = writeWav(dir, 'extensible.wav', {
      audioFormat: 1,
      extensible: true,
      channels: 2,
      sampleRate: 48000,
      bitsPerSample: 16,
      data: countingBytes(960),
    });
    expect(readWav(path).format).toEqual({ encoding: 'linear16', sample_rate: 48000, channels: 2 });
  });

  it('reads WAVE_FORMAT_EXTENSIBLE mu-law as mulaw', () => {
    const path = writeWav(dir, 'extensible-mulaw.wav', {
      audioFormat: 7,
      extensible: true,
      channels: 1,
      sampleRate: 8000,
      bitsPerSample: 8,
      data: countingBytes(80),
    });
    expect(readWav(path).format.encoding).toBe('mulaw');
  });

  it('streams only the data chunk: not the pad byte of an odd-sized chunk nor the chunks around it', async () => {
    const data = countingBytes(801);
    const path = writeWav(dir, 'odd.wav', {
      audioFormat: 7,
      channels: 1,
      sampleRate: 8000,
      bitsPerSample: 8,
      data,
      before: [{ id: 'fact', body: new Uint8Array([0x21, 0x03, 0, 0]) }],
      after: [{ id: 'LIST', body: new Uint8Array(Buffer.from('INFOISFT\x04\x00\x00\x00test', 'latin1')) }],
    });
    const chunks = await lastValueFrom(readWav(path, { pace: 'fast' }).audio$.pipe(toArray()));
    expect(concat(chunks)).toEqual(data);
  });

  describe('with two LIST chunks (INFO tags and adtl marker labels, as audio editors write them)', () => {
    const sub = (id: string, body: string): string => {
      const padded = body.length % 2 === 0 ? body : `${body}\0`;
      const size = String.fromCharCode(body.length & 0xff, body.length >> 8, 0, 0);
      return `${id}${size}${padded}`;
    };
    const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'latin1'));
    const INFO = { id: 'LIST', body: bytes(`INFO${sub('INAM', 'take 1\0')}`) };
    const ADTL = { id: 'LIST', body: bytes(`adtl${sub('labl', '\x01\0\0\0marker\0')}`) };
    const CUE = { id: 'cue ', body: bytes(`\x01\0\0\0\x01\0\0\0\0\0\0\0data${'\0'.repeat(12)}`) };

    it.each([
      ['INFO before the data, cue and adtl after it', { before: [INFO], after: [CUE, ADTL] }],
      ['INFO and adtl after the data', { after: [INFO, ADTL] }],
      ['adtl and INFO after the data', { after: [ADTL, INFO] }],
    ])('streams the data chunk: %s', async (name, chunks) => {
      const data = countingBytes(3200);
      const path = writeWav(dir, `${name.replace(/\W+/g, '-')}.wav`, {
        audioFormat: 1,
        channels: 1,
        sampleRate: 16000,
        bitsPerSample: 16,
        data,
        ...chunks,
      });
      const { format, audio$ } = readWav(path, { pace: 'fast' });
      expect(format).toEqual({ encoding: 'linear16', sample_rate: 16000, channels: 1 });
      expect(concat(await lastValueFrom(audio$.pipe(toArray())))).toEqual(data);
    });
  });

  it('streams what a truncated file holds when the data chunk declares more bytes', async () => {
    const data = countingBytes(1000);
    const path = writeWav(dir, 'truncated.wav', {
      audioFormat: 1,
      channels: 1,
      sampleRate: 16000,
      bitsPerSample: 16,
      data,
      declaredDataSize: 0xffffffff,
    });
    const chunks = await lastValueFrom(readWav(path, { pace: 'fast' }).audio$.pipe(toArray()));
    expect(concat(chunks)).toEqual(data);
  });

  it('streams the rest of the file when the data chunk declares 0 bytes (a writer that could not seek back)', async () => {
    const data = countingBytes(1000);
    const path = writeWav(dir, 'streamed-zero.wav', {
      audioFormat: 1,
      channels: 1,
      sampleRate: 16000,
      bitsPerSample: 16,
      data,
      declaredDataSize: 0,
    });
    const chunks = await lastValueFrom(readWav(path, { pace: 'fast' }).audio$.pipe(toArray()));
    expect(concat(chunks)).toEqual(data);
  });

  it('streams nothing from an empty data chunk followed by another chunk', async () => {
    const path = writeWav(dir, 'empty-then-list.wav', {
      audioFormat: 1,
      channels: 1,
      sampleRate: 16000,
      bitsPerSample: 16,
      data: new Uint8Array(0),
      after: [{ id: 'LIST', body: Buffer.from('INFOISFT\u0004\u0000\u0000\u0000abc\u0000', 'latin1') }],
    });
    const chunks = await lastValueFrom(readWav(path, { pace: 'fast' }).audio$.pipe(toArray()));
    expect(chunks).toEqual([]);
  });

  it('drops a trailing partial sample frame', async () => {
    const path = writeWav(dir, 'partial.wav', {
      audioFormat: 1,
      channels: 2,
      sampleRate: 16000,
      bitsPerSample: 16,
      data: countingBytes(4 * 10 + 3),
    });
    const chunks = await lastValueFrom(readWav(path, { pace: 'fast' }).audio$.pipe(toArray()));
    expect(concat(chunks)).toEqual(countingBytes(40));
  });
});
