/**
 * Configuration of `gateSilence`: public types, defaults and call-time validation.
 */
import { bytesPerSample, type RawEncoding } from '../protocol/audioFormat';
import { describeLiveOptionValue } from '../protocol/validationErrors';

/**
 * A span of the source audio that `gateSilence` dropped, in seconds of the ORIGINAL audio (counted
 * from the first byte the subscription received), with running totals for rebasing and metering.
 *
 * @example
 * ```ts
 * import { gateSilence, type GatedSpan } from 'deepgram-rx';
 *
 * const spans: GatedSpan[] = [];
 * const gated$ = audio$.pipe(gateSilence({ encoding: 'mulaw', sample_rate: 8000, onGate: (s) => spans.push(s) }));
 * // A time t on Deepgram's clock maps to t + the length of every span with sentBefore <= t.
 * ```
 */
export interface GatedSpan {
  /** Start of the dropped audio, seconds of source audio. */
  readonly from: number;
  /** End (exclusive) of the dropped audio, seconds of source audio; always `> from`. */
  readonly to: number;
  /**
   * Seconds of audio emitted before this span: where the gap falls on the timeline of the audio that
   * was sent (Deepgram's clock on a single connection). Equals `from` minus all earlier spans.
   */
  readonly sentBefore: number;
  /** Seconds dropped so far by this subscription, this span included (for metering). */
  readonly totalGatedSeconds: number;
}

/**
 * Configuration of `gateSilence`. Only the format is required.
 *
 * @example
 * ```ts
 * import { gateSilence, type GateSilenceConfig } from 'deepgram-rx';
 *
 * const config: GateSilenceConfig = { encoding: 'linear16', sample_rate: 48000, channels: 2, thresholdDbfs: -45 };
 * const gated$ = audio$.pipe(gateSilence(config));
 * ```
 */
export interface GateSilenceConfig {
  /** Raw encoding of the chunks. */
  readonly encoding: RawEncoding;
  /** Samples per second of one channel; a positive integer. */
  readonly sample_rate: number;
  /** Interleaved channels; a positive integer. Default 1. */
  readonly channels?: number;
  /**
   * A 10 ms analysis frame is speech when the RMS level of any channel reaches this (dBFS, RMS relative
   * to 32768: a full-scale sine reads -3 dBFS). Finite, ≤ 0. Default -50.
   */
  readonly thresholdDbfs?: number;
  /**
   * Audio kept before the first speech frame of an onset, in ms. Finite, ≥ 0 and ≤ 60000 (the gate
   * holds this much audio in memory). Default 300.
   */
  readonly prerollMs?: number;
  /** Audio kept after the last speech frame, in ms. Finite, ≥ 0. Default 500. */
  readonly hangoverMs?: number;
  /**
   * Called synchronously for every dropped span, at the moment it is known: when speech resumes
   * (before the preroll and the chunk are emitted) and, for trailing silence, when the source
   * completes or errors. A throwing callback errors the stream with what it threw.
   */
  readonly onGate?: (span: GatedSpan) => void;
}

/**
 * Default threshold and lengths of `gateSilence`: -50 dBFS, 300 ms preroll, 500 ms hangover (see
 * docs/silence-gating.md for the reasons).
 *
 * @example
 * ```ts
 * import { GATE_SILENCE_DEFAULTS, gateSilence } from 'deepgram-rx';
 *
 * // A noisier room: 10 dB above the default threshold, default lengths.
 * const gate = gateSilence({ encoding: 'linear16', sample_rate: 16000, thresholdDbfs: GATE_SILENCE_DEFAULTS.thresholdDbfs + 10 });
 * ```
 */
export const GATE_SILENCE_DEFAULTS = Object.freeze({ thresholdDbfs: -50, prerollMs: 300, hangoverMs: 500 });

/** Validated settings with every default applied. */
export interface GateSilenceSettings {
  readonly encoding: RawEncoding;
  readonly sampleRate: number;
  readonly channels: number;
  readonly thresholdDbfs: number;
  readonly prerollMs: number;
  readonly hangoverMs: number;
  readonly onGate: ((span: GatedSpan) => void) | undefined;
}

const ENCODINGS: readonly string[] = ['linear16', 'mulaw', 'alaw'];

/** A wrong value for an error message: short strings as they are, long ones by length (a misplaced key). */
function describe(value: unknown): string {
  return typeof value === 'string' ? describeLiveOptionValue(value) : String(value);
}

function numberOption(name: string, value: unknown): number {
  if (typeof value !== 'number') {
    throw new TypeError(`gateSilence: ${name} must be a number, got ${describe(value)}`);
  }
  return value;
}

function positiveInteger(name: string, value: unknown): number {
  const n = numberOption(name, value);
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new RangeError(`gateSilence: ${name} must be a positive integer, got ${describe(value)}`);
  }
  return n;
}

/** The longest `prerollMs`: the gate keeps that much audio in a buffer it allocates up front. */
export const MAX_PREROLL_MS = 60000;

/**
 * The largest preroll buffer a gate may allocate (256 MiB): 60 s of 48 kHz audio in 2 channels is
 * 11 MB; more is a `sample_rate` or `channels` in error.
 */
const MAX_HELD_BYTES = 256 * 1024 * 1024;

function nonNegativeMs(name: string, value: unknown, max = Number.POSITIVE_INFINITY): number {
  const n = numberOption(name, value);
  if (!Number.isFinite(n) || n < 0 || n > max) {
    const range = max === Number.POSITIVE_INFINITY ? '≥ 0' : `from 0 to ${max}`;
    throw new RangeError(
      `gateSilence: ${name} must be a finite number of milliseconds ${range}, got ${describe(value)}`,
    );
  }
  return n;
}

/** Checks a `GateSilenceConfig` and applies the defaults; throws `TypeError`/`RangeError` naming the option (internal). */
export function resolveGateSilenceConfig(config: GateSilenceConfig): GateSilenceSettings {
  if (typeof config !== 'object' || config === null) {
    throw new TypeError(
      `gateSilence: config must be an object with encoding and sample_rate, got ${describe(config)}`,
    );
  }
  const encoding: unknown = config.encoding;
  if (typeof encoding !== 'string') {
    throw new TypeError(`gateSilence: encoding must be a string, got ${describe(encoding)}`);
  }
  if (!ENCODINGS.includes(encoding)) {
    throw new RangeError(
      `gateSilence: encoding must be one of ${ENCODINGS.join(', ')}, got ${describe(encoding)}`,
    );
  }
  const thresholdDbfs = numberOption(
    'thresholdDbfs',
    config.thresholdDbfs === undefined ? GATE_SILENCE_DEFAULTS.thresholdDbfs : config.thresholdDbfs,
  );
  if (!Number.isFinite(thresholdDbfs) || thresholdDbfs > 0) {
    throw new RangeError(
      `gateSilence: thresholdDbfs must be a finite number ≤ 0, got ${describe(thresholdDbfs)}`,
    );
  }
  const onGate: unknown = config.onGate;
  if (onGate !== undefined && typeof onGate !== 'function') {
    throw new TypeError(`gateSilence: onGate must be a function, got ${describe(onGate)}`);
  }
  // `=== undefined`, not `??`: a null (from JSON, say) is a wrong type, not a request for the default.
  const sampleRate = positiveInteger('sample_rate', config.sample_rate);
  const channels = positiveInteger('channels', config.channels === undefined ? 1 : config.channels);
  const prerollMs = nonNegativeMs(
    'prerollMs',
    config.prerollMs === undefined ? GATE_SILENCE_DEFAULTS.prerollMs : config.prerollMs,
    MAX_PREROLL_MS,
  );
  // The gate allocates its preroll buffer (prerollMs and one 10 ms frame) at subscription: refuse
  // now a format that makes it too large, rather than fail there with an allocation error.
  const heldBytes =
    Math.ceil((sampleRate * (prerollMs + 20)) / 1000) * channels * bytesPerSample(encoding as RawEncoding);
  if (heldBytes > MAX_HELD_BYTES) {
    throw new RangeError(
      `gateSilence: sample_rate ${sampleRate} × channels ${channels} needs ${heldBytes} bytes for prerollMs ${prerollMs}, more than ${MAX_HELD_BYTES}; check sample_rate and channels`,
    );
  }
  return {
    encoding: encoding as RawEncoding,
    sampleRate,
    channels,
    thresholdDbfs,
    prerollMs,
    hangoverMs: nonNegativeMs(
      'hangoverMs',
      config.hangoverMs === undefined ? GATE_SILENCE_DEFAULTS.hangoverMs : config.hangoverMs,
    ),
    onGate: onGate as ((span: GatedSpan) => void) | undefined,
  };
}
