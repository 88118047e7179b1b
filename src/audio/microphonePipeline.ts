/**
 * What `fromMicrophone` does to the samples the audio worklet posts: resample to the chosen rate,
 * convert to 16-bit PCM, cut into chunks of `chunkMs`. Pure and synchronous (no Web Audio), so it is
 * unit-tested in Node.
 */
import { createLinear16Chunker } from './pcmChunker';
import { createResampler } from './pcmResampler';

/** Rates and chunk length of a {@link MicrophonePipeline}. */
export interface MicrophonePipelineConfig {
  /** Rate of the samples pushed in (the AudioContext's rate), Hz. */
  readonly inputRate: number;
  /** Rate of the chunks, Hz. */
  readonly sampleRate: number;
  /** Audio per chunk, ms: each chunk holds `round(sampleRate × chunkMs / 1000)` samples. */
  readonly chunkMs: number;
}

/** Float samples at the device rate in, `linear16` chunks at the chosen rate out. */
export interface MicrophonePipeline {
  /** Bytes in every chunk. */
  readonly chunkBytes: number;
  /** Mono float samples at `inputRate`; returns the chunks they complete. */
  push(samples: Float32Array): Uint8Array[];
}

/** Samples in one chunk of `chunkMs` at `sampleRate` (at least 1). */
export function samplesPerChunk(sampleRate: number, chunkMs: number): number {
  return Math.max(1, Math.round((sampleRate * chunkMs) / 1000));
}

/**
 * Builds the resample → convert → chunk pipeline.
 *
 * @throws RangeError when a rate is not finite and > 0
 */
export function createMicrophonePipeline(config: MicrophonePipelineConfig): MicrophonePipeline {
  const resampler = createResampler(config.inputRate, config.sampleRate);
  const chunker = createLinear16Chunker(samplesPerChunk(config.sampleRate, config.chunkMs));
  return {
    chunkBytes: chunker.samplesPerChunk * 2,
    push: (samples) => chunker.push(resampler.push(samples)),
  };
}
