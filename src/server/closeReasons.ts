/**
 * Close codes and reasons the emulator sends, as Deepgram sends them (protocol.md §5.1–§5.2).
 */

/**
 * Close reason of an inactivity timeout (code 1011), exactly as Deepgram sends it today.
 *
 * @example
 * ```ts
 * import { NET0001_REASON } from 'deepgram-rx/node';
 * socket.on('close', (code, reason) => {
 *   if (code === 1011 && reason.toString() === NET0001_REASON) console.log('idle timeout');
 * });
 * ```
 */
export const NET0001_REASON =
  'Deepgram did not receive audio data or a text message within the timeout window. See https://dpgr.am/net0001';

/** Close reason when the service sent nothing within its own timeout (code 1011). */
export const NET0000_REASON =
  'Deepgram did not provide a response message within the timeout window. See https://dpgr.am/net0000';

/** Close reason for audio that cannot be decoded (code 1008): the bare code, as 2022-era servers sent it. */
export const DATA0000_REASON = 'DATA-0000';

/** Close codes used by the emulator. */
export const CloseCode = {
  /** Graceful end after CloseStream. */
  normal: 1000,
  /** Undecodable audio (DATA-0000). */
  policyViolation: 1008,
  /** Inactivity (NET-0001) or service timeout (NET-0000). */
  internalError: 1011,
  /** No close frame: the TCP connection was dropped (never sent on the wire). */
  abnormal: 1006,
} as const;
