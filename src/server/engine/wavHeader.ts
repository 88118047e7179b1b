/**
 * Incremental WAV (RIFF) header parsing for containerized audio sent without `encoding`
 * (protocol.md §1.3): the format comes from the `fmt ` chunk, the audio starts after the `data`
 * chunk header.
 */
import type { RawEncoding } from '../../protocol/audioFormat';

/** Give up looking for the `data` chunk after this many header bytes. */
export const MAX_WAV_HEADER_BYTES = 65536;

/** The decodable format a WAV header announced. */
export interface WavFormat {
  readonly encoding: RawEncoding;
  readonly sampleRate: number;
  readonly channels: number;
}

/** Result of looking at the first bytes of a stream. */
export type WavHeaderParse =
  | { readonly kind: 'more' }
  | {
      readonly kind: 'ok';
      readonly format: WavFormat;
      /** Offset of the first audio byte. */
      readonly dataOffset: number;
      /** Size of the `data` chunk, or undefined when it is a streaming placeholder (0 or 0xFFFFFFFF). */
      readonly dataBytes: number | undefined;
    }
  | {
      readonly kind: 'error';
      readonly detail: string;
      /** The stream does not even start with `RIFF` (it may be raw audio, or another container). */
      readonly notRiff?: true;
    };

const MORE: WavHeaderParse = { kind: 'more' };

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_ALAW = 6;
const WAVE_FORMAT_MULAW = 7;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

function u16(b: Uint8Array, at: number): number {
  return b[at]! | (b[at + 1]! << 8);
}

function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

function tagAt(b: Uint8Array, at: number): string {
  return String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
}

/** True while the available bytes still agree with `expected` at `at`. */
function prefixMatches(b: Uint8Array, length: number, at: number, expected: string): boolean {
  for (let i = 0; i < expected.length && at + i < length; i++) {
    if (b[at + i] !== expected.charCodeAt(i)) return false;
  }
  return true;
}

function noDataChunk(): WavHeaderParse {
  return { kind: 'error', detail: `no WAV data chunk within the first ${MAX_WAV_HEADER_BYTES} bytes` };
}

function parseFmt(b: Uint8Array, at: number, size: number): WavFormat | string {
  if (size < 16) return `WAV fmt chunk too short (${size} bytes)`;
  let tag = u16(b, at);
  const channels = u16(b, at + 2);
  const sampleRate = u32(b, at + 4);
  const bits = u16(b, at + 14);
  if (tag === WAVE_FORMAT_EXTENSIBLE && size >= 40) tag = u16(b, at + 24);
  if (channels < 1) return 'WAV header announces 0 channels';
  if (sampleRate < 1) return 'WAV header announces a sample rate of 0';
  if (tag === WAVE_FORMAT_PCM && bits === 16) return { encoding: 'linear16', sampleRate, channels };
  if (tag === WAVE_FORMAT_MULAW && bits === 8) return { encoding: 'mulaw', sampleRate, channels };
  if (tag === WAVE_FORMAT_ALAW && bits === 8) return { encoding: 'alaw', sampleRate, channels };
  return `unsupported WAV format (format tag ${tag}, ${bits} bits per sample)`;
}

/**
 * Parses a WAV header from the first `length` bytes of a stream. Returns `more` while the bytes
 * are a valid but incomplete header, `ok` once the `data` chunk header is complete, `error` when
 * the bytes are not a WAV stream with 16-bit PCM, mu-law or A-law samples.
 */
export function parseWavHeader(b: Uint8Array, length: number): WavHeaderParse {
  if (!prefixMatches(b, length, 0, 'RIFF'))
    return { kind: 'error', detail: 'not a RIFF/WAV stream', notRiff: true };
  if (!prefixMatches(b, length, 8, 'WAVE')) return { kind: 'error', detail: 'RIFF stream is not WAVE' };
  let format: WavFormat | undefined;
  let pos = 12;
  while (pos + 8 <= length) {
    const id = tagAt(b, pos);
    const size = u32(b, pos + 4);
    if (id === 'data') {
      if (format === undefined) return { kind: 'error', detail: 'WAV data chunk before the fmt chunk' };
      const dataBytes = size === 0 || size === 0xffffffff ? undefined : size;
      return { kind: 'ok', format, dataOffset: pos + 8, dataBytes };
    }
    const next = pos + 8 + size + (size & 1);
    if (next > MAX_WAV_HEADER_BYTES) return noDataChunk();
    if (next > length) return MORE;
    if (id === 'fmt ') {
      const parsed = parseFmt(b, pos + 8, size);
      if (typeof parsed === 'string') return { kind: 'error', detail: parsed };
      format = parsed;
    }
    pos = next;
  }
  return pos + 8 > MAX_WAV_HEADER_BYTES ? noDataChunk() : MORE;
}
