/**
 * One live connection to `/v1/listen` as a cold Observable: subscribing connects, the server's
 * text frames come out decoded, frames to send come in as an Observable, unsubscribing closes.
 */
import * as E from 'fp-ts/lib/Either.js';
import { isObservable, Observable } from 'rxjs';
import { decodeServerMessage, type DecodeFailure } from '../protocol/decode';
import type { Frame } from '../protocol/frames';
import type { ServerMessage } from '../protocol/messages';
import { liveErrorFromClose, liveErrorFromHandshake } from './errorMapping';
import { LiveError, type LiveErrorInit } from './liveError';
import { nativeWebSocket } from './nativeWebSocket';
import { endpointOf, redactText, redactUrl, scrubSecrets } from './redact';
import {
  CONNECTING,
  OPEN,
  type LiveCredentials,
  type WebSocketCloseEventLike,
  type WebSocketFactory,
  type WebSocketLike,
  type WebSocketMessageEventLike,
} from './webSocketLike';

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
  /** The transport; default {@link nativeWebSocket} (`globalThis.WebSocket`). */
  readonly webSocket?: WebSocketFactory;
  /**
   * What to send, subscribed once the socket is open (never before) and unsubscribed when it
   * closes. A `string` goes out as a text frame, a `Uint8Array` as a binary frame of exactly its
   * bytes. The function form is called at open with the {@link OpenSocket}, e.g. to watch
   * `bufferedAmount`. Its completion sends nothing and keeps the socket open (send `CLOSE_STREAM`
   * to end a session); its error closes the socket and errors the stream with that error.
   */
  readonly frames?: Observable<Frame> | ((socket: OpenSocket) => Observable<Frame>);
}

/** The {@link OpenSocket} given to `frames`: a class, so a session holds no closures for it. */
class OpenSocketHandle implements OpenSocket {
  declare readonly requestId?: string;

  constructor(
    private readonly socket: WebSocketLike,
    readonly protocol: string,
    requestId: string | undefined,
  ) {
    if (requestId !== undefined) this.requestId = requestId;
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }
}

const URL_SCHEMES = new Set(['ws:', 'wss:']);

function validate(config: LiveSocketConfig): void {
  let scheme: string;
  try {
    scheme = new URL(config.url).protocol;
  } catch {
    throw new TypeError(
      `liveSocket: url must be an absolute ws:// or wss:// URL, got "${redactUrl(String(config.url))}"`,
    );
  }
  if (!URL_SCHEMES.has(scheme)) {
    throw new TypeError(`liveSocket: url must use ws:// or wss://, got "${redactUrl(config.url)}"`);
  }
  const credentials = config.credentials;
  if (credentials !== undefined) {
    if (credentials.scheme !== 'token' && credentials.scheme !== 'bearer') {
      throw new TypeError(`liveSocket: credentials.scheme must be 'token' or 'bearer'`);
    }
    if (typeof credentials.secret !== 'string' || credentials.secret.trim() === '') {
      throw new TypeError('liveSocket: credentials.secret must be a non-empty string');
    }
  }
  const frames = config.frames;
  if (frames !== undefined && typeof frames !== 'function' && !isObservable(frames)) {
    throw new TypeError('liveSocket: frames must be an Observable or a function returning one');
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

function decodeEvent(data: unknown): SocketMessageEvent | SocketDecodeFailureEvent {
  if (typeof data !== 'string') {
    const length = binaryLength(data);
    const found = length === undefined ? typeof data : `a binary frame of ${length} bytes`;
    return {
      type: 'decode-failure',
      failure: {
        raw: '',
        errors: [`(frame): expected a text frame (the server sends only text), found ${found}`],
      },
    };
  }
  const decoded = decodeServerMessage(data);
  return E.isRight(decoded)
    ? { type: 'message', message: decoded.right }
    : { type: 'decode-failure', failure: decoded.left };
}

/** Rebuilds an error with every text field scrubbed of the secrets and of secret URL parameters. */
function scrubError(error: LiveError, secrets: readonly string[]): LiveError {
  const clean = (text: string): string => scrubSecrets(redactText(text), secrets);
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
  const factory = config.webSocket ?? nativeWebSocket();
  const secrets = credentials === undefined ? [] : [credentials.secret];
  // Only messages use it: computed when one is made, not held by every open socket.
  const endpoint = (): string => endpointOf(url);
  const fail = (init: LiveErrorInit): LiveError => scrubError(new LiveError(init), secrets);

  return new Observable<SocketEvent>((subscriber) => {
    let socket: WebSocketLike;
    try {
      socket = factory(credentials === undefined ? { url } : { url, credentials });
    } catch (error) {
      subscriber.error(
        fail({
          kind: 'protocol',
          message: `could not create a WebSocket to ${endpoint()}: ${describe(error)}`,
        }),
      );
      return undefined;
    }
    try {
      socket.binaryType = 'arraybuffer';
    } catch {
      // Some transports have a fixed binary type; the server sends only text anyway.
    }

    let opened = false;
    let errorText: string | undefined;
    let requestId: string | undefined;

    const send = (frame: Frame): void => {
      if (socket.readyState !== OPEN) return;
      try {
        socket.send(frame);
      } catch (error) {
        subscriber.error(
          fail({ kind: 'protocol', message: `could not send a frame to ${endpoint()}: ${describe(error)}` }),
        );
      }
    };

    const onOpen = (): void => {
      opened = true;
      requestId = socket.upgradeResponse?.headers['dg-request-id'];
      const protocol = secrets.includes(socket.protocol) ? '***' : socket.protocol;
      subscriber.next(
        requestId === undefined ? { type: 'open', protocol } : { type: 'open', requestId, protocol },
      );
      if (frames === undefined || subscriber.closed) return;
      const handle = new OpenSocketHandle(socket, protocol, requestId);
      let source: Observable<Frame>;
      try {
        source = typeof frames === 'function' ? frames(handle) : frames;
      } catch (error) {
        subscriber.error(error);
        return;
      }
      // `add` unsubscribes at once if the stream ended while `frames` was being subscribed.
      subscriber.add(source.subscribe({ next: send, error: (error: unknown) => subscriber.error(error) }));
    };

    const onMessage = (event: WebSocketMessageEventLike): void => {
      subscriber.next(decodeEvent(event.data));
    };

    const onError = (event: unknown): void => {
      errorText = errorDetail(event) ?? errorText;
    };

    const onClose = (event: WebSocketCloseEventLike): void => {
      const upgrade = socket.upgradeResponse;
      if (!opened && upgrade !== undefined && upgrade.status !== 101) {
        subscriber.error(scrubError(liveErrorFromHandshake(upgrade, endpoint()), secrets));
        return;
      }
      const error = liveErrorFromClose({
        code: event.code,
        reason: event.reason,
        opened,
        endpoint: endpoint(),
        ...(errorText === undefined ? {} : { detail: errorText }),
        ...(requestId === undefined ? {} : { requestId }),
      });
      if (error === null) subscriber.complete();
      else subscriber.error(scrubError(error, secrets));
    };

    socket.addEventListener('open', onOpen);
    socket.addEventListener('message', onMessage);
    socket.addEventListener('error', onError);
    socket.addEventListener('close', onClose);

    return () => {
      socket.removeEventListener('open', onOpen);
      socket.removeEventListener('message', onMessage);
      socket.removeEventListener('error', onError);
      socket.removeEventListener('close', onClose);
      if (socket.readyState === CONNECTING || socket.readyState === OPEN) {
        try {
          socket.close(1000);
        } catch {
          // Closing is best effort: the socket is unreachable from here on.
        }
      }
    };
  });
}
