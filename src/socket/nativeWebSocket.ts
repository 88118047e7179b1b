/**
 * The default transport: the platform's own `WebSocket` (browsers, Deno, Bun, Node ≥ 22).
 */
import { authSubprotocols, type WebSocketFactory, type WebSocketLike } from './webSocketLike';

/** A `WebSocket` constructor as in the standard: `new WebSocket(url, protocols?)`. */
export type WebSocketConstructorLike = new (url: string, protocols?: string | string[]) => WebSocketLike;

/**
 * A {@link WebSocketFactory} over a standard `WebSocket` constructor (default: `globalThis.WebSocket`,
 * looked up when a connection is made). Such sockets cannot set headers, so credentials travel as
 * the subprotocols `['token', KEY]` or `['bearer', JWT]`. Browsers hide the HTTP status of a refused
 * handshake: an invalid key surfaces as a `network` LiveError (close 1006), not `auth`.
 *
 * @param webSocket - the constructor to use; default `globalThis.WebSocket`
 * @throws Error when the connection is made and there is no `WebSocket` (Node 20: use
 *   `nodeWebSocket()` from `'deepgram-rx/node'`)
 * @example
 * ```ts
 * import { liveSocket, nativeWebSocket } from 'deepgram-rx';
 * liveSocket({ url, credentials: { scheme: 'bearer', secret: jwt }, webSocket: nativeWebSocket() });
 * ```
 */
export function nativeWebSocket(webSocket?: WebSocketConstructorLike): WebSocketFactory {
  return (request) => {
    const Ctor = webSocket ?? (globalThis as { WebSocket?: WebSocketConstructorLike }).WebSocket;
    if (Ctor === undefined) {
      throw new Error(
        "no global WebSocket in this environment: pass `webSocket: nodeWebSocket()` from 'deepgram-rx/node' (Node loads it by default; a bundle for Node may have picked the browser entry)",
      );
    }
    return request.credentials === undefined
      ? new Ctor(request.url)
      : new Ctor(request.url, authSubprotocols(request.credentials));
  };
}
