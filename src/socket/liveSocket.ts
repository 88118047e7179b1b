/**
 * One live connection to `/v1/listen` as a cold Observable: subscribing connects, the server's
 * text frames come out decoded, frames to send come in as an Observable, unsubscribing closes.
 */
import { isObservable, Observable, type Subscriber } from 'rxjs';
import type { DecodeFailure } from '../protocol/decode';
import type { Frame } from '../protocol/frames';
import type { ServerMessage } from '../protocol/messages';
import { subscribeLinked } from '../protocol/subscribeLinked';
import { checkCredentials, checkUrl, LiveConnection, type LiveConnectionHandler } from './liveConnection';
import { defaultWebSocket } from './defaultWebSocket';
import type { LiveCredentials, WebSocketFactory } from './webSocketLike';

/** The socket opened. `requestId` is Deepgram's `dg-request-id` where the transport can see it. */
export interface SocketOpenEvent {
  readonly type: 'open';
  readonly requestId?: string;
  /** The subprotocol the server selected (`'token'`/`'bearer'` with subprotocol auth, else `''`). */
  readonly protocol: string;
}

/** A text frame from the server, decoded. */
export interface SocketMessageEvent {
  readonly type: 'message';
  readonly message: ServerMessage;
}

/** A frame from the server that could not be decoded; the socket stays open. */
export interface SocketDecodeFailureEvent {
  readonly type: 'decode-failure';
  readonly failure: DecodeFailure;
}

/** What {@link liveSocket} emits. */
export type SocketEvent = SocketOpenEvent | SocketMessageEvent | SocketDecodeFailureEvent;

/** The open socket, as seen by the `frames` function of {@link LiveSocketConfig}. */
export interface OpenSocket {
  /** Bytes queued by `send` and not yet handed to the network: read it for backpressure. */
  readonly bufferedAmount: number;
  readonly requestId?: string;
  readonly protocol: string;
}

/** Configuration of {@link liveSocket}. */
export interface LiveSocketConfig {
  /** The full `ws(s)://…/v1/listen?…` URL (see `listenUrl`). */
  readonly url: string;
  /** API key or JWT; the factory decides whether it travels as a header or as subprotocols. */
  readonly credentials?: LiveCredentials;
  /** The transport; default: `ws` (`nodeWebSocket()`) in Node, the native `WebSocket` elsewhere (`nativeWebSocket()`). */
  readonly webSocket?: WebSocketFactory;
  /**
   * What to send, subscribed once the socket is open (never before) and unsubscribed when it
   * closes. A `string` goes out as a text frame, a `Uint8Array` as a binary frame of exactly its
   * bytes; an empty `Uint8Array` is skipped (Deepgram reads an empty binary frame as the legacy
   * CloseStream and would end the stream). The function form is called at open with the {@link OpenSocket}, e.g. to watch
   * `bufferedAmount`. Its completion sends nothing and keeps the socket open (send `CLOSE_STREAM`
   * to end a session); its error closes the socket and errors the stream with that error.
   */
  readonly frames?: Observable<Frame> | ((socket: OpenSocket) => Observable<Frame>);
}

function validate(config: LiveSocketConfig): void {
  checkUrl(config.url);
  checkCredentials(config.credentials);
  const frames = config.frames;
  if (frames !== undefined && typeof frames !== 'function' && !isObservable(frames)) {
    throw new TypeError('liveSocket: frames must be an Observable or a function returning one');
  }
  if (config.webSocket !== undefined && typeof config.webSocket !== 'function') {
    throw new TypeError(
      `liveSocket: webSocket must be a WebSocketFactory function, got ${typeof config.webSocket}`,
    );
  }
}

/** One subscription of {@link liveSocket}: the connection's events go to `subscriber`; `frames` is subscribed at open. */
class SubscriberHandler implements LiveConnectionHandler {
  constructor(
    private readonly subscriber: Subscriber<SocketEvent>,
    private readonly frames: LiveSocketConfig['frames'],
  ) {}

  socketOpened(event: SocketOpenEvent, connection: LiveConnection): void {
    const { subscriber, frames } = this;
    subscriber.next(event);
    if (frames === undefined || subscriber.closed) return;
    let source: Observable<Frame>;
    try {
      source = typeof frames === 'function' ? frames(connection) : frames;
    } catch (error) {
      subscriber.error(error);
      return;
    }
    if (!isObservable(source)) {
      // A JavaScript caller's function that forgot its `return`: an error, not a stream that hangs.
      subscriber.error(new TypeError('liveSocket: the frames function must return an Observable'));
      return;
    }
    // Linked first: a stream that ends while a synchronous `frames` emits stops it.
    subscribeLinked(source, subscriber, {
      next: (frame) => connection.send(frame),
      error: (error: unknown) => subscriber.error(error),
    });
  }

  socketMessage(message: ServerMessage): void {
    this.subscriber.next({ type: 'message', message });
  }

  socketDecodeFailure(failure: DecodeFailure): void {
    this.subscriber.next({ type: 'decode-failure', failure });
  }

  serverClosed(): void {
    this.subscriber.complete();
  }

  connectionLost(error: unknown): void {
    this.subscriber.error(error);
  }
}

/**
 * Opens one WebSocket connection to Deepgram's `/v1/listen` per subscription (cold) and emits
 * what happens on it. The building block of `transcribe()`; use it directly for full control.
 *
 * ```text
 * frames:              a--b--c------|            (subscribed at open)
 * liveSocket:   --o-------m-----m--m---|         o = open, m = message; | = server closed 1000
 * server close 1011:    --o----m--#               # = LiveError kind 'timeout' (NET-0001)
 * ```
 *
 * - Emits `{ type: 'open', requestId?, protocol }` once the handshake succeeds, then
 *   `{ type: 'message', message }` for each decoded server message and
 *   `{ type: 'decode-failure', failure }` for a frame that does not decode (the socket stays open).
 * - Completes when the server closes with 1000 (normally after `CLOSE_STREAM`).
 * - Errors with a {@link LiveError} on any other close (1011 NET-0001 → `timeout`, 1008 →
 *   `bad-audio`, 1006 → `network`, …) and on a refused handshake (401 → `auth`, 429 →
 *   `rate-limit`, …; the HTTP status is only visible to transports that set `upgradeResponse`,
 *   such as `nodeWebSocket()`). A factory that throws errors the stream with a `protocol` LiveError.
 * - `frames` is subscribed once the socket is open and each frame is sent as it arrives: a string
 *   as a text frame, a `Uint8Array` as a binary frame of exactly its bytes (no serializer). Frames
 *   arriving after the server started closing are discarded.
 * - Unsubscribing unsubscribes `frames`, removes every listener and closes the socket with 1000.
 * - The API key or token never appears in any event or error; URLs in messages are redacted.
 *
 * @param config - the URL, credentials, transport and frames to send
 * @throws TypeError at call time when `url` is not a ws:// or wss:// URL, or credentials are empty
 * @example
 * ```ts
 * import { liveSocket, listenUrl, KEEP_ALIVE } from 'deepgram-rx';
 * import { nodeWebSocket } from 'deepgram-rx/node';
 * import { interval, map } from 'rxjs';
 *
 * liveSocket({
 *   url: listenUrl({ model: 'nova-3', encoding: 'linear16', sample_rate: 16000 }),
 *   credentials: { scheme: 'token', secret: process.env.DEEPGRAM_API_KEY! },
 *   webSocket: nodeWebSocket(),
 *   frames: interval(5000).pipe(map(() => KEEP_ALIVE)),
 * }).subscribe((event) => console.log(event.type));
 * ```
 */
export function liveSocket(config: LiveSocketConfig): Observable<SocketEvent> {
  validate(config);
  const { url, credentials, frames } = config;
  const factory = config.webSocket ?? defaultWebSocket();
  return new Observable<SocketEvent>((subscriber) => {
    const connection = new LiveConnection(url, factory, new SubscriberHandler(subscriber, frames));
    connection.connect(credentials);
    return () => connection.close();
  });
}
