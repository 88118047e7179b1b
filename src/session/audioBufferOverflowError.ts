/**
 * The error of a session whose outgoing audio piled up beyond its bound (`maxBufferBytes`).
 */
import { brandErrorClass } from '../protocol/errorBrand';

/**
 * Why the audio was waiting: the socket had not opened yet (`'open'`), or it was open but
 * its send buffer stayed above `highWaterBytes` (`'drain'`: the network is slower than the audio).
 *
 * @example
 * ```ts
 * import type { AudioBufferOverflowError, BufferWait } from 'deepgram-rx';
 * const why = (error: AudioBufferOverflowError): BufferWait => error.waitingFor;
 * ```
 */
export type BufferWait = 'open' | 'drain';

/**
 * Thrown into the stream by `transcribe()` when more than `maxBufferBytes` of frames wait to be
 * sent. Real-time audio cannot wait forever: rather than dropping audio silently or growing
 * memory without bound, the session fails loudly. Raise `maxBufferBytes` (or pass `Infinity`) to
 * read files faster than real time.
 *
 * @example
 * ```ts
 * import { AudioBufferOverflowError, transcribe } from 'deepgram-rx';
 *
 * audio$.pipe(transcribe(config)).subscribe({
 *   error: (err: unknown) => {
 *     if (err instanceof AudioBufferOverflowError) console.error(`${err.bufferedBytes} bytes waited for ${err.waitingFor}`);
 *   },
 * });
 * ```
 */
export class AudioBufferOverflowError extends Error {
  /** Bytes that were waiting when the bound was crossed (the frame that crossed it included). */
  readonly bufferedBytes: number;
  /** The bound, `maxBufferBytes`. */
  readonly maxBufferBytes: number;
  /** What the frames were waiting for. */
  readonly waitingFor: BufferWait;

  constructor(bufferedBytes: number, maxBufferBytes: number, waitingFor: BufferWait) {
    const why =
      waitingFor === 'open'
        ? 'for the connection to open'
        : "for the socket's send buffer to drain (the network is slower than the audio)";
    super(
      `transcribe: ${bufferedBytes} bytes of audio waited ${why}, more than maxBufferBytes (${maxBufferBytes}); ` +
        'the session fails rather than drop audio (raise maxBufferBytes to buffer more)',
    );
    Object.setPrototypeOf(this, new.target.prototype);
    this.name = 'AudioBufferOverflowError';
    this.bufferedBytes = bufferedBytes;
    this.maxBufferBytes = maxBufferBytes;
    this.waitingFor = waitingFor;
  }
}
brandErrorClass(AudioBufferOverflowError, 'AudioBufferOverflowError');
