/**
 * Parses a RIFF/WAVE file's header with `wavefile` and checks that its samples can be streamed raw
 * to Deepgram (PCM 16-bit, mu-law 8-bit or A-law 8-bit, plain or WAVE_FORMAT_EXTENSIBLE). Only the
 * header is interpreted: the `data` chunk is returned as bytes, never decoded.
 */
import * as wavefileModule from 'wavefile';
import type { RawEncoding } from '../protocol/audioFormat';
import { WavFileError, type WavFormatInfo } from './wavFileError';

/** The raw format of a WAV file's samples, as Deepgram's `encoding`/`sample_rate`/`channels` take it. */
export interface WavFormat {
  readonly encoding: RawEncoding;
  readonly sample_rate: number;
  readonly channels: number;
}

/** A parsed WAV file: its format and the bytes of its `data` chunk (whole sample frames only). */
export interface ParsedWav {
  readonly format: WavFormat;
  /** A plain `Uint8Array` (not a Node `Buffer`) over the `data` chunk; callers must not mutate it. */
  readonly data: Uint8Array;
}

type WaveFileInstance = InstanceType<typeof wavefileModule.WaveFile>;
type WaveFileClass = new () => WaveFileInstance;

/** The `fmt ` fields that `wavefile` reads (its typings declare `fmt` as `object`). */
interface FmtChunk {
  chunkSize: number;
  audioFormat: number;
  numChannels: number;
  sampleRate: number;
  blockAlign: number;
  bitsPerSample: number;
  subformat: number[];
}

/**
 * `wavefile` ships a UMD bundle: Node's ESM loader exposes it as the default export only, CommonJS
 * and bundlers as named exports. Accept both.
 */
function waveFileClass(): WaveFileClass {
  const mod = wavefileModule as unknown as {
    WaveFile?: WaveFileClass;
    default?: { WaveFile?: WaveFileClass };
  };
  const ctor = mod.WaveFile ?? mod.default?.WaveFile;
  if (typeof ctor !== 'function') throw new Error('deepgram-rx: the wavefile package has no WaveFile export');
  return ctor;
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_ALAW = 6;
const WAVE_FORMAT_MULAW = 7;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** The last 12 bytes of KSDATAFORMAT_SUBTYPE_* GUIDs (xxxxxxxx-0000-0010-8000-00aa00389b71), as read LE. */
const SUBTYPE_GUID_TAIL = [0x00100000, 0xaa000080, 0x719b3800] as const;

const FORMAT_NAMES: Readonly<Record<number, string>> = {
  0x0001: 'PCM',
  0x0002: 'Microsoft ADPCM',
  0x0003: 'IEEE float',
  0x0006: 'A-law',
  0x0007: 'mu-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG',
  0x0055: 'MPEG Layer 3',
};

const SUPPORTED = 'PCM 16-bit, mu-law 8-bit or A-law 8-bit';

function describe(audioFormat: number, bitsPerSample: number): string {
  const name = FORMAT_NAMES[audioFormat] ?? `format 0x${audioFormat.toString(16).padStart(4, '0')}`;
  return `${name} ${bitsPerSample}-bit`;
}

function encodingOf(audioFormat: number, bitsPerSample: number): RawEncoding | undefined {
  if (audioFormat === WAVE_FORMAT_PCM && bitsPerSample === 16) return 'linear16';
  if (audioFormat === WAVE_FORMAT_MULAW && bitsPerSample === 8) return 'mulaw';
  if (audioFormat === WAVE_FORMAT_ALAW && bitsPerSample === 8) return 'alaw';
  return undefined;
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

function hasAscii(bytes: Uint8Array, offset: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (bytes[offset + i] !== text.charCodeAt(i)) return false;
  return true;
}

const LIST = 0x5453494c; // 'LIST' read as a little-endian uint32

/**
 * The file without its top-level `LIST` chunks (INFO tags, adtl marker labels), which deepgram-rx
 * does not read. wavefile 11 reads a LIST's sub-chunks up to the end of the file rather than of the
 * LIST, so a second LIST chunk (tags and markers, as audio editors write them) makes it throw.
 * Returns `bytes` itself when there is no LIST chunk. Stops at a chunk that runs past the end
 * of the file (a truncated or streamed `data` chunk), which is kept as it is.
 */
function withoutListChunks(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kept: Array<[number, number]> = [];
  let dropped = 0;
  let offset = 12;
  let keptFrom = 0;
  while (offset + 8 <= bytes.length) {
    const size = view.getUint32(offset + 4, true);
    const end = offset + 8 + size + (size % 2);
    if (end > bytes.length) break;
    if (view.getUint32(offset, true) === LIST) {
      kept.push([keptFrom, offset]);
      dropped += end - offset;
      keptFrom = end;
    }
    offset = end;
  }
  if (dropped === 0) return bytes;
  kept.push([keptFrom, bytes.length]);
  const out = new Uint8Array(bytes.length - dropped);
  let at = 0;
  for (const [from, to] of kept) {
    out.set(bytes.subarray(from, to), at);
    at += to - from;
  }
  // The RIFF size counts everything after its own 8 bytes.
  const riffSize = view.getUint32(4, true);
  new DataView(out.buffer).setUint32(4, Math.max(0, riffSize - dropped), true);
  return out;
}

/**
 * Parses WAV bytes. `path` only names the file in errors.
 *
 * @throws WavFileError `'not-wav'` for anything but a little-endian RIFF/WAVE file with `fmt ` and
 *   `data` chunks; `'unsupported-format'` for other sample formats (with `format` set).
 */
export function parseWav(bytes: Uint8Array, path: string): ParsedWav {
  const container = bytes.length >= 12 && hasAscii(bytes, 8, 'WAVE') ? ascii(bytes, 0, 4) : '';
  if (container === 'RIFX' || container === 'RF64') {
    throw new WavFileError(
      'unsupported-format',
      path,
      `${path}: unsupported ${container} WAV container (deepgram-rx streams little-endian RIFF WAV files)`,
    );
  }
  if (container !== 'RIFF') {
    throw new WavFileError('not-wav', path, `${path}: not a WAV file (no RIFF/WAVE header)`);
  }
  const wav = new (waveFileClass())();
  try {
    // Plain Uint8Array input: wavefile then copies the data chunk out (Uint8Array#slice), so the
    // result shares nothing with the caller's bytes.
    wav.fromBuffer(withoutListChunks(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new WavFileError('not-wav', path, `${path}: not a readable WAV file (${reason})`, undefined, {
      cause,
    });
  }

  const fmt = wav.fmt as FmtChunk;
  if (fmt.chunkSize < 16) {
    // The 14-byte WAVEFORMAT of old writers has no bits per sample: what follows is another chunk.
    throw new WavFileError(
      'not-wav',
      path,
      `${path}: broken WAV header ("fmt " chunk of ${fmt.chunkSize} bytes, at least 16 needed for the bits per sample)`,
    );
  }
  const fields = [fmt.audioFormat, fmt.numChannels, fmt.sampleRate, fmt.blockAlign, fmt.bitsPerSample];
  if (!fields.every(Number.isFinite)) {
    throw new WavFileError('not-wav', path, `${path}: not a readable WAV file (truncated "fmt " chunk)`);
  }
  const extensible = fmt.audioFormat === WAVE_FORMAT_EXTENSIBLE;
  const guidOk = !extensible || SUBTYPE_GUID_TAIL.every((word, i) => fmt.subformat[i + 1] === word);
  const audioFormat = extensible ? (fmt.subformat[0] ?? 0) : fmt.audioFormat;
  const info: WavFormatInfo = {
    audioFormat,
    description: guidOk ? describe(audioFormat, fmt.bitsPerSample) : `extensible, unknown sub-format GUID`,
    bitsPerSample: fmt.bitsPerSample,
    channels: fmt.numChannels,
    sampleRate: fmt.sampleRate,
    extensible,
  };
  const encoding = guidOk ? encodingOf(audioFormat, fmt.bitsPerSample) : undefined;
  if (encoding === undefined) {
    throw new WavFileError(
      'unsupported-format',
      path,
      `${path}: unsupported WAV format ${info.description}, ${info.channels} channel(s), ${info.sampleRate} Hz ` +
        `(deepgram-rx streams ${SUPPORTED}; convert it first, e.g. sox in.wav -b 16 -e signed-integer out.wav)`,
      info,
    );
  }
  const frameBytes = (fmt.bitsPerSample / 8) * fmt.numChannels;
  if (fmt.numChannels < 1 || fmt.sampleRate < 1 || fmt.blockAlign !== frameBytes) {
    throw new WavFileError(
      'not-wav',
      path,
      `${path}: broken WAV header (${info.description}, ${fmt.numChannels} channel(s), ${fmt.sampleRate} Hz, ` +
        `block align ${fmt.blockAlign} where ${frameBytes} was expected)`,
      info,
    );
  }
  // wavefile's samples run to the chunk's end including the RIFF pad byte, clamped to the file; keep
  // the declared size (or what the file holds, for a truncated or streamed file: a size of 0 or
  // 0xFFFFFFFF left by a writer that could not seek back), in whole frames.
  const samples = (wav.data as { chunkSize: number; samples: Uint8Array }).samples;
  const declared = (wav.data as { chunkSize: number }).chunkSize;
  const available = declared === 0 ? (streamedData(bytes) ?? samples) : samples.subarray(0, declared);
  const length = available.length - (available.length % frameBytes);
  const data = new Uint8Array(available.buffer, available.byteOffset, length);
  return { format: { encoding, sample_rate: fmt.sampleRate, channels: fmt.numChannels }, data };
}

const DATA = 0x61746164; // "data", little-endian

/**
 * The audio of a streamed WAV whose `data` chunk declares 0 bytes (a writer that could not seek
 * back to patch the size, as with 0xFFFFFFFF): everything after that chunk's header, unless what
 * follows is itself a chunk (an empty recording with metadata after it). Undefined when the file
 * has no such `data` chunk.
 */
function streamedData(bytes: Uint8Array): Uint8Array | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const size = view.getUint32(offset + 4, true);
    if (view.getUint32(offset, true) === DATA && size === 0) {
      const rest = bytes.subarray(offset + 8);
      return startsWithChunk(rest) ? undefined : rest;
    }
    offset += 8 + size + (size % 2);
  }
  return undefined;
}

/** Whether `bytes` start with a chunk header: a printable four-character id and a size that fits. */
function startsWithChunk(bytes: Uint8Array): boolean {
  if (bytes.length < 8) return false;
  for (let i = 0; i < 4; i++) if (bytes[i]! < 0x20 || bytes[i]! > 0x7e) return false;
  const size = new DataView(bytes.buffer, bytes.byteOffset, 8).getUint32(4, true);
  return 8 + size <= bytes.length;
}
