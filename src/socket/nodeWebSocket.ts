/**
 * The Node transport: the `ws` package, with the `Authorization` header and full handshake
 * diagnostics (status, `dg-error`, `dg-request-id`, `Retry-After`, the JSON error body).
 * Node only: exported from `deepgram-rx/node`.
 */
import { WebSocket, type ClientOptions } from 'ws';
import { isTimerDelay, MAX_TIMER_MS } from '../protocol/timerLimit';
import { describeOptionValue } from '../protocol/validationErrors';
import { DEFAULT_MAX_ERROR_BODY, NodeWebSocketAdapter } from './nodeWebSocketAdapter';
import { authorizationHeader, authSubprotocols, type WebSocketFactory } from './webSocketLike';

/** Options of {@link nodeWebSocket}. */
export interface NodeWebSocketOptions {
  /**
   * How credentials travel: `'header'` (default) sends `Authorization: Token KEY` /
   * `Bearer JWT`; `'subprotocol'` sends `Sec-WebSocket-Protocol: token, KEY` as browsers must
   * (not combinable with `wsOptions.followRedirects`: `ws` would send the subprotocols, key
   * included, to whatever host a redirect names).
   */
  readonly auth?: 'header' | 'subprotocol';
  /** Extra request headers, e.g. `User-Agent`. An `Authorization` header here is replaced by the credentials'. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Abort a handshake that takes longer than this (ms, > 0, at most 2^31 − 1); default: no limit of
   * the transport's own (`transcribe`'s `openTimeoutMs` bounds every connection attempt).
   */
  readonly handshakeTimeoutMs?: number;
  /** The most bytes of a refusal's body to read for its `err_code` (an integer >= 0; default 16384). */
  readonly maxErrorBodyBytes?: number;
  /**
   * Half-open detection: once open, send a WebSocket ping every `heartbeatMs`; when nothing came
   * from the server since the last ping (no pong, message or ping) by the time the next one is
   * due, the socket is terminated (the client sees 1006, which `transcribe`'s `reconnect`
   * retries). A server that keeps sending is alive even if its pong waits behind a congested
   * uplink. > 0 and at most 2^31 − 1. Default: off.
   */
  readonly heartbeatMs?: number;
  /**
   * The masking key of every frame the client sends (RFC 6455, section 5.3).
   * - `'random'` (default): a new key per frame from a strong random source, as the RFC requires.
   *   `ws` then copies and masks every chunk, in JavaScript unless the optional `bufferutil`
   *   package is installed.
   * - `'zero'`: an all-zero key. Masking with it changes no byte, so `ws` writes the chunk as it is,
   *   without the copy and the mask: a large part of a `ws` client's per-chunk cost without
   *   `bufferutil` (docs/benchmarks.md). Servers cannot tell (zero is a key like any other), but
   *   the key is predictable, which the RFC forbids: masking keeps whoever chooses the payload from
   *   writing bytes that a cleartext proxy or cache on the path would read as HTTP. So `'zero'` is
   *   for connections no cleartext intermediary reads: `wss:` (TLS) and `ws:` to a loopback host
   *   (`localhost`, `127.0.0.0/8`, `[::1]`). A `ws:` URL to any other host fails the connection
   *   attempt with a `protocol` LiveError before anything is sent, and `wsOptions.followRedirects`
   *   is refused with it (a redirect could lead elsewhere). A proxy that decrypts TLS reads the
   *   frames as a cleartext one would.
   */
  readonly frameMask?: 'random' | 'zero';
  /**
   * Any other `ws` client options (`agent`, `family`, `perMessageDeflate` (default false), …).
   * A `generateMask` here cannot be combined with `frameMask`.
   */
  readonly wsOptions?: Omit<ClientOptions, 'headers' | 'handshakeTimeout' | 'protocol'>;
}

/**
 * How long a close that the client starts waits for the server's close frame before the TCP
 * connection is dropped (`ws`'s `closeTimeout`, 30 s by default). The session closes a connection
 * itself mostly when it gave up on the server (half-open, `closeTimeoutMs`, unsubscribe), and a
 * live server answers in a round trip.
 */
const CLOSE_HANDSHAKE_MS = 2000;

/** A delay option: undefined, or > 0 and at most {@link MAX_TIMER_MS} (a longer timer fires after 1 ms). */
function checkDelay(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!isTimerDelay(value)) {
    throw new RangeError(
      `nodeWebSocket: ${name} must be > 0 and at most ${MAX_TIMER_MS} (the longest timer), got ${String(value)}`,
    );
  }
  return value;
}

/** `maxErrorBodyBytes`: an integer ≥ 0 (NaN would never stop the body read, a fraction cuts oddly). */
function checkMaxErrorBody(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_ERROR_BODY;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(
      `nodeWebSocket: maxErrorBodyBytes must be an integer >= 0, got ${describeOptionValue(value)}`,
    );
  }
  return value;
}

/** `headers`: an object whose values are strings (`ws` would fail later, at connect, on anything else). */
function checkHeaders(headers: unknown): void {
  if (headers === undefined) return;
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
    throw new TypeError(
      `nodeWebSocket: headers must be an object of strings, got ${describeOptionValue(headers)}`,
    );
  }
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string') {
      throw new TypeError(
        `nodeWebSocket: headers[${JSON.stringify(name)}] must be a string, got ${describeOptionValue(value)}`,
      );
    }
  }
}

/** Fills `ws`'s masking-key buffer with zeros: `ws` then skips the copy and the mask of the payload. */
function zeroMask(mask: Buffer): void {
  mask.fill(0);
}

/** Whether `url` is TLS (`wss:`, `https:`) or goes to a loopback host: no cleartext intermediary reads its frames. */
export function noCleartextHop(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'wss:' || protocol === 'https:') return true;
  return (
    hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

/**
 * Pings `socket` every `intervalMs` once open; terminates it when nothing came from the server
 * (no pong, and no message or ping either: a server that is sending is alive, even when the ping
 * waits behind audio in a congested uplink) since the previous ping. The verdict is taken after
 * the input already received is read (`setImmediate`), so that an event-loop stall longer than
 * `intervalMs` does not condemn a pong that is waiting to be read.
 */
function heartbeat(socket: WebSocket, intervalMs: number): void {
  let heard = true;
  let timer: ReturnType<typeof setInterval> | undefined;
  const alive = (): void => {
    heard = true;
  };
  socket.once('open', () => {
    timer = setInterval(() => {
      if (!heard) {
        setImmediate(() => {
          if (heard || socket.readyState !== WebSocket.OPEN) return;
          clearInterval(timer);
          socket.terminate();
        });
        return;
      }
      heard = false;
      try {
        socket.ping();
      } catch {
        // Not open any more: the close event ends the heartbeat.
      }
    }, intervalMs);
  });
  socket.on('pong', alive);
  socket.on('message', alive);
  socket.on('ping', alive);
  socket.once('close', () => clearInterval(timer));
}

/**
 * A {@link WebSocketFactory} over the `ws` package for Node. It sends credentials as the
 * `Authorization` header (`Token KEY` or `Bearer JWT`; or as subprotocols with `auth: 'subprotocol'`)
 * and records the HTTP upgrade response on the socket's `upgradeResponse`: a refused handshake
 * (status, headers, bounded body) then errors with a LiveError carrying `status`, `code` (the body's
 * `err_code`), `requestId` (`dg-request-id`), the `dg-error` text and `retryAfterMs`; of a
 * successful one only the status and `dg-request-id` are kept, which give the `open` event its
 * `requestId`.
 *
 * A close that the client starts waits at most 2 s for the server's close frame, then drops the
 * TCP connection (`ws` alone waits 30 s): a dead server does not keep a socket and a timer alive
 * after the session gave up on it.
 *
 * Each socket it makes is a {@link NodeWebSocketAdapter} (a small `WebSocketLike` over the `ws`
 * socket, with shared listeners rather than `ws`'s per-listener wrappers); its readonly `ws` field
 * is the underlying `ws` socket.
 *
 * @param options - auth style, extra headers, handshake timeout, other `ws` options
 * @throws TypeError or RangeError, naming the option, when an option is invalid (an unknown `auth`
 *   or `frameMask`, headers that are not strings, a delay out of range, …)
 * @example
 * ```ts
 * import { transcribe } from 'deepgram-rx';
 * import { nodeWebSocket, readWav } from 'deepgram-rx/node';
 *
 * const { format, audio$ } = readWav('call.wav', { pace: 'realtime' });
 * audio$
 *   .pipe(transcribe({ apiKey: process.env.DEEPGRAM_API_KEY, options: format, webSocket: nodeWebSocket() }))
 *   .subscribe((event) => console.log(event.type));
 * ```
 */
export function nodeWebSocket(options: NodeWebSocketOptions = {}): WebSocketFactory {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `nodeWebSocket: options must be an object, got ${options === null ? 'null' : typeof options}`,
    );
  }
  const maxBody = checkMaxErrorBody(options.maxErrorBodyBytes);
  const heartbeatMs = checkDelay('heartbeatMs', options.heartbeatMs);
  const handshakeTimeoutMs = checkDelay('handshakeTimeoutMs', options.handshakeTimeoutMs);
  const auth = options.auth ?? 'header';
  // A typo must not quietly move the key from the Authorization header into the subprotocol list.
  if (auth !== 'header' && auth !== 'subprotocol') {
    throw new RangeError(
      `nodeWebSocket: auth must be 'header' or 'subprotocol', got ${describeOptionValue(auth)}`,
    );
  }
  checkHeaders(options.headers);
  const useHeader = auth === 'header';
  const frameMask = options.frameMask ?? 'random';
  if (frameMask !== 'random' && frameMask !== 'zero') {
    throw new RangeError(`nodeWebSocket: frameMask must be 'random' or 'zero', got ${String(frameMask)}`);
  }
  if (options.frameMask !== undefined && options.wsOptions?.generateMask !== undefined) {
    throw new RangeError('nodeWebSocket: pass either frameMask or wsOptions.generateMask, not both');
  }
  // The URL is checked once, and a redirect could lead the socket to a cleartext host.
  if (frameMask === 'zero' && options.wsOptions?.followRedirects === true) {
    throw new RangeError("nodeWebSocket: frameMask 'zero' cannot be combined with wsOptions.followRedirects");
  }
  // ws drops an Authorization header on a redirect to another host, but not the subprotocols:
  // the key would go to whatever host the redirect names.
  if (!useHeader && options.wsOptions?.followRedirects === true) {
    throw new RangeError(
      "nodeWebSocket: auth 'subprotocol' cannot be combined with wsOptions.followRedirects (the key would follow a redirect to any host)",
    );
  }
  return ({ url, credentials }) => {
    if (frameMask === 'zero' && !noCleartextHop(url)) {
      throw new Error(
        `frameMask 'zero' is only for wss: or loopback URLs; ${new URL(url).host} is reached in cleartext`,
      );
    }
    const headers: Record<string, string> = {};
    // With credentials, an Authorization header given here is replaced by them (in either mode:
    // in subprotocol mode it would go out beside them, a second and perhaps stale key).
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (credentials === undefined || name.toLowerCase() !== 'authorization') headers[name] = value;
    }
    if (credentials !== undefined && useHeader) headers['Authorization'] = authorizationHeader(credentials);
    const protocols = credentials !== undefined && !useHeader ? authSubprotocols(credentials) : undefined;
    // `closeTimeout` (ws 8.23) is not in @types/ws yet.
    const clientOptions: ClientOptions & { closeTimeout?: number } = {
      perMessageDeflate: false,
      closeTimeout: CLOSE_HANDSHAKE_MS,
      ...options.wsOptions,
      headers,
      ...(handshakeTimeoutMs === undefined ? {} : { handshakeTimeout: handshakeTimeoutMs }),
      ...(frameMask === 'zero' ? { generateMask: zeroMask } : {}),
    };
    const socket = new WebSocket(url, protocols, clientOptions);
    const adapter = new NodeWebSocketAdapter(socket, maxBody);
    if (heartbeatMs !== undefined) heartbeat(socket, heartbeatMs);
    return adapter;
  };
}
