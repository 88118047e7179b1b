/**
 * Defaults and validation of the engine's detector and chunker knobs ({@link EngineTuning}), and
 * their conversion to sample frames for one sample rate.
 */
import type { EngineConfig, EngineTuning } from './types';

/** The defaults of every {@link EngineTuning} knob. */
export const DEFAULT_TUNING: Readonly<Required<EngineTuning>> = Object.freeze({
  frameMs: 20,
  thresholdDbfs: -45,
  hangoverMs: 200,
  interimIntervalMs: 1000,
  maxSegmentMs: 6000,
  minEmptyFinalMs: 500,
});

/** The knobs in sample frames (one sample of every channel) at one sample rate. */
export interface FrameTuning {
  readonly sampleRate: number;
  readonly frameLength: number;
  readonly thresholdDbfs: number;
  readonly hangoverFrames: number;
  readonly interimFrames: number;
  readonly maxSegmentFrames: number;
  readonly minEmptyFinalFrames: number;
  /**
   * Silence after speech that ends an utterance (speech_final): max(endpointing, hangover), so that
   * gaps between syllables are not pauses; undefined with endpointing=false.
   */
  readonly pauseFrames: number | undefined;
}

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new RangeError(`createEngine: ${name} must be a finite number > 0, got ${value}`);
  }
  return value;
}

/**
 * Checks a config's numbers and fills in tuning defaults.
 *
 * @throws RangeError naming the field when a value is out of range
 */
export function resolveTuning(config: EngineConfig): Readonly<Required<EngineTuning>> {
  if (!Number.isInteger(config.channels) || config.channels < 1) {
    throw new RangeError(`createEngine: channels must be an integer >= 1, got ${config.channels}`);
  }
  if (config.endpointing !== false && !(Number.isFinite(config.endpointing) && config.endpointing >= 0)) {
    throw new RangeError(
      `createEngine: endpointing must be false or a finite number >= 0, got ${config.endpointing}`,
    );
  }
  if (config.utteranceEndMs !== undefined) positive('utteranceEndMs', config.utteranceEndMs);
  const t = { ...DEFAULT_TUNING, ...config.tuning };
  positive('tuning.frameMs', t.frameMs);
  positive('tuning.hangoverMs', t.hangoverMs);
  positive('tuning.interimIntervalMs', t.interimIntervalMs);
  positive('tuning.maxSegmentMs', t.maxSegmentMs);
  positive('tuning.minEmptyFinalMs', t.minEmptyFinalMs);
  if (!(Number.isFinite(t.thresholdDbfs) && t.thresholdDbfs < 0)) {
    throw new RangeError(
      `createEngine: tuning.thresholdDbfs must be a finite number < 0, got ${t.thresholdDbfs}`,
    );
  }
  return t;
}

/** The knobs in sample frames at `sampleRate` (every length at least one sample). */
export function frameTuning(
  t: Readonly<Required<EngineTuning>>,
  endpointing: number | false,
  sampleRate: number,
): FrameTuning {
  const frames = (ms: number): number => Math.max(1, Math.round((ms * sampleRate) / 1000));
  const hangoverFrames = frames(t.hangoverMs);
  return {
    sampleRate,
    frameLength: frames(t.frameMs),
    thresholdDbfs: t.thresholdDbfs,
    hangoverFrames,
    interimFrames: frames(t.interimIntervalMs),
    maxSegmentFrames: frames(t.maxSegmentMs),
    minEmptyFinalFrames: frames(t.minEmptyFinalMs),
    pauseFrames:
      endpointing === false
        ? undefined
        : Math.max(hangoverFrames, Math.ceil((endpointing * sampleRate) / 1000)),
  };
}
