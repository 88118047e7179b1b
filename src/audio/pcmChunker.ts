/**
 * Cuts a stream of float samples into `linear16` chunks of a fixed number of samples, however the
 * samples arrive. Private to `fromMicrophone`; pure.
 */
import { writeLinear16 } from './pcmLinear16';

/** Collects float samples and hands out full `linear16` chunks. */
export interface Linear16Chunker {
  /** Samples (mono) per chunk. */
  readonly samplesPerChunk: number;
  /** Adds samples; returns the chunks they complete, in order (each a new `Uint8Array` the caller owns). */
  push(samples: Float32Array): Uint8Array[];
  /** Samples held for the next chunk. */
  readonly pending: number;
}

/**
 * A chunker that emits `samplesPerChunk × 2` bytes per chunk (16-bit little-endian, mono).
 *
 * @throws RangeError when `samplesPerChunk` is not an integer ≥ 1
 */
export function createLinear16Chunker(samplesPerChunk: number): Linear16Chunker {
  if (!Number.isInteger(samplesPerChunk) || samplesPerChunk < 1) {
    throw new RangeError(
      `createLinear16Chunker: samplesPerChunk must be an integer >= 1, got ${samplesPerChunk}`,
    );
  }
  let chunk = new Uint8Array(samplesPerChunk * 2);
  let filled = 0; // samples in `chunk`

  return {
    samplesPerChunk,
    get pending() {
      return filled;
    },
    push(samples: Float32Array): Uint8Array[] {
      const out: Uint8Array[] = [];
      let from = 0;
      while (from < samples.length) {
        const take = Math.min(samplesPerChunk - filled, samples.length - from);
        writeLinear16(samples.subarray(from, from + take), chunk, filled * 2);
        filled += take;
        from += take;
        if (filled === samplesPerChunk) {
          out.push(chunk);
          chunk = new Uint8Array(samplesPerChunk * 2);
          filled = 0;
        }
      }
      return out;
    },
  };
}
