/**
 * The AudioWorklet processor of `fromMicrophone`, shipped inside the library as source text and
 * loaded from a Blob URL, so users need no extra file. It only copies: it mixes the input down to
 * mono and posts batches of float samples (transferring each buffer) to the main thread, where the
 * pure pipeline resamples, converts and chunks them.
 */

/** The name the processor registers under (one AudioContext per subscription, so no clash). */
export const CAPTURE_PROCESSOR = 'deepgram-rx-capture';

/**
 * Plain JavaScript run in the AudioWorkletGlobalScope. `processorOptions.batchFrames` sets how many
 * frames go into one message. It never touches `outputs` and keeps running until the node is
 * disconnected and the context closed.
 */
export const CAPTURE_PROCESSOR_SOURCE = `
class DeepgramRxCapture extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const size = options && options.processorOptions && options.processorOptions.batchFrames;
    this.size = size > 0 ? size : 512;
    this.batch = new Float32Array(this.size);
    this.filled = 0;
  }
  process(inputs) {
    const input = inputs[0];
    if (!input || input.length === 0) return true;
    const channels = input.length;
    const frames = input[0].length;
    for (let i = 0; i < frames; i++) {
      let sum = 0;
      for (let c = 0; c < channels; c++) sum += input[c][i];
      this.batch[this.filled++] = sum / channels;
      if (this.filled === this.size) {
        this.port.postMessage(this.batch, [this.batch.buffer]);
        this.batch = new Float32Array(this.size);
        this.filled = 0;
      }
    }
    return true;
  }
}
registerProcessor(${JSON.stringify(CAPTURE_PROCESSOR)}, DeepgramRxCapture);
`;

/** Frames per message: about 10 ms at the context's rate, whole render quanta (128 frames). */
export function batchFrames(contextRate: number): number {
  return Math.max(1, Math.round((contextRate * 0.01) / 128)) * 128;
}
