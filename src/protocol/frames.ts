/**
 * A WebSocket frame exactly as `WebSocket.send` takes it: a `string` goes out as a text frame,
 * a `Uint8Array` as a binary frame. Audio is always binary; control messages are always text.
 *
 * @example
 * ```ts
 * import { KEEP_ALIVE, type Frame } from 'deepgram-rx';
 * const frames: Frame[] = [new Uint8Array(320), KEEP_ALIVE];
 * ```
 */
export type Frame = string | Uint8Array;

/**
 * The KeepAlive control message, `{"type":"KeepAlive"}`. Sent as a text frame during pauses in the
 * audio, it resets Deepgram's 10 s inactivity timer without adding billed audio.
 *
 * @example
 * ```ts
 * import { KEEP_ALIVE } from 'deepgram-rx';
 * socket.send(KEEP_ALIVE);
 * ```
 */
export const KEEP_ALIVE = '{"type":"KeepAlive"}';

/**
 * The CloseStream control message, `{"type":"CloseStream"}`. Asks the server to flush the remaining
 * final results, send the session `Metadata` and close with code 1000.
 *
 * @example
 * ```ts
 * import { CLOSE_STREAM } from 'deepgram-rx';
 * socket.send(CLOSE_STREAM);
 * ```
 */
export const CLOSE_STREAM = '{"type":"CloseStream"}';

/**
 * Builds the Finalize control message: `{"type":"Finalize"}` flushes every channel,
 * `{"type":"Finalize","channel":N}` only channel `N` (0-based). The connection stays open.
 *
 * @param channel - the 0-based channel to finalize; omitted: all channels
 * @throws RangeError when `channel` is not a non-negative integer
 * @example
 * ```ts
 * import { finalizeFrame } from 'deepgram-rx';
 * finalizeFrame();  // '{"type":"Finalize"}'
 * finalizeFrame(0); // '{"type":"Finalize","channel":0}'
 * ```
 */
export function finalizeFrame(channel?: number): string {
  if (channel === undefined) return '{"type":"Finalize"}';
  // Safe integers only: 1e21 is an integer to JavaScript, but would go out as `1e+21`.
  if (!Number.isSafeInteger(channel) || channel < 0) {
    throw new RangeError(`finalizeFrame: channel must be a non-negative integer, got ${String(channel)}`);
  }
  return `{"type":"Finalize","channel":${channel}}`;
}

/**
 * True when a frame is a text frame (a control message); false for a binary (audio) frame.
 *
 * @example
 * ```ts
 * import { isTextFrame, KEEP_ALIVE } from 'deepgram-rx';
 * isTextFrame(KEEP_ALIVE); // true
 * ```
 */
export function isTextFrame(frame: Frame): frame is string {
  return typeof frame === 'string';
}
