/**
 * One live connection to `/v1/listen` as an object: the socket, its four listeners, decoding and
 * error mapping, reporting to a handler. `liveSocket` wraps it in an Observable; `transcribe` uses
 * it directly, so a session holds no subscriber chain for its socket.
 */
import { decodeServerMessage, type DecodeFailure } from '../protocol/decode';
import { isRight } from '../protocol/either';
import type { Frame } from '../protocol/frames';
import type { ServerMessage } from '../protocol/messages';
import { liveErrorFromClose, liveErrorFromHandshake } from './errorMapping';
import { LiveError, type LiveErrorInit } from './liveError';
import type { OpenSocket, SocketOpenEvent } from './liveSocket';
import { endpointOf, redactText, redactUrl, scrubSecrets } from './redact';
import {
  CLOSED,
  CONNECTING,
  OPEN,
  type LiveCredentials,
  type SendTarget,
  type WebSocketCloseEventLike,
  type WebSocketFactory,
  type WebSocketLike,
  type WebSocketLikeHandler,
  type WebSocketMessageEventLike,
} from './webSocketLike';

/** What a {@link LiveConnection} reports, synchronously. After `close()`, or after one of `serverClosed`/`connectionLost`, nothing more. */
export interface LiveConnectionHandler {
  /** The socket opened; `connection` can now `send`. */
  socketOpened(event: SocketOpenEvent, connection: LiveConnection): void;
  /** A server frame, decoded. */
  socketMessage(message: ServerMessage): void;
  /** A server frame that did not decode (the connection goes on). */
  socketDecodeFailure(failure: DecodeFailure): void;
  /** The server closed the socket with 1000. */
  serverClosed(): void;
  /**
   * The connection failed: a refused handshake or a close other than 1000 (a {@link LiveError}), a
   * failed send or transport (`protocol` LiveError), invalid credentials (TypeError), or what the
   * credential supplier threw.
   */
  connectionLost(error: unknown): void;
}

/**
 * Why a secret cannot go in an `Authorization` header or a WebSocket subprotocol, or undefined when
 * it can: it holds whitespace, a control or a non-ASCII character (typically the trailing newline
 * of a token endpoint's response). Says so without echoing the secret.
 */
export function unusableSecret(secret: string): string | undefined {
  return /[^\x21-\x7e]/.test(secret)
    ? 'contains whitespace, a control or a non-ASCII character (a trailing newline from a token endpoint?); API keys and tokens have none'
    : undefined;
}

/** Throws a TypeError when `credentials` are present but unusable. */
export function checkCredentials(credentials: LiveCredentials | undefined): void {
  if (credentials === undefined) return;
  if (credentials.scheme !== 'token' && credentials.scheme !== 'bearer') {
    throw new TypeError(`liveSocket: credentials.scheme must be 'token' or 'bearer'`);
  }
  if (typeof credentials.secret !== 'string' || credentials.secret.trim() === '') {
    throw new TypeError('liveSocket: credentials.secret must be a non-empty string');
  }
  const problem = unusableSecret(credentials.secret);
  if (problem !== undefined) throw new TypeError(`liveSocket: credentials.secret ${problem}`);
}

/**
 * Throws a TypeError when `url` is not an absolute ws:// or wss:// URL. The message shows a URL
 * (redacted) only when the value has a `scheme://` in it: anything else may be the API key, passed
 * as the url by mistake, and errors must not carry it.
 */
export function checkUrl(url: string): void {
  const shown = (): string =>
    typeof url === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(url)
      ? `"${redactUrl(url)}"`
      : typeof url === 'string'
        ? 'a string that is not a URL'
        : typeof url;
  let scheme: string;
  try {
    scheme = new URL(url).protocol;
  } catch {
    throw new TypeError(`liveSocket: url must be an absolute ws:// or wss:// URL, got ${shown()}`);
  }
  if (scheme !== 'ws:' && scheme !== 'wss:') {
    throw new TypeError(`liveSocket: url must use ws:// or wss://, got ${shown()}`);
  }
}

function errorDetail(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const { message, error } = event as { message?: unknown; error?: unknown };
  if (typeof message === 'string' && message !== '') return message;
  if (error instanceof Error && error.message !== '') return error.message;
  return undefined;
}

function binaryLength(data: unknown): number | undefined {
  if (data instanceof ArrayBuffer) return data.byteLength;
  if (ArrayBuffer.isView(data)) return data.byteLength;
  if (typeof Blob !== 'undefined' && data instanceof Blob) return data.size;
  if (Array.isArray(data)) return data.reduce((sum: number, part) => sum + (binaryLength(part) ?? 0), 0);
  return undefined;
}

function binaryFrameFailure(data: unknown): DecodeFailure {
  const length = binaryLength(data);
  const found = length === undefined ? typeof data : `a binary frame of ${length} bytes`;
  return {
    raw: '',
    errors: [`(frame): expected a text frame (the server sends only text), found ${found}`],
  };
}

/** Rebuilds an error with every text field scrubbed of the secrets and of secret URL parameters. */
function scrubError(error: LiveError, secrets: readonly string[]): LiveError {
  const clean = (text: string): string => redactText(scrubSecrets(text, secrets));
  const init: LiveErrorInit = {
    kind: error.kind,
    message: clean(error.message),
    ...(error.code === undefined ? {} : { code: clean(error.code) }),
    ...(error.closeCode === undefined ? {} : { closeCode: error.closeCode }),
    ...(error.reason === undefined ? {} : { reason: clean(error.reason) }),
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.requestId === undefined ? {} : { requestId: clean(error.requestId) }),
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
  };
  return new LiveError(init);
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'unknown error';
}

/**
 * One connection attempt: `connect(credentials)` opens the socket, `send` writes a frame, `close()`
 * removes the listeners and closes the socket (1000). Events go to the handler (see
 * {@link LiveConnectionHandler}); the same mapping of closes and refusals to `LiveError`s as
 * `liveSocket` documents, with the secret scrubbed from every text. A class: a session holds one
 * per connection, and its methods are shared. It is itself the socket's handler where the
 * transport has `listen` (`nodeWebSocket()`); for any other transport it adds four listener
 * functions ({@link SocketListeners}).
 */
export class LiveConnection implements OpenSocket, WebSocketLikeHandler {
  private socket: WebSocketLike | undefined;
  private credentials: LiveCredentials | undefined;
  private opened = false;
  private done = false;
  private errorText: string | undefined;
  /** The listener functions, for a transport without `listen`. */
  private listeners: SocketListeners | undefined;
  requestId: string | undefined = undefined;
  protocol = '';

  constructor(
    private readonly url: string,
    private readonly webSocket: WebSocketFactory,
    private readonly handler: LiveConnectionHandler,
  ) {}

  /** True once closed, or once the handler heard `serverClosed`/`connectionLost`. */
  get closed(): boolean {
    return this.done;
  }

  /** Bytes queued by `send` and not yet handed to the network. */
  get bufferedAmount(): number {
    return this.socket?.bufferedAmount ?? 0;
  }

  /** Opens the socket with `credentials` (checked first: a TypeError goes to `connectionLost`). */
  connect(credentials: LiveCredentials | undefined): void {
    if (this.done) return;
    try {
      checkCredentials(credentials);
    } catch (error) {
      this.lose(error);
      return;
    }
    this.credentials = credentials;
    const url = this.url;
    let socket: WebSocketLike;
    try {
      socket = this.webSocket(credentials === undefined ? { url } : { url, credentials });
    } catch (error) {
      this.lose(
        this.error({
          kind: 'protocol',
          message: `could not create a WebSocket to ${endpointOf(url)}: ${describe(error)}`,
        }),
      );
      return;
    }
    this.socket = socket;
    try {
      socket.binaryType = 'arraybuffer';
    } catch {
      // Some transports have a fixed binary type; the server sends only text anyway.
    }
    if (typeof socket.listen === 'function') socket.listen(this);
    else this.listeners = new SocketListeners(socket, this);
  }

  /** The attempt failed before a socket existed (e.g. the credential supplier rejected). */
  abort(error: unknown): void {
    if (!this.done) this.lose(error);
  }

  /**
   * Sends a frame (a string as text, bytes as binary). An empty binary frame is never sent:
   * Deepgram reads one as the legacy CloseStream and ends the stream.
   *
   * @returns false when the frame was not sent because the socket is not open (not yet, or
   *   closing: the server's close frame may have come in already); true otherwise, also when
   *   `send` threw (the connection is then lost with that error)
   */
  send(frame: Frame): boolean {
    const socket = this.socket;
    if (this.done || socket === undefined || socket.readyState !== OPEN) return false;
    if (typeof frame !== 'string' && frame.byteLength === 0) return true;
    try {
      socket.send(frame);
    } catch (error) {
      this.sendFailed(error);
    }
    return true;
  }

  /**
   * What frames can be written to directly while the connection is open (the socket's
   * `sendTarget`, or the socket itself), for a caller that checks `readyState` itself and reports a
   * `send` that throws to {@link sendFailed}; undefined before the open and once closed.
   */
  get sendTarget(): SendTarget | undefined {
    const socket = this.socket;
    if (this.done || !this.opened || socket === undefined) return undefined;
    return socket.sendTarget ?? socket;
  }

  /** A `send` threw: the connection is lost with a `protocol` LiveError (as in {@link send}). */
  sendFailed(error: unknown): void {
    if (this.done) return;
    this.lose(
      this.error({
        kind: 'protocol',
        message: `could not send a frame to ${endpointOf(this.url)}: ${describe(error)}`,
      }),
    );
  }

  /** Removes the listeners and closes the socket with 1000 if it is connecting or open. Idempotent. */
  close(): void {
    this.done = true;
    const socket = this.socket;
    if (socket === undefined) return;
    this.socket = undefined;
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners === undefined) socket.listen?.(undefined);
    else {
      listeners.remove(socket);
      if (socket.readyState !== CLOSED) ignoreErrorsUntilClosed(socket);
    }
    if (socket.readyState === CONNECTING || socket.readyState === OPEN) {
      try {
        socket.close(1000);
      } catch {
        // Closing is best effort: the socket is unreachable from here on.
      }
    }
  }

  /** Socket handler: the socket opened. */
  handleOpen(): void {
    const socket = this.socket;
    if (this.done || socket === undefined) return;
    this.opened = true;
    const requestId = socket.upgradeResponse?.headers['dg-request-id'];
    const secret = this.credentials?.secret;
    const protocol = secret !== undefined && socket.protocol === secret ? '***' : socket.protocol;
    this.requestId = requestId;
    this.protocol = protocol;
    this.handler.socketOpened(
      requestId === undefined ? { type: 'open', protocol } : { type: 'open', requestId, protocol },
      this,
    );
  }

  /** Socket handler: a frame from the server (its data). */
  handleMessage(data: unknown): void {
    if (this.done) return;
    if (typeof data !== 'string') {
      this.handler.socketDecodeFailure(binaryFrameFailure(data));
      return;
    }
    const decoded = decodeServerMessage(data);
    if (isRight(decoded)) this.handler.socketMessage(decoded.right);
    else this.handler.socketDecodeFailure(decoded.left);
  }

  /** Socket handler: an error event (its text details the close that follows). */
  handleError(event: unknown): void {
    this.errorText = errorDetail(event) ?? this.errorText;
  }

  /**
   * The error of a refused handshake whose status is known (its body may still be arriving), for
   * a caller that gives up on the attempt first (an open timeout): a 401 stays `auth`.
   */
  refusal(): LiveError | undefined {
    const upgrade = this.socket?.upgradeResponse;
    if (this.opened || upgrade === undefined || upgrade.status === 101) return undefined;
    return liveErrorFromHandshake(upgrade, endpointOf(this.url));
  }

  /** Socket handler: the socket closed. */
  handleClose(event: WebSocketCloseEventLike): void {
    const socket = this.socket;
    if (this.done || socket === undefined) return;
    const upgrade = socket.upgradeResponse;
    const endpoint = endpointOf(this.url);
    let error: LiveError | null;
    if (!this.opened && upgrade !== undefined && upgrade.status !== 101) {
      error = liveErrorFromHandshake(upgrade, endpoint);
    } else {
      const { errorText, requestId } = this;
      error = liveErrorFromClose({
        code: event.code,
        reason: event.reason,
        opened: this.opened,
        endpoint,
        ...(errorText === undefined ? {} : { detail: errorText }),
        ...(requestId === undefined ? {} : { requestId }),
      });
    }
    this.close();
    if (error === null) this.handler.serverClosed();
    else this.handler.connectionLost(scrubError(error, this.secrets()));
  }

  private lose(error: unknown): void {
    this.close();
    this.handler.connectionLost(error);
  }

  private secrets(): readonly string[] {
    const secret = this.credentials?.secret;
    return secret === undefined ? [] : [secret];
  }

  private error(init: LiveErrorInit): LiveError {
    return scrubError(new LiveError(init), this.secrets());
  }
}

/**
 * Keeps a socket that is being let go from raising an unhandled error: a `ws` client emits `error`
 * on the `close()` of a socket still connecting (and on a network error while closing), and a Node
 * EventEmitter throws an `error` event that has no listener. The two listeners remove themselves on
 * the socket's `close` event.
 */
function ignoreErrorsUntilClosed(socket: WebSocketLike): void {
  const ignore = (): void => undefined;
  const closed = (): void => {
    socket.removeEventListener('error', ignore);
    socket.removeEventListener('close', closed);
  };
  socket.addEventListener('error', ignore);
  socket.addEventListener('close', closed);
}

/** The four listener functions of a connection on a transport without `listen`. */
class SocketListeners {
  private readonly onOpen: () => void;
  private readonly onMessage: (event: WebSocketMessageEventLike) => void;
  private readonly onError: (event: unknown) => void;
  private readonly onClose: (event: WebSocketCloseEventLike) => void;

  constructor(socket: WebSocketLike, handler: WebSocketLikeHandler) {
    this.onOpen = () => handler.handleOpen();
    this.onMessage = (event) => handler.handleMessage(event.data);
    this.onError = (event) => handler.handleError(event);
    this.onClose = (event) => handler.handleClose(event);
    socket.addEventListener('open', this.onOpen);
    socket.addEventListener('message', this.onMessage);
    socket.addEventListener('error', this.onError);
    socket.addEventListener('close', this.onClose);
  }

  remove(socket: WebSocketLike): void {
    socket.removeEventListener('open', this.onOpen);
    socket.removeEventListener('message', this.onMessage);
    socket.removeEventListener('error', this.onError);
    socket.removeEventListener('close', this.onClose);
  }
}
