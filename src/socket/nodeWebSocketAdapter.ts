/**
 * The {@link WebSocketLike} that `nodeWebSocket()` hands out: a small object over a `ws` client
 * socket, with the WebSocket `EventTarget` surface deepgram-rx uses. Node only.
 *
 * Why not the `ws` socket itself: `ws`'s `addEventListener` wraps every listener in a new closure
 * and grows the socket's listener table on each add and remove. Here every socket shares the same
 * few `ws` listeners (static functions of the class, registered once; the handshake ones are
 * swapped for the 'message' one at the upgrade); they find their adapter through one symbol-keyed
 * property on the `ws` socket, and the adapter keeps its listeners in one field per event type (an
 * array only from the second listener of a type on).
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type {
  SendTarget,
  UpgradeResponse,
  WebSocketLike,
  WebSocketLikeEventMap,
  WebSocketLikeHandler,
} from './webSocketLike';

/** The most bytes of a refusal's body read when no limit is given. */
export const DEFAULT_MAX_ERROR_BODY = 16384;

/** The property of a `ws` socket that points to its adapter. */
const ADAPTER = Symbol('deepgram-rx.nodeWebSocketAdapter');

/** The `ws` socket as the shared listeners see it (`this`): with its adapter and close state. */
interface AdaptedWebSocket extends WebSocket {
  [ADAPTER]?: NodeWebSocketAdapter;
  /** `ws` internals, read as `ws`'s own `CloseEvent` does for `wasClean`. */
  readonly _closeFrameReceived?: boolean;
  readonly _closeFrameSent?: boolean;
}

type EventType = keyof WebSocketLikeEventMap;
type Listener = (event: never) => void;
/** No listener, one listener, or (from the second one on) a copy-on-write array of them. */
type Listeners = Listener | readonly Listener[] | undefined;

/** The `open` event: what `ws`'s own `Event('open')` exposes. */
export interface NodeOpenEvent {
  readonly type: 'open';
  readonly target: NodeWebSocketAdapter;
}

/** The `message` event: `data` is a string for a text frame, else what `binaryType` makes of it. */
export interface NodeMessageEvent {
  readonly type: 'message';
  readonly data: unknown;
  readonly target: NodeWebSocketAdapter;
}

/** The `close` event: `wasClean` is true when close frames went both ways, as `ws` computes it. */
export interface NodeCloseEvent {
  readonly type: 'close';
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
  readonly target: NodeWebSocketAdapter;
}

/** The `error` event: the `ws` error and its message. */
export interface NodeErrorEvent {
  readonly type: 'error';
  readonly message: string;
  readonly error: unknown;
  readonly target: NodeWebSocketAdapter;
}

/**
 * A {@link WebSocketLike} over a `ws` client socket, as made by `nodeWebSocket()`. Events follow
 * the WebSocket `EventTarget`: several function listeners per type, the same function added twice
 * is registered once, a listener removed while an event is being dispatched is not called for it,
 * one added meanwhile is called from the next event on. Listeners are called with `this` = the
 * adapter; one that throws stops the dispatch and the error propagates out of `ws`'s `emit`, as
 * with `ws`'s own `addEventListener`.
 *
 * It records the HTTP upgrade response on `upgradeResponse`: of a successful upgrade, the status
 * and `dg-request-id`; of a refusal, the status, every header and at most `maxErrorBodyBytes` of
 * the body, after which the socket is terminated (`error`, then `close` with 1006).
 *
 * The underlying `ws` socket is the readonly `ws` field (e.g. to `terminate()` it, or to watch
 * `ping`/`pong`). Listeners added to it directly are not affected by the adapter.
 *
 * @example
 * ```ts
 * import { nodeWebSocket, NodeWebSocketAdapter } from 'deepgram-rx/node';
 *
 * const socket = nodeWebSocket()({ url: 'wss://api.deepgram.com/v1/listen' });
 * socket.addEventListener('close', (event) => console.log(event.code, event.reason));
 * if (socket instanceof NodeWebSocketAdapter) socket.ws.terminate();
 * ```
 */
export class NodeWebSocketAdapter implements WebSocketLike {
  /**
   * What `upgradeResponse` is made from: a refusal's response, or the `dg-request-id` of a
   * successful upgrade (`''` when it had none). An open socket holds one string, not two objects.
   */
  private upgrade: UpgradeResponse | string | undefined = undefined;
  private openListeners: Listeners = undefined;
  private messageListeners: Listeners = undefined;
  private closeListeners: Listeners = undefined;
  private errorListeners: Listeners = undefined;
  /** The handler given to `listen` (one per socket: a `LiveConnection`). */
  private handler: WebSocketLikeHandler | undefined = undefined;

  /**
   * Adapts `ws`, a client socket that is still connecting, and starts listening to it.
   *
   * @param ws - the `ws` socket; nothing else should have listened to its `upgrade` or
   *   `unexpected-response` events (the adapter handles both)
   * @param maxErrorBodyBytes - the most bytes of a refusal's body kept in `upgradeResponse`
   */
  constructor(
    readonly ws: WebSocket,
    readonly maxErrorBodyBytes: number = DEFAULT_MAX_ERROR_BODY,
  ) {
    (ws as AdaptedWebSocket)[ADAPTER] = this;
    // At most five `ws` listeners at a time keep its listener table in its smallest size: the
    // handshake ones go at the upgrade, where the 'message' one comes (before any frame can).
    /* eslint-disable @typescript-eslint/unbound-method -- called by `ws` with `this` = `ws`, by design */
    ws.on('error', NodeWebSocketAdapter.onWsError);
    ws.on('close', NodeWebSocketAdapter.onWsClose);
    ws.on('open', NodeWebSocketAdapter.onWsOpen);
    ws.on('upgrade', NodeWebSocketAdapter.onWsUpgrade);
    ws.on('unexpected-response', NodeWebSocketAdapter.onWsUnexpectedResponse);
    /* eslint-enable @typescript-eslint/unbound-method */
  }

  /** `ws`'s `binaryType` (`'nodebuffer'`, `'arraybuffer'`, `'fragments'`, `'blob'`). */
  /**
   * The upgrade response once the handshake got one: of a successful upgrade, status 101 and only
   * its `dg-request-id`; of a refusal, its status, every header and the bounded body.
   */
  get upgradeResponse(): UpgradeResponse | undefined {
    const upgrade = this.upgrade;
    if (typeof upgrade !== 'string') return upgrade;
    return { status: 101, headers: upgrade === '' ? {} : { 'dg-request-id': upgrade } };
  }

  get binaryType(): string {
    return this.ws.binaryType;
  }

  set binaryType(type: string) {
    this.ws.binaryType = type as WebSocket['binaryType'];
  }

  /** `CONNECTING`, `OPEN`, `CLOSING` or `CLOSED`. */
  get readyState(): number {
    return this.ws.readyState;
  }

  /** Bytes queued by `send` and not yet handed to the network. */
  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  /** The subprotocol the server chose, `''` if none. */
  get protocol(): string {
    return this.ws.protocol;
  }

  /** The `ws` socket: deepgram-rx writes audio to it directly, not through this adapter. */
  get sendTarget(): SendTarget {
    return this.ws;
  }

  /**
   * Sends a string as a text frame, an `ArrayBufferView` as a binary frame of exactly its bytes.
   * Throws while connecting, as `ws` does.
   */
  send(data: string | ArrayBufferView): void {
    this.ws.send(data);
  }

  /** Starts the closing handshake (or aborts a connecting socket), as `ws`'s `close`. */
  close(code?: number, reason?: string): void {
    this.ws.close(code, reason);
  }

  /** Registers a listener for `type`; adding a function already registered for it does nothing. */
  addEventListener<K extends keyof WebSocketLikeEventMap>(
    type: K,
    listener: (event: WebSocketLikeEventMap[K]) => void,
  ): void {
    if (typeof listener !== 'function') return;
    const current = this.listenersOf(type);
    if (current === undefined) this.setListeners(type, listener);
    else if (typeof current === 'function') {
      if (current !== listener) this.setListeners(type, [current, listener]);
    } else if (!current.includes(listener)) this.setListeners(type, [...current, listener]);
  }

  /** Unregisters a listener of `type`; one that is not registered is ignored. */
  removeEventListener<K extends keyof WebSocketLikeEventMap>(
    type: K,
    listener: (event: WebSocketLikeEventMap[K]) => void,
  ): void {
    const current = this.listenersOf(type);
    if (current === undefined) return;
    if (typeof current === 'function') {
      if (current === listener) this.setListeners(type, undefined);
      return;
    }
    const index = current.indexOf(listener);
    if (index < 0) return;
    const rest = current.filter((_, i) => i !== index);
    this.setListeners(type, rest.length === 1 ? rest[0] : rest);
  }

  /** How many listeners are registered for `type` (for tests and diagnostics). */
  /**
   * Delivers every event to `handler`'s methods (before the listeners of `addEventListener`; the
   * same event objects, and a message's `data`); `listen(undefined)` stops. One handler at a time: a new one replaces
   * the previous.
   */
  listen(handler: WebSocketLikeHandler | undefined): void {
    this.handler = handler;
  }

  /** True while a handler given to `listen` receives the events. */
  get listening(): boolean {
    return this.handler !== undefined;
  }

  listenerCount(type: keyof WebSocketLikeEventMap): number {
    const current = this.listenersOf(type);
    return current === undefined ? 0 : typeof current === 'function' ? 1 : current.length;
  }

  /** Calls `listeners` (those of `type` when the event arrived) with `event`. */
  private dispatch(type: EventType, listeners: Listener | readonly Listener[], event: unknown): void {
    if (typeof listeners === 'function') {
      (listeners as (event: unknown) => void).call(this, event);
      return;
    }
    // Arrays are replaced, never mutated: `listeners` is a snapshot of the registrations.
    for (const listener of listeners) {
      // Skip a listener removed by an earlier one of this dispatch.
      const now = this.listenersOf(type);
      if (now !== listeners && !isRegistered(now, listener)) continue;
      (listener as (event: unknown) => void).call(this, event);
    }
  }

  private listenersOf(type: EventType): Listeners {
    switch (type) {
      case 'open':
        return this.openListeners;
      case 'message':
        return this.messageListeners;
      case 'close':
        return this.closeListeners;
      case 'error':
        return this.errorListeners;
      default:
        return undefined;
    }
  }

  private setListeners(type: EventType, listeners: Listeners): void {
    switch (type) {
      case 'open':
        this.openListeners = listeners;
        break;
      case 'message':
        this.messageListeners = listeners;
        break;
      case 'close':
        this.closeListeners = listeners;
        break;
      case 'error':
        this.errorListeners = listeners;
        break;
    }
  }

  // The shared `ws` listeners, one function each for every socket. `ws` (an EventEmitter) calls
  // them with `this` = the `ws` socket, which points to its adapter.

  private static readonly onWsOpen = function (this: AdaptedWebSocket): void {
    const adapter = this[ADAPTER];
    if (adapter === undefined) return;
    adapter.handler?.handleOpen();
    const listeners = adapter.openListeners;
    if (listeners === undefined) return;
    const event: NodeOpenEvent = { type: 'open', target: adapter };
    adapter.dispatch('open', listeners, event);
  };

  private static readonly onWsMessage = function (
    this: AdaptedWebSocket,
    data: WebSocket.RawData,
    isBinary: boolean,
  ): void {
    const adapter = this[ADAPTER];
    if (adapter === undefined || (adapter.handler === undefined && adapter.messageListeners === undefined)) {
      return;
    }
    // A text frame arrives as a Buffer whatever the binaryType; binary data as binaryType made it.
    const value = isBinary ? data : (data as Buffer).toString();
    adapter.handler?.handleMessage(value);
    const listeners = adapter.messageListeners;
    if (listeners === undefined) return;
    const event: NodeMessageEvent = { type: 'message', data: value, target: adapter };
    adapter.dispatch('message', listeners, event);
  };

  // Always registered, so `ws` never throws an unhandled 'error' (e.g. closed while connecting).
  private static readonly onWsError = function (this: AdaptedWebSocket, error: Error): void {
    const adapter = this[ADAPTER];
    if (adapter === undefined || (adapter.handler === undefined && adapter.errorListeners === undefined)) {
      return;
    }
    const event: NodeErrorEvent = { type: 'error', message: error.message, error, target: adapter };
    adapter.handler?.handleError(event);
    const listeners = adapter.errorListeners;
    if (listeners !== undefined) adapter.dispatch('error', listeners, event);
  };

  private static readonly onWsClose = function (this: AdaptedWebSocket, code: number, reason: Buffer): void {
    const adapter = this[ADAPTER];
    if (adapter === undefined || (adapter.handler === undefined && adapter.closeListeners === undefined)) {
      return;
    }
    const event: NodeCloseEvent = {
      type: 'close',
      code,
      reason: reason.toString(),
      wasClean: this._closeFrameReceived === true && this._closeFrameSent === true,
      target: adapter,
    };
    adapter.handler?.handleClose(event);
    const listeners = adapter.closeListeners;
    if (listeners !== undefined) adapter.dispatch('close', listeners, event);
  };

  // `ws` emits 'upgrade' right before it reads frames and emits 'open', in the same tick.
  private static readonly onWsUpgrade = function (this: AdaptedWebSocket, response: IncomingMessage): void {
    /* eslint-disable @typescript-eslint/unbound-method -- called by `ws` with `this` = `ws`, by design */
    this.removeListener('unexpected-response', NodeWebSocketAdapter.onWsUnexpectedResponse);
    this.on('message', NodeWebSocketAdapter.onWsMessage);
    this.removeListener('upgrade', NodeWebSocketAdapter.onWsUpgrade);
    /* eslint-enable @typescript-eslint/unbound-method */
    const adapter = this[ADAPTER];
    if (adapter === undefined) return;
    // An open socket keeps only what it uses: the request id (the other headers stay unread).
    const requestId = response.headers['dg-request-id'];
    adapter.upgrade = typeof requestId === 'string' ? requestId : '';
  };

  private static readonly onWsUnexpectedResponse = function (
    this: AdaptedWebSocket,
    _request: unknown,
    response: IncomingMessage,
  ): void {
    // Rare (a refused handshake): closures are fine here.
    const limit = this[ADAPTER]?.maxErrorBodyBytes ?? DEFAULT_MAX_ERROR_BODY;
    const status = response.statusCode ?? 0;
    const headers = flattenHeaders(response.headers);
    // Known at once: a body that is slow to come (or never ends) must not turn a 401 into a
    // retried network error when a timeout ends the attempt first.
    const early = this[ADAPTER];
    if (early !== undefined) early.upgrade = { status, headers, body: '' };
    readBody(response, limit, (body) => {
      const adapter = this[ADAPTER];
      if (adapter !== undefined) adapter.upgrade = { status, headers, body };
      // Fails the handshake: 'error' then 'close' (1006), read with `upgradeResponse` set.
      this.terminate();
    });
  };
}

function isRegistered(listeners: Listeners, listener: Listener): boolean {
  return typeof listeners === 'function' ? listeners === listener : (listeners?.includes(listener) ?? false);
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** How long a refusal's body may take to arrive before what came is used (ms). */
const BODY_READ_MS = 2000;

/**
 * Reads at most `limit` bytes of a response body, for at most {@link BODY_READ_MS}, then calls
 * `done` exactly once with them as UTF-8 (a character cut at the limit is dropped).
 */
function readBody(response: IncomingMessage, limit: number, done: (body: string) => void): void {
  const chunks: Buffer[] = [];
  let bytes = 0;
  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    response.removeAllListeners('data');
    const body = Buffer.concat(chunks, Math.min(bytes, limit));
    done(new TextDecoder('utf-8', { fatal: false }).decode(body).replace(/\uFFFD$/, ''));
  };
  const timer = setTimeout(() => {
    finish();
    response.destroy();
  }, BODY_READ_MS);
  response.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    bytes += chunk.length;
    if (bytes >= limit) {
      finish();
      response.destroy();
    }
  });
  response.once('end', finish);
  response.once('close', finish);
  response.once('error', finish);
}
