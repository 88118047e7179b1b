/**
 * The typed error `readWav` throws (at call time) when a file cannot be streamed.
 */
import { brandErrorClass } from '../protocol/errorBrand';

/** Why a WAV file cannot be streamed. */
export type WavFileErrorKind =
  /** No file at the path. */
  | 'not-found'
  /** The path exists but cannot be read (a directory, no permission, …). */
  | 'unreadable'
  /** Not a RIFF/WAVE file, or a broken one (no `fmt ` or `data` chunk). */
  | 'not-wav'
  /** A well-formed WAV whose sample format deepgram-rx does not stream raw. */
  | 'unsupported-format';

/** The sample format found in a WAV file's `fmt ` chunk. */
export interface WavFormatInfo {
  /** `wFormatTag` (1 PCM, 3 IEEE float, 6 A-law, 7 mu-law, …); for WAVE_FORMAT_EXTENSIBLE, the sub-format's. */
  readonly audioFormat: number;
  /** A readable name: `'PCM 24-bit'`, `'IEEE float 32-bit'`, `'mu-law 8-bit'`, … */
  readonly description: string;
  readonly bitsPerSample: number;
  readonly channels: number;
  readonly sampleRate: number;
  /** True when the file used WAVE_FORMAT_EXTENSIBLE (0xFFFE). */
  readonly extensible: boolean;
}

/**
 * Thrown by `readWav` when it is called: the file is missing or unreadable, is not a WAV, or holds a
 * sample format other than PCM 16-bit, mu-law 8-bit or A-law 8-bit. `path` names the file;
 * `format` describes what was found (for `'unsupported-format'`); `cause` keeps the underlying error.
 *
 * @example
 * ```ts
 * import { readWav, WavFileError } from 'deepgram-rx/node';
 * try {
 *   readWav('take.wav');
 * } catch (error) {
 *   if (error instanceof WavFileError && error.kind === 'unsupported-format') {
 *     console.error(`${error.path}: convert ${error.format?.description} to 16-bit PCM first`);
 *   }
 * }
 * ```
 */
export class WavFileError extends Error {
  override readonly name = 'WavFileError';

  constructor(
    /** Why the file cannot be streamed. */
    readonly kind: WavFileErrorKind,
    /** The path given to `readWav`. */
    readonly path: string,
    message: string,
    /** The sample format found (set for `'unsupported-format'`). */
    readonly format?: WavFormatInfo,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
brandErrorClass(WavFileError, 'WavFileError');
