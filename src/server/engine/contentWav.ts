/**
 * The PCM data of a known WAV file, for content-aware scripts: the RIFF header parsed minimally
 * (wavHeader.ts), the samples returned as they are in the file.
 */
import type { ContentFormat } from './contentIndex';
import { parseWavHeader } from './wavHeader';

/** The samples of a WAV file and their format. */
export interface ContentAudio {
  readonly format: ContentFormat;
  /** The `data` chunk's bytes (interleaved samples; whole sample frames). */
  readonly data: Uint8Array;
}

/**
 * Reads the format and the PCM data of a WAV file (16-bit PCM, mu-law or A-law).
 *
 * @param bytes - the whole file
 * @param source - a name for error messages (e.g. the file path)
 * @throws Error naming the source when the bytes are not such a WAV file
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { contentAudioFromWav } from 'deepgram-rx/node';
 * const { format, data } = contentAudioFromWav(readFileSync('samples/pauses-16k.wav'));
 * ```
 */
export function contentAudioFromWav(bytes: Uint8Array, source = 'WAV file'): ContentAudio {
  const parsed = parseWavHeader(bytes, bytes.length);
  if (parsed.kind === 'more') throw new Error(`${source}: truncated WAV header`);
  if (parsed.kind === 'error') throw new Error(`${source}: ${parsed.detail}`);
  const frameBytes = (parsed.format.encoding === 'linear16' ? 2 : 1) * parsed.format.channels;
  const available = bytes.length - parsed.dataOffset;
  const length = Math.min(available, parsed.dataBytes ?? available);
  const whole = length - (length % frameBytes);
  return { format: parsed.format, data: bytes.subarray(parsed.dataOffset, parsed.dataOffset + whole) };
}
