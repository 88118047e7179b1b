/**
 * Test helpers: build WAV files byte by byte (independently of the code under test) and find the
 * `data` chunk of a WAV file.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../..');
export const SHARED_AUDIO = resolve(REPO_ROOT, '../shared/audio');
export const SAMPLES = resolve(REPO_ROOT, 'samples');

export interface WavSpec {
  audioFormat: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  data: Uint8Array;
  /** Wrap in WAVE_FORMAT_EXTENSIBLE with `audioFormat` as the sub-format. */
  extensible?: boolean;
  /** 'RIFF' unless set. */
  container?: string;
  /** Chunks to put between `fmt ` and `data`, and after `data`. */
  before?: { id: string; body: Uint8Array }[];
  after?: { id: string; body: Uint8Array }[];
  /** Overrides the declared size of the `data` chunk. */
  declaredDataSize?: number;
}

function chunk(id: string, body: Uint8Array, declaredSize = body.length): Uint8Array {
  const padded = body.length + (body.length % 2);
  const out = new Uint8Array(8 + padded);
  out.set(Buffer.from(id, 'ascii'), 0);
  new DataView(out.buffer).setUint32(4, declaredSize, true);
  out.set(body, 8);
  return out;
}

function fmtBody(spec: WavSpec): Uint8Array {
  const blockAlign = (spec.bitsPerSample / 8) * spec.channels;
  const body = new Uint8Array(spec.extensible ? 40 : 16);
  const v = new DataView(body.buffer);
  v.setUint16(0, spec.extensible ? 0xfffe : spec.audioFormat, true);
  v.setUint16(2, spec.channels, true);
  v.setUint32(4, spec.sampleRate, true);
  v.setUint32(8, spec.sampleRate * blockAlign, true);
  v.setUint16(12, blockAlign, true);
  v.setUint16(14, spec.bitsPerSample, true);
  if (spec.extensible) {
    v.setUint16(16, 22, true);
    v.setUint16(18, spec.bitsPerSample, true);
    v.setUint32(20, spec.channels === 2 ? 3 : 4, true);
    // GUID xxxxxxxx-0000-0010-8000-00aa00389b71
    v.setUint32(24, spec.audioFormat, true);
    body.set([0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71], 28);
  }
  return body;
}

/** The bytes of a WAV file. */
export function wavBytes(spec: WavSpec): Uint8Array {
  const parts = [
    Buffer.from('WAVE', 'ascii'),
    chunk('fmt ', fmtBody(spec)),
    ...(spec.before ?? []).map((c) => chunk(c.id, c.body)),
    chunk('data', spec.data, spec.declaredDataSize),
    ...(spec.after ?? []).map((c) => chunk(c.id, c.body)),
  ];
  const bodyLength = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(8 + bodyLength);
  out.set(Buffer.from(spec.container ?? 'RIFF', 'ascii'), 0);
  new DataView(out.buffer).setUint32(4, bodyLength, true);
  let at = 8;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A fresh temporary directory for one test file. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'deepgram-rx-wav-'));
}

/** Writes a WAV built from `spec` into `dir`; returns its path. */
export function writeWav(dir: string, name: string, spec: WavSpec): string {
  const path = join(dir, name);
  writeFileSync(path, wavBytes(spec));
  return path;
}

/** Bytes 0, 1, 2, … (mod 256): data whose every byte position is recognisable. */
export function countingBytes(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => i % 256);
}

/** The declared `data` chunk of a RIFF/WAVE file, found by walking its chunks (a test oracle). */
export function dataChunkOf(file: Uint8Array): Uint8Array {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  let at = 12;
  while (at + 8 <= file.length) {
    const id = Buffer.from(file.subarray(at, at + 4)).toString('ascii');
    const size = view.getUint32(at + 4, true);
    if (id === 'data') return file.subarray(at + 8, at + 8 + size);
    at += 8 + size + (size % 2);
  }
  throw new Error('no data chunk');
}

/** Concatenates chunks. */
export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
