/**
 * The one error type of a live session: every fatal condition (a close code, a failed handshake, a
 * dropped connection) becomes a `LiveError` whose `kind` says what to do about it.
 */
import { brandErrorClass } from '../protocol/errorBrand';

/**
 * What went wrong, coarse enough to act on:
 * - `timeout`: Deepgram closed with 1011 `NET-0001` (it received no audio or text message within
 *   its window) or `NET-0000` (it produced no response within its own window).
 * - `bad-audio`: Deepgram closed with 1008 `DATA-0000` (the payload cannot be decoded as audio).
 * - `auth`: the handshake was refused with HTTP 401 or 403.
 * - `rate-limit`: the handshake was refused with HTTP 429 (see `retryAfterMs`).
 * - `http`: the handshake was refused with another HTTP status (400 bad option, 402, 405, 5xx…).
 * - `network`: the connection could not be made or was lost (1006, DNS, refused, 1001, 1012…).
 * - `protocol`: any other close code, or a transport that could not be created.
 */
export type LiveErrorKind = 'timeout' | 'bad-audio' | 'auth' | 'rate-limit' | 'http' | 'network' | 'protocol';

/** The fields of a {@link LiveError}; `message` is the human-readable text. */
export interface LiveErrorInit {
  readonly kind: LiveErrorKind;
  readonly message: string;
  /** `NET-0001`, `NET-0000`, `DATA-0000`, or the `err_code` of an HTTP error body. */
  readonly code?: string;
  /** The WebSocket close code, when the error is a close. */
  readonly closeCode?: number;
  /** The WebSocket close reason as sent by the server, when the error is a close. */
  readonly reason?: string;
  /** The HTTP status of a refused handshake. */
  readonly status?: number;
  /** Deepgram's `dg-request-id` of the failed request or connection, when known. */
  readonly requestId?: string;
  /** How long the server asked to wait before trying again (`Retry-After`), in milliseconds. */
  readonly retryAfterMs?: number;
  /** The error this one reports (becomes the standard `Error.cause`). */
  readonly cause?: unknown;
}

/**
 * A fatal error of a live connection. Its `kind` is stable and meant for code (`switch (err.kind)`);
 * its `message` is meant for people and never contains the API key or access token.
 *
 * @example
 * ```ts
 * import { transcribe, LiveError } from 'deepgram-rx';
 *
 * audio$.pipe(transcribe({ apiKey })).subscribe({
 *   error: (err: unknown) => {
 *     if (err instanceof LiveError && err.kind === 'auth') console.error('check the API key:', err.message);
 *     else if (err instanceof LiveError && err.kind === 'rate-limit') console.error(`retry in ${err.retryAfterMs} ms`);
 *   },
 * });
 * ```
 */
export class LiveError extends Error {
  /** What went wrong; see {@link LiveErrorKind}. */
  readonly kind: LiveErrorKind;
  /** `NET-0001`, `NET-0000`, `DATA-0000`, or the `err_code` of an HTTP error body. */
  declare readonly code?: string;
  /** The WebSocket close code, when the error is a close. */
  declare readonly closeCode?: number;
  /** The WebSocket close reason as sent by the server, when the error is a close. */
  declare readonly reason?: string;
  /** The HTTP status of a refused handshake. */
  declare readonly status?: number;
  /** Deepgram's `dg-request-id`, when known: quote it to Deepgram support. */
  declare readonly requestId?: string;
  /** How long the server asked to wait before trying again (`Retry-After`), in milliseconds. */
  declare readonly retryAfterMs?: number;

  constructor(init: LiveErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    // Keeps `instanceof LiveError` true when compiled to ES5-style classes.
    Object.setPrototypeOf(this, new.target.prototype);
    this.name = 'LiveError';
    this.kind = init.kind;
    if (init.code !== undefined) this.code = init.code;
    if (init.closeCode !== undefined) this.closeCode = init.closeCode;
    if (init.reason !== undefined) this.reason = init.reason;
    if (init.status !== undefined) this.status = init.status;
    if (init.requestId !== undefined) this.requestId = init.requestId;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
  }
}
brandErrorClass(LiveError, 'LiveError');

/**
 * True when trying again with a new connection can help: `timeout`, `network`, `rate-limit`
 * (after `retryAfterMs`), and `http` errors with a 5xx status or 408. False for `auth`,
 * `bad-audio`, `protocol`, other `http` statuses, and anything that is not a {@link LiveError}.
 *
 * @example
 * ```ts
 * import { isRetryable, LiveError } from 'deepgram-rx';
 *
 * isRetryable(new LiveError({ kind: 'network', message: 'connection lost', closeCode: 1006 })); // true
 * isRetryable(new LiveError({ kind: 'auth', message: 'Invalid credentials.', status: 401 }));    // false
 * ```
 */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof LiveError)) return false;
  switch (error.kind) {
    case 'timeout':
    case 'network':
    case 'rate-limit':
      return true;
    case 'http':
      return error.status !== undefined && (error.status >= 500 || error.status === 408);
    default:
      return false;
  }
}
