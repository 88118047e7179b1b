/**
 * A streaming sample-rate converter for mono float audio (windowed-sinc interpolation with a
 * low-pass at the lower of the two Nyquist frequencies). Private to `fromMicrophone`; pure.
 *
 * Output sample `n` is the band-limited input evaluated at input position `n × inputRate / outputRate`
 * (positions before the first input sample read as silence). The output is the same whatever way the
 * input is split across `push` calls, and it never drifts: positions are computed from `n`, not
 * accumulated. Latency: `HALF_WIDTH_ZERO_CROSSINGS / cutoff` input samples, rounded up (40 samples,
 * 0.83 ms, for 48 → 16 kHz).
 */

/** Zero crossings of the sinc on each side of the kernel: quality against cost (80 taps for 48 → 16 kHz). */
const HALF_WIDTH_ZERO_CROSSINGS = 12;
/** Kernel table resolution: entries per input sample (linear interpolation in between). */
const TABLE_STEPS = 256;
/** The pass band ends this fraction of the way to the lower Nyquist frequency (the rest is the transition). */
const PASS_BAND = 0.92;
/** Distinct fractional positions whose weights are cached (44.1 → 16 kHz has 160; 48 → 16 kHz one). */
const MAX_CACHED_PHASES = 2048;

/** Converts a stream of float samples from one rate to another. */
export interface Resampler {
  readonly inputRate: number;
  readonly outputRate: number;
  /** Feeds input samples; returns the output samples they complete (possibly none). */
  push(input: Float32Array): Float32Array;
}

function blackman(x: number): number {
  // x in [-1, 1]
  const a = Math.PI * (x + 1);
  return 0.42 - 0.5 * Math.cos(a) + 0.08 * Math.cos(2 * a);
}

/** The kernel `cutoff · sinc(cutoff · x) · window(x / halfWidth)` sampled every 1/TABLE_STEPS input samples for x ≥ 0. */
function kernelTable(cutoff: number, halfWidth: number): Float64Array {
  const table = new Float64Array(halfWidth * TABLE_STEPS + 2);
  for (let i = 0; i < table.length; i++) {
    const x = i / TABLE_STEPS;
    if (x >= halfWidth) break;
    const arg = Math.PI * cutoff * x;
    const sinc = x === 0 ? 1 : Math.sin(arg) / arg;
    table[i] = cutoff * sinc * blackman(x / halfWidth);
  }
  return table;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function passThrough(rate: number): Resampler {
  return { inputRate: rate, outputRate: rate, push: (input) => input.slice() };
}

/**
 * A resampler from `inputRate` to `outputRate` (positive, finite; Hz). Equal rates copy the input.
 *
 * @throws RangeError when a rate is not a finite number > 0
 */
export function createResampler(inputRate: number, outputRate: number): Resampler {
  for (const [name, rate] of [
    ['inputRate', inputRate],
    ['outputRate', outputRate],
  ] as const) {
    if (!Number.isFinite(rate) || rate <= 0) {
      throw new RangeError(`createResampler: ${name} must be a finite number > 0, got ${rate}`);
    }
  }
  if (inputRate === outputRate) return passThrough(inputRate);

  const cutoff = Math.min(1, outputRate / inputRate) * PASS_BAND;
  const halfWidth = Math.ceil(HALF_WIDTH_ZERO_CROSSINGS / cutoff);
  const table = kernelTable(cutoff, halfWidth);

  // Input history: buffer[i] is input sample `bufferStart + i`; indices < 0 are silence.
  let buffer = new Float32Array(4096);
  let bufferStart = -halfWidth;
  let bufferLength = halfWidth; // the silence before the first sample
  let produced = 0; // output samples produced so far
  let consumed = 0; // input samples received so far

  const taps = 2 * halfWidth;
  const kernel = (distance: number): number => {
    const at = Math.abs(distance) * TABLE_STEPS;
    const i = Math.floor(at);
    if (i >= table.length - 1) return 0;
    const frac = at - i;
    return table[i]! + (table[i + 1]! - table[i]!) * frac;
  };
  /** Normalised weights of inputs `centre - halfWidth + 1 … centre + halfWidth` for a position `centre + frac`. */
  const weightsAt = (frac: number): Float64Array => {
    const weights = new Float64Array(taps);
    let total = 0;
    for (let t = 0; t < taps; t++) {
      weights[t] = kernel(frac - (t - halfWidth + 1));
      total += weights[t]!;
    }
    for (let t = 0; t < taps; t++) weights[t]! /= total;
    return weights;
  };
  // With integer rates the fractional positions repeat with period outputRate / gcd: cache their weights.
  const integerRates = Number.isInteger(inputRate) && Number.isInteger(outputRate);
  const phases = integerRates ? outputRate / gcd(inputRate, outputRate) : Infinity;
  const cache = phases <= MAX_CACHED_PHASES ? new Map<number, Float64Array>() : undefined;
  let centre = 0; // set by weightsFor: the input index at or before output n's position
  const weightsFor = (n: number): Float64Array => {
    if (cache !== undefined) {
      const scaled = n * inputRate;
      const phase = scaled % outputRate;
      centre = (scaled - phase) / outputRate;
      let weights = cache.get(phase);
      if (weights === undefined) cache.set(phase, (weights = weightsAt(phase / outputRate)));
      return weights;
    }
    const position = (n * inputRate) / outputRate;
    centre = Math.floor(position);
    return weightsAt(position - centre);
  };

  const append = (input: Float32Array): void => {
    if (bufferLength + input.length > buffer.length) {
      const grown = new Float32Array(Math.max(buffer.length * 2, bufferLength + input.length));
      grown.set(buffer.subarray(0, bufferLength));
      buffer = grown;
    }
    buffer.set(input, bufferLength);
    bufferLength += input.length;
    consumed += input.length;
  };

  const discardBefore = (absolute: number): void => {
    const drop = Math.min(bufferLength, absolute - bufferStart);
    if (drop <= 0) return;
    buffer.copyWithin(0, drop, bufferLength);
    bufferLength -= drop;
    bufferStart += drop;
  };

  return {
    inputRate,
    outputRate,
    push(input: Float32Array): Float32Array {
      append(input);
      // Output n needs inputs up to floor(n × in / out) + halfWidth: n × in / out < consumed − halfWidth.
      const available = Math.max(0, Math.ceil(((consumed - halfWidth) * outputRate) / inputRate));
      const count = Math.max(0, available - produced);
      const out = new Float32Array(count);
      for (let k = 0; k < count; k++) {
        const weights = weightsFor(produced + k);
        const first = centre - halfWidth + 1 - bufferStart;
        let sum = 0;
        if (first >= 0 && first + taps <= bufferLength) {
          for (let t = 0; t < taps; t++) sum += weights[t]! * buffer[first + t]!;
        } else {
          for (let t = 0; t < taps; t++) {
            const index = first + t;
            if (index >= 0 && index < bufferLength) sum += weights[t]! * buffer[index]!;
          }
        }
        out[k] = sum;
      }
      produced += count;
      discardBefore(Math.floor((produced * inputRate) / outputRate) - halfWidth + 1);
      return out;
    },
  };
}
