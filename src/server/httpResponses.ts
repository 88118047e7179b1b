/**
 * HTTP responses of the emulator's upgrade endpoint: Deepgram's legacy JSON error body
 * `{ err_code, err_msg, request_id }`, the `dg-error` and `dg-request-id` headers, and the CORS
 * headers Deepgram adds when the request has an `Origin` (protocol.md §1.5, §5.4).
 */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/** A refused handshake: HTTP status and Deepgram's `err_code` / `err_msg`. */
export interface HandshakeError {
  readonly status: number;
  readonly errCode: string;
  readonly errMsg: string;
  /** Extra response headers, e.g. `retry-after`. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** The headers Deepgram exposes to browsers (`access-control-expose-headers`). */
const EXPOSED_HEADERS = 'dg-model-name,dg-model-uuid,dg-char-count,dg-request-id,dg-error';

/**
 * Makes a value safe for an HTTP header: characters outside printable ASCII (including CR and LF,
 * which would split the response) become `?`.
 */
export function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '?');
}

/**
 * The CORS header lines Deepgram sends on a browser upgrade (any response) when the request has an
 * `Origin`; none without one.
 */
export function corsHeaderLines(origin: string | undefined): string[] {
  if (origin === undefined) return [];
  return [
    `access-control-allow-origin: ${headerSafe(origin)}`,
    'access-control-allow-credentials: true',
    'vary: origin',
    'vary: access-control-request-method',
    'vary: access-control-request-headers',
    `access-control-expose-headers: ${EXPOSED_HEADERS}`,
  ];
}

/** The JSON body of a refused handshake, exactly as Deepgram writes it (compact, this key order). */
export function errorBody(error: HandshakeError, requestId: string): string {
  return JSON.stringify({ err_code: error.errCode, err_msg: error.errMsg, request_id: requestId });
}

/**
 * Writes a complete HTTP error response on an upgrade socket and ends it: status line,
 * `content-type: application/json`, `dg-error`, `dg-request-id`, CORS headers when `origin` is set,
 * any extra headers of the error, then the JSON body.
 */
export function writeHandshakeError(
  socket: Duplex,
  error: HandshakeError,
  requestId: string,
  origin: string | undefined,
): void {
  const body = errorBody(error, requestId);
  const lines = [
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}`,
    'content-type: application/json',
    `dg-error: ${headerSafe(error.errMsg)}`,
    `content-length: ${Buffer.byteLength(body)}`,
    ...corsHeaderLines(origin),
    ...Object.entries(error.headers ?? {}).map(([name, value]) => `${name}: ${headerSafe(value)}`),
    `dg-request-id: ${requestId}`,
    'connection: close',
  ];
  if (socket.writable) socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
  else socket.destroy();
}

/** The default `err_code` / `err_msg` Deepgram uses for a status (protocol.md §5.4). */
export function defaultHandshakeError(status: number): HandshakeError {
  switch (status) {
    case 400:
      return { status, errCode: 'Bad Request', errMsg: 'Bad Request' };
    case 401:
      return { status, errCode: 'INVALID_AUTH', errMsg: 'Invalid credentials.' };
    case 402:
      return {
        status,
        errCode: 'ASR_PAYMENT_REQUIRED',
        errMsg:
          'Project does not have enough credits for an ASR request and does not have an overage agreement.',
      };
    case 403:
      return {
        status,
        errCode: 'INSUFFICIENT_PERMISSIONS',
        errMsg: 'Project does not have access to the requested model.',
      };
    case 404:
      return { status, errCode: 'NOT_FOUND', errMsg: 'Not Found' };
    case 429:
      return { status, errCode: 'TOO_MANY_REQUESTS', errMsg: 'Too many requests. Please try again later' };
    case 500:
      return { status, errCode: 'INTERNAL_SERVER_ERROR', errMsg: 'Internal Server Error' };
    default:
      return {
        status,
        errCode: (STATUS_CODES[status] ?? 'ERROR').toUpperCase().replace(/[^A-Z0-9]+/g, '_'),
        errMsg: STATUS_CODES[status] ?? 'Error',
      };
  }
}
