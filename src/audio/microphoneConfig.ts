/**
 * `fromMicrophone`'s configuration, its defaults and its validation (at call time).
 */
import type { MicrophoneConstraints } from './microphonePlatform';

/** Configuration of `fromMicrophone`. Every field is optional. */
export interface MicrophoneConfig {
  /** Sample rate of the chunks, Hz: an integer from 8000 to 96000. Default 16000 (what speech models use). */
  sampleRate?: number;
  /** Audio per chunk, ms: finite, from 10 to 1000. Default 100. */
  chunkMs?: number;
  /**
   * Track constraints for `getUserMedia` (device, echo cancellation, noise suppression, automatic
   * gain control). Default: the browser's defaults for the default device.
   */
  audio?: MicrophoneConstraints;
}

/** The audio format of `fromMicrophone`'s chunks, in `LiveOptions` spelling: spread it into the options. */
export interface MicrophoneFormat {
  readonly encoding: 'linear16';
  readonly sample_rate: number;
  readonly channels: 1;
}

/** Default `sampleRate`: 16 kHz mono is what Deepgram's speech models are trained on. */
export const DEFAULT_MICROPHONE_SAMPLE_RATE = 16000;
/** Default `chunkMs`: 100 ms, as `readWav`. */
export const DEFAULT_MICROPHONE_CHUNK_MS = 100;

/** The validated config. */
export interface ResolvedMicrophoneConfig {
  readonly sampleRate: number;
  readonly chunkMs: number;
  readonly audio: MicrophoneConstraints | true;
}

/**
 * Fills in defaults and validates.
 *
 * @throws RangeError naming the option when `sampleRate` or `chunkMs` is out of range
 * @throws TypeError when `audio` is not an object
 */
export function resolveMicrophoneConfig(config: MicrophoneConfig = {}): ResolvedMicrophoneConfig {
  const sampleRate = config.sampleRate ?? DEFAULT_MICROPHONE_SAMPLE_RATE;
  if (
    typeof sampleRate !== 'number' ||
    !Number.isInteger(sampleRate) ||
    sampleRate < 8000 ||
    sampleRate > 96000
  ) {
    throw new RangeError(
      `fromMicrophone: sampleRate must be an integer from 8000 to 96000 (Hz), got ${String(sampleRate)}`,
    );
  }
  const chunkMs = config.chunkMs ?? DEFAULT_MICROPHONE_CHUNK_MS;
  if (typeof chunkMs !== 'number' || !Number.isFinite(chunkMs) || chunkMs < 10 || chunkMs > 1000) {
    throw new RangeError(
      `fromMicrophone: chunkMs must be a finite number from 10 to 1000, got ${String(chunkMs)}`,
    );
  }
  const audio = config.audio;
  if (audio !== undefined && (typeof audio !== 'object' || audio === null)) {
    throw new TypeError(`fromMicrophone: audio must be an object of track constraints, got ${String(audio)}`);
  }
  return { sampleRate, chunkMs, audio: audio === undefined ? true : { ...audio } };
}
