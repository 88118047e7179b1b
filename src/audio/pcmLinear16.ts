/**
 * Float samples (Web Audio's `-1 … 1`) to 16-bit signed little-endian PCM (`linear16`), with
 * clipping. Private to `fromMicrophone`; isomorphic and pure.
 */

/**
 * One float sample as a 16-bit integer: `-1 → -32768`, `0 → 0`, `1 → 32767`, rounded to the nearest
 * integer. Values beyond `±1` are clipped to the 16-bit range; `NaN` becomes `0` (silence).
 */
export function floatToInt16(sample: number): number {
  if (!(sample === sample)) return 0; // NaN
  if (sample >= 1) return 32767;
  if (sample <= -1) return -32768;
  return Math.round(sample < 0 ? sample * 32768 : sample * 32767);
}

/**
 * Writes `samples` as little-endian 16-bit integers into `target` from byte `byteOffset`
 * (`2 × samples.length` bytes; the caller makes sure they fit).
 */
export function writeLinear16(samples: ArrayLike<number>, target: Uint8Array, byteOffset: number): void {
  for (let i = 0, at = byteOffset; i < samples.length; i++, at += 2) {
    const value = floatToInt16(samples[i]!);
    target[at] = value & 0xff;
    target[at + 1] = (value >> 8) & 0xff;
  }
}

/**
 * Float samples as a new `linear16` byte array (little-endian, whatever the platform's byte order).
 */
export function toLinear16(samples: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(samples.length * 2);
  writeLinear16(samples, bytes, 0);
  return bytes;
}
