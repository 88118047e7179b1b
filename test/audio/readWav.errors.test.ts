import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readWav } from '../../src/audio/readWav';
import { WavFileError } from '../../src/audio/wavFileError';
import { SHARED_AUDIO, countingBytes, tempDir, wavBytes, writeWav } from './wavBytes';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Calls `readWav` and returns what it threw. */
function thrownBy(path: string, config?: Parameters<typeof readWav>[1]): unknown {
  try {
    readWav(path, config);
  } catch (error) {
    return error;
  }
  throw new Error('readWav did not throw');
}

function wavFileError(path: string): WavFileError {
  const error = thrownBy(path);
  expect(error).toBeInstanceOf(WavFileError);
  return error as WavFileError;
}

describe('readWav errors', () => {
  it('throws a not-found WavFileError naming a missing file', () => {
    const path = join(dir, 'missing.wav');
    const error = wavFileError(path);
    expect(error.kind).toBe('not-found');
    expect(error.path).toBe(path);
    expect(error.message).toContain(path);
  });

  it('throws an unreadable WavFileError for a directory', () => {
    const path = join(dir, 'a-directory.wav');
    mkdirSync(path);
    const error = wavFileError(path);
    expect(error.kind).toBe('unreadable');
    expect(error.message).toContain(path);
  });

  it('throws a not-wav WavFileError naming a text file', () => {
    const path = join(dir, 'notes.wav');
    writeFileSync(path, 'these are not samples\n');
    const error = wavFileError(path);
    expect(error.kind).toBe('not-wav');
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/not a WAV file/);
  });

  it('throws a not-wav WavFileError for a RIFF/WAVE header without fmt and data chunks', () => {
    const path = join(dir, 'header-only.wav');
    writeFileSync(path, Buffer.from('RIFF\x04\x00\x00\x00WAVE', 'latin1'));
    const error = wavFileError(path);
    expect(error.kind).toBe('not-wav');
    expect(error.message).toContain(path);
  });

  it('throws a not-wav WavFileError for a 14-byte "fmt " chunk, which has no bits per sample', () => {
    const fmt = Buffer.alloc(14);
    fmt.writeUInt16LE(1, 0); // PCM
    fmt.writeUInt16LE(1, 2); // mono
    fmt.writeUInt32LE(16000, 4);
    fmt.writeUInt32LE(32000, 8);
    fmt.writeUInt16LE(2, 12); // block align
    const body = Buffer.concat([
      Buffer.from('WAVEfmt ', 'latin1'),
      Buffer.from([14, 0, 0, 0]),
      fmt,
      Buffer.from('data', 'latin1'),
      Buffer.from([4, 0, 0, 0, 1, 2, 3, 4]),
    ]);
    const size = Buffer.alloc(4);
    size.writeUInt32LE(body.length, 0);
    const path = join(dir, 'fmt14.wav');
    writeFileSync(path, Buffer.concat([Buffer.from('RIFF', 'latin1'), size, body]));
    const error = wavFileError(path);
    expect(error.kind).toBe('not-wav');
    expect(error.message).toBe(
      `${path}: broken WAV header ("fmt " chunk of 14 bytes, at least 16 needed for the bits per sample)`,
    );
  });

  it('throws an unsupported-format WavFileError naming the file and "PCM 24-bit"', () => {
    const path = writeWav(dir, 'pcm24.wav', {
      audioFormat: 1,
      channels: 1,
      sampleRate: 48000,
      bitsPerSample: 24,
      data: countingBytes(300),
    });
    const error = wavFileError(path);
    expect(error.kind).toBe('unsupported-format');
    expect(error.message).toContain(path);
    expect(error.message).toContain('PCM 24-bit');
    expect(error.format).toEqual({
      audioFormat: 1,
      description: 'PCM 24-bit',
      bitsPerSample: 24,
      channels: 1,
      sampleRate: 48000,
      extensible: false,
    });
  });

  it('throws an unsupported-format WavFileError naming "IEEE float 32-bit"', () => {
    const path = writeWav(dir, 'float.wav', {
      audioFormat: 3,
      channels: 1,
      sampleRate: 16000,
      bitsPerSample: 32,
      data: countingBytes(64),
    });
    const error = wavFileError(path);
    expect(error.kind).toBe('unsupported-format');
    expect(error.message).toContain('IEEE float 32-bit');
  });

  it('throws an unsupported-format WavFileError for 24-bit PCM wrapped in WAVE_FORMAT_EXTENSIBLE', () => {
    const path = writeWav(dir, 'extensible24.wav', {
      audioFormat: 1,
      extensible: true,
      channels: 2,
      sampleRate: 48000,
      bitsPerSample: 24,
      data: countingBytes(60),
    });
    const error = wavFileError(path);
    expect(error.kind).toBe('unsupported-format');
    expect(error.format).toMatchObject({ description: 'PCM 24-bit', extensible: true });
  });

  it('throws an unsupported-format WavFileError naming IMA ADPCM', () => {
    const path = writeWav(dir, 'adpcm.wav', {
      audioFormat: 0x11,
      channels: 1,
      sampleRate: 8000,
      bitsPerSample: 8,
      data: countingBytes(64),
    });
    expect(wavFileError(path).message).toContain('IMA ADPCM');
  });

  it('throws an unsupported-format WavFileError for a big-endian RIFX file', () => {
    const path = join(dir, 'rifx.wav');
    const spec = {
      audioFormat: 1,
      channels: 1,
      sampleRate: 16000,
      bitsPerSample: 16,
      data: countingBytes(64),
    };
    writeFileSync(path, wavBytes({ ...spec, container: 'RIFX' }));
    const error = wavFileError(path);
    expect(error.kind).toBe('unsupported-format');
    expect(error.message).toContain('RIFX');
  });

  it.each([0, -100, Number.NaN, Number.POSITIVE_INFINITY])(
    'throws a RangeError for chunkMs %p',
    (chunkMs) => {
      expect(thrownBy(join(SHARED_AUDIO, 'preamble-websocket.wav'), { chunkMs })).toBeInstanceOf(RangeError);
    },
  );

  it('throws a RangeError when chunkMs is shorter than one sample frame', () => {
    const error = thrownBy(join(SHARED_AUDIO, 'preamble-websocket.wav'), { chunkMs: 0.1 });
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toContain('preamble-websocket.wav');
  });

  it('throws a RangeError for an unknown pace', () => {
    const config = { pace: 'slow' } as unknown as Parameters<typeof readWav>[1];
    expect(thrownBy(join(SHARED_AUDIO, 'preamble-websocket.wav'), config)).toBeInstanceOf(RangeError);
  });
});
