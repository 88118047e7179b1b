/**
 * The transport seam: the part of the WebSocket API deepgram-rx uses, and the factory that makes
 * one. The browser's native `WebSocket`, the `ws` package and the fake in `deepgram-rx/testing`
 * all fit it.
 */

/** `readyState` values, as in the WebSocket standard. */
export const CONNECTING = 0;
/** `readyState` of an open socket. */
export const OPEN = 1;
/** `readyState` of a socket whose close handshake has started. */
export const CLOSING = 2;
/** `readyState` of a closed socket. */
export const CLOSED = 3;

/** The part of a `message` event deepgram-rx reads: a string for a text frame. */
export interface WebSocketMessageEventLike {
  readonly data: unknown;
}

/** The part of a `close` event deepgram-rx reads. */
export interface WebSocketCloseEventLike {
  readonly code: number;
  readonly reason: string;
  readonly wasClean?: boolean;
}

/** The events deepgram-rx listens to, with the part of each event it reads. */
export interface WebSocketLikeEventMap {
  open: unknown;
  message: WebSocketMessageEventLike;
  close: WebSocketCloseEventLike;
  /** Browsers give a bare `Event`; `ws` an `ErrorEvent` with a `message`. */
  error: unknown;
}

/**
 * The HTTP response to the upgrade request, for transports that can see it (Node's `ws`; not
 * browsers). Header names are lower case.
 */
export interface UpgradeResponse {
  /** 101 for a successful upgrade, else the refusal's status (401, 429, …). */
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The response body of a refusal (bounded), e.g. `{"err_code":"INVALID_AUTH",…}`. */
  readonly body?: string;
}

/**
 * Receives a socket's four events through {@link WebSocketLike.listen}: one object with methods
 * instead of four listener functions.
 */
export interface WebSocketLikeHandler {
  handleOpen(): void;
  /** A frame's data (what a `message` event's `data` would be: a string for a text frame). */
  handleMessage(data: unknown): void;
  handleError(event: unknown): void;
  handleClose(event: WebSocketCloseEventLike): void;
}

/**
 * The subset of the browser `WebSocket` API that deepgram-rx uses. A native `WebSocket` and a
 * `ws` client both satisfy it. A transport that can see the HTTP upgrade response (Node) also sets
 * `upgradeResponse`, which lets errors carry the HTTP status, `dg-error` and `dg-request-id`.
 */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  readonly bufferedAmount: number;
  readonly protocol: string;
  /** A `string` goes out as a text frame, an `ArrayBufferView` as a binary frame of exactly its bytes. */
  send(data: string | ArrayBufferView): void;
  close(code?: number, reason?: string): void;
  addEventListener<K extends keyof WebSocketLikeEventMap>(
    type: K,
    listener: (event: WebSocketLikeEventMap[K]) => void,
  ): void;
  removeEventListener<K extends keyof WebSocketLikeEventMap>(
    type: K,
    listener: (event: WebSocketLikeEventMap[K]) => void,
  ): void;
  /**
   * Optional. Delivers `open`, `message`, `error` and `close` to one handler's methods, in the
   * order the listeners would get them (a message as its `data`, the other events as they are);
   * `listen(undefined)` stops. When a
   * transport has it, deepgram-rx uses it instead of `addEventListener`, which saves each
   * connection four listener closures. `nodeWebSocket()`'s sockets have it.
   */
  listen?(handler: WebSocketLikeHandler | undefined): void;
  /** Set by transports that see the upgrade response; read when the socket opens or closes. */
  readonly upgradeResponse?: UpgradeResponse;
  /**
   * Optional. For an adapter over another socket: the object that really sends, whose `send`,
   * `bufferedAmount` and `readyState` mean exactly what this socket's do. Once the socket is open,
   * deepgram-rx writes audio chunks to it directly (one object and one call less per chunk; the
   * events still come through this socket). `nodeWebSocket()`'s sockets give their `ws` socket.
   * A wrapper that watches or changes `send` must wrap or hide `sendTarget` too, or the audio
   * passes it by.
   */
  readonly sendTarget?: SendTarget;
}

/**
 * What a socket's audio is written to: the sending part of {@link WebSocketLike} (see
 * {@link WebSocketLike.sendTarget}).
 */
export interface SendTarget {
  readonly readyState: number;
  readonly bufferedAmount: number;
  /** A `string` goes out as a text frame, an `ArrayBufferView` as a binary frame of exactly its bytes. */
  send(data: string | ArrayBufferView): void;
}

/**
 * Who is connecting: an API key (`scheme: 'token'`) or a short-lived JWT from Deepgram's
 * `/v1/auth/grant` (`scheme: 'bearer'`).
 */
export interface LiveCredentials {
  readonly scheme: 'token' | 'bearer';
  readonly secret: string;
}

/** What a {@link WebSocketFactory} is asked to open. */
export interface WebSocketRequest {
  /** The full `wss://…/v1/listen?…` URL, query included. */
  readonly url: string;
  /**
   * The credentials, if any. A factory that can set headers (Node) sends
   * {@link authorizationHeader}; one that cannot (browsers) sends {@link authSubprotocols}.
   */
  readonly credentials?: LiveCredentials;
}

/**
 * Makes a WebSocket for a request. Must not throw for a reachable or unreachable host: failures
 * are reported through the socket's `error` and `close` events.
 *
 * @example
 * ```ts
 * import { authSubprotocols, type WebSocketFactory } from 'deepgram-rx';
 * const factory: WebSocketFactory = ({ url, credentials }) =>
 *   new WebSocket(url, credentials ? authSubprotocols(credentials) : undefined);
 * ```
 */
export type WebSocketFactory = (request: WebSocketRequest) => WebSocketLike;

/**
 * The `Authorization` header value for credentials: `Token KEY` or `Bearer JWT`.
 *
 * @example
 * ```ts
 * import { authorizationHeader } from 'deepgram-rx';
 * authorizationHeader({ scheme: 'token', secret: key }); // `Token ${key}`
 * ```
 */
export function authorizationHeader(credentials: LiveCredentials): string {
  return `${credentials.scheme === 'token' ? 'Token' : 'Bearer'} ${credentials.secret}`;
}

/**
 * The WebSocket subprotocols that carry credentials where headers cannot be set (browsers):
 * `['token', KEY]` or `['bearer', JWT]`. Deepgram echoes only the first one.
 *
 * @example
 * ```ts
 * import { authSubprotocols } from 'deepgram-rx';
 * new WebSocket(url, authSubprotocols({ scheme: 'bearer', secret: jwt })); // ['bearer', jwt]
 * ```
 */
export function authSubprotocols(credentials: LiveCredentials): string[] {
  return [credentials.scheme, credentials.secret];
}
