/**
 * The transport `transcribe` and `liveSocket` use when given none: the native `WebSocket`, or in
 * Node the `ws` transport that the package's `node` entry registers (see src/index.node.ts).
 * Isomorphic: it imports nothing of Node.
 */
import { nativeWebSocket } from './nativeWebSocket';
import type { WebSocketFactory } from './webSocketLike';

let registered: (() => WebSocketFactory) | undefined;

/** The default transport: the registered one (Node), else {@link nativeWebSocket}. */
export function defaultWebSocket(): WebSocketFactory {
  return registered?.() ?? nativeWebSocket();
}

/** Makes `factory()` the default transport (internal: called once by the Node entry point). */
export function registerDefaultWebSocket(factory: () => WebSocketFactory): void {
  registered = factory;
}
