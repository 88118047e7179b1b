/**
 * Raw audio formats that deepgram-rx understands byte by byte (for clocks, metering and silence
 * detection): 16-bit little-endian PCM, G.711 mu-law and G.711 A-law.
 */

/** A raw encoding whose samples deepgram-rx can read. */
export type RawEncoding = 'linear16' | 'mulaw' | 'alaw';

/** A raw audio format: encoding, sample rate (Hz) and interleaved channel count. */
export interface AudioFormat {
  readonly encoding: RawEncoding;
  readonly sample_rate: number;
  readonly channels?: number;
}

/**
 * Bytes per sample of one channel (internal: not exported from `deepgram-rx`).
 *
 * @example
 * ```ts
 * import { bytesPerSample } from './audioFormat';
 * bytesPerSample('linear16'); // 2
 * ```
 */
export function bytesPerSample(encoding: RawEncoding): number {
  return encoding === 'linear16' ? 2 : 1;
}

/**
 * Bytes of audio per second of the format, all channels (internal: not exported from
 * `deepgram-rx`).
 *
 * @example
 * ```ts
 * import { bytesPerSecond } from './audioFormat';
 * bytesPerSecond({ encoding: 'linear16', sample_rate: 16000 }); // 32000
 * ```
 */
export function bytesPerSecond(format: AudioFormat): number {
  return bytesPerSample(format.encoding) * format.sample_rate * (format.channels ?? 1);
}

/** Seconds of audio that `byteCount` bytes of the format hold. */
export function bytesToSeconds(byteCount: number, format: AudioFormat): number {
  return byteCount / bytesPerSecond(format);
}

function buildMulawTable(): Int16Array {
  const table = new Int16Array(256);
  for (let i = 0; i < 256; i++) {
    const u = ~i & 0xff;
    const sign = u & 0x80;
    const exponent = (u >> 4) & 0x07;
    const mantissa = u & 0x0f;
    const magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
    table[i] = sign ? -magnitude : magnitude;
  }
  return table;
}

function buildAlawTable(): Int16Array {
  const table = new Int16Array(256);
  for (let i = 0; i < 256; i++) {
    const a = i ^ 0x55;
    const sign = a & 0x80;
    const exponent = (a >> 4) & 0x07;
    const mantissa = a & 0x0f;
    let magnitude = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
    if (magnitude > 32767) magnitude = 32767;
    table[i] = sign ? magnitude : -magnitude;
  }
  return table;
}

/** G.711 mu-law byte → 16-bit linear sample (ITU-T G.711 expansion). */
export const MULAW_TO_LINEAR: Int16Array = buildMulawTable();

/** G.711 A-law byte → 16-bit linear sample (ITU-T G.711 expansion). */
export const ALAW_TO_LINEAR: Int16Array = buildAlawTable();

/**
 * Sum of squared 16-bit sample values and the sample count of a chunk, all channels together,
 * without allocating. `offset`/`length` select a byte range (default: the whole chunk); a trailing
 * odd byte of linear16 is ignored.
 */
export function sumOfSquares(
  chunk: Uint8Array,
  encoding: RawEncoding,
  offset = 0,
  length = chunk.length - offset,
): { sum: number; samples: number } {
  let sum = 0;
  let samples = 0;
  const end = offset + length;
  if (encoding === 'linear16') {
    for (let i = offset; i + 1 < end; i += 2) {
      let s = chunk[i]! | (chunk[i + 1]! << 8);
      if (s & 0x8000) s -= 0x10000;
      sum += s * s;
      samples++;
    }
  } else {
    const table = encoding === 'mulaw' ? MULAW_TO_LINEAR : ALAW_TO_LINEAR;
    for (let i = offset; i < end; i++) {
      const s = table[chunk[i]!]!;
      sum += s * s;
      samples++;
    }
  }
  return { sum, samples };
}

/** RMS level in dBFS (0 dBFS = full-scale 16-bit sine peak 32768); `-Infinity` for digital silence. */
export function rmsDbfs(sum: number, samples: number): number {
  if (samples === 0 || sum === 0) return -Infinity;
  return 10 * Math.log10(sum / samples / (32768 * 32768));
}
