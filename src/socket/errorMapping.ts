/**
 * From what the wire says (a close code and reason, or a refused handshake) to a {@link LiveError}.
 * Table (protocol.md §5):
 *
 * | close / status                          | kind         | code           | retryable |
 * |-----------------------------------------|--------------|----------------|-----------|
 * | 1000                                    | (normal end) |                |           |
 * | 1011 + `NET-0001` (client sent nothing) | `timeout`    | `NET-0001`     | yes       |
 * | 1011 + `NET-0000` (server sent nothing) | `timeout`    | `NET-0000`     | yes       |
 * | 1011, other reason (internal error)     | `network`    |                | yes       |
 * | 1008 (`DATA-0000`: undecodable audio)   | `bad-audio`  | `DATA-0000`    | no        |
 * | 1006 (no close frame), 1001, 1005, 1012, 1013, 1014, 1015 | `network` |  | yes       |
 * | any other 1xxx, 3xxx, 4xxx              | `protocol`   |                | no        |
 * | HTTP 401, 403                           | `auth`       | body err_code  | no        |
 * | HTTP 429                                | `rate-limit` | body err_code  | yes       |
 * | HTTP 400, 402, 405, other 4xx, 3xx      | `http`       | body err_code  | no        |
 * | HTTP 5xx, 408                           | `http`       | body err_code  | yes       |
 *
 * `NET-0000` is Deepgram's own timeout (it produced no response in time: an internal issue or too
 * little audio). It is mapped to `timeout`, like `NET-0001`, because both are the server's timers
 * firing and both are worth one more connection; `code` tells them apart.
 */
import { LiveError } from './liveError';
import type { UpgradeResponse } from './webSocketLike';

/** A WebSocket close as reported by a `close` event. */
export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
  /** Whether the socket had opened before it closed (changes the wording of 1006). */
  readonly opened?: boolean;
  /** Why the transport failed, e.g. `connect ECONNREFUSED 127.0.0.1:9` (from its `error` event). */
  readonly detail?: string;
  /** The request id of the connection, if known. */
  readonly requestId?: string;
  /** The endpoint for messages, e.g. `wss://api.deepgram.com/v1/listen` (no query). */
  readonly endpoint?: string;
}

const NET_0001 = /NET-?0001|did not receive audio data or a text message/i;
const NET_0000 = /NET-?0000|did not provide a response message/i;
const DATA_0000 = /DATA-?0000/i;

const RETRYABLE_NETWORK_CLOSES: Readonly<Record<number, string>> = {
  1001: 'the server is going away',
  1005: 'the server closed without a status code',
  1006: 'the connection was lost without a close frame',
  1012: 'the server is restarting',
  1013: 'the server is overloaded, try again later',
  1014: 'a gateway received an invalid response',
  1015: 'the TLS handshake failed',
};

function withReason(text: string, reason: string): string {
  return reason === '' ? text : `${text} (reason: "${reason}")`;
}

/**
 * Maps a WebSocket close to a {@link LiveError}, or `null` for a normal close (1000). See the table
 * at the top of this module.
 *
 * @example
 * ```ts
 * import { liveErrorFromClose } from 'deepgram-rx';
 * const err = liveErrorFromClose({ code: 1011, reason: 'Deepgram did not receive audio data or a text message within the timeout window. See https://dpgr.am/net0001' });
 * err?.kind; // 'timeout'
 * err?.code; // 'NET-0001'
 * ```
 */
export function liveErrorFromClose(close: CloseInfo): LiveError | null {
  const { code, reason } = close;
  if (code === 1000) return null;
  const where = close.endpoint === undefined ? 'the server' : close.endpoint;
  const common = {
    closeCode: code,
    ...(reason === '' ? {} : { reason }),
    ...(close.requestId === undefined ? {} : { requestId: close.requestId }),
  };
  if (code === 1011 && NET_0001.test(reason)) {
    return new LiveError({
      ...common,
      kind: 'timeout',
      code: 'NET-0001',
      message: withReason(
        `Deepgram closed the connection (1011 NET-0001): it received no audio or text message within its timeout window; send audio or KeepAlive at least every 10 s`,
        reason,
      ),
    });
  }
  if (code === 1011 && NET_0000.test(reason)) {
    return new LiveError({
      ...common,
      kind: 'timeout',
      code: 'NET-0000',
      message: withReason(
        `Deepgram closed the connection (1011 NET-0000): it produced no response within its timeout window (a server-side issue, or too little audio to transcribe)`,
        reason,
      ),
    });
  }
  if (code === 1011) {
    return new LiveError({
      ...common,
      kind: 'network',
      message: withReason(`${where} closed the connection with 1011 (internal server error)`, reason),
    });
  }
  if (code === 1008) {
    return new LiveError({
      ...common,
      kind: 'bad-audio',
      ...(DATA_0000.test(reason) || reason === '' ? { code: 'DATA-0000' } : {}),
      message: withReason(
        `Deepgram closed the connection (1008 DATA-0000): the audio could not be decoded; check encoding, sample_rate and channels against the audio actually sent`,
        reason,
      ),
    });
  }
  const network = RETRYABLE_NETWORK_CLOSES[code];
  if (network !== undefined) {
    const detail = close.detail === undefined || close.detail === '' ? '' : `: ${close.detail}`;
    const message =
      code === 1006 && close.opened !== true
        ? `could not connect to ${where}${detail}`
        : withReason(`connection to ${where} closed with ${code} (${network})${detail}`, reason);
    return new LiveError({ ...common, kind: 'network', message });
  }
  return new LiveError({
    ...common,
    kind: 'protocol',
    message: withReason(`${where} closed the connection with unexpected code ${code}`, reason),
  });
}

/**
 * Parses a `Retry-After` header (delta-seconds or an HTTP date) into milliseconds from `now`;
 * `undefined` when absent or unreadable. Never negative.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

interface ErrorBody {
  err_code?: string;
  err_msg?: string;
  request_id?: string;
}

function parseErrorBody(body: string | undefined): ErrorBody {
  if (body === undefined || body === '') return {};
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value !== 'object' || value === null) return {};
    const record = value as Record<string, unknown>;
    const pick = (key: string): string | undefined => {
      const field = record[key];
      return typeof field === 'string' && field !== '' ? field : undefined;
    };
    const out: ErrorBody = {};
    const errCode = pick('err_code');
    const errMsg = pick('err_msg') ?? pick('message');
    const requestId = pick('request_id');
    if (errCode !== undefined) out.err_code = errCode;
    if (errMsg !== undefined) out.err_msg = errMsg;
    if (requestId !== undefined) out.request_id = requestId;
    return out;
  } catch {
    return {};
  }
}

function handshakeKind(status: number): 'auth' | 'rate-limit' | 'http' {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate-limit';
  return 'http';
}

/**
 * Maps a refused WebSocket handshake (an HTTP response other than 101) to a {@link LiveError}:
 * 401/403 → `auth`, 429 → `rate-limit` (with `retryAfterMs` from `Retry-After`), anything else →
 * `http`. `code` is the JSON body's `err_code`, `requestId` the `dg-request-id` header (or the
 * body's `request_id`), and the message quotes `dg-error` (or the body's `err_msg`).
 *
 * @param response - status, lower-case headers and body of the refusal
 * @param endpoint - for the message, e.g. `wss://api.deepgram.com/v1/listen` (no query)
 * @param now - the clock for an HTTP-date `Retry-After`
 * @example
 * ```ts
 * import { liveErrorFromHandshake } from 'deepgram-rx';
 * const err = liveErrorFromHandshake({ status: 429, headers: { 'retry-after': '2' } });
 * err.kind;         // 'rate-limit'
 * err.retryAfterMs; // 2000
 * ```
 */
export function liveErrorFromHandshake(
  response: UpgradeResponse,
  endpoint?: string,
  now?: number,
): LiveError {
  const { status, headers } = response;
  const body = parseErrorBody(response.body);
  const kind = handshakeKind(status);
  const requestId = headers['dg-request-id'] ?? body.request_id;
  const detail = headers['dg-error'] ?? body.err_msg;
  const retryAfterMs = parseRetryAfter(headers['retry-after'], now);
  const what = {
    auth: 'the credentials were refused',
    'rate-limit': 'too many requests or concurrent connections',
    http: status >= 500 ? 'server error' : 'the request was refused',
  }[kind];
  const reasonParts = [body.err_code, detail].filter((part): part is string => part !== undefined);
  const notes = [
    retryAfterMs === undefined ? undefined : `retry after ${retryAfterMs} ms`,
    requestId === undefined ? undefined : `request id ${requestId}`,
  ].filter((part): part is string => part !== undefined);
  const message =
    [
      `${endpoint ?? 'the server'} answered the WebSocket handshake with HTTP ${status} (${what})`,
      ...reasonParts,
    ].join(': ') + notes.map((note) => `; ${note}`).join('');
  return new LiveError({
    kind,
    status,
    message,
    ...(body.err_code === undefined ? {} : { code: body.err_code }),
    ...(requestId === undefined ? {} : { requestId }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}
