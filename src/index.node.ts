/**
 * `deepgram-rx` as Node loads it (the package's `node` export condition): the isomorphic API of
 * src/index.ts, with `ws` (`nodeWebSocket()`) as the default transport of `transcribe` and
 * `liveSocket`, since Node 20 has no global `WebSocket`. Browsers and bundlers for them load
 * src/index.ts, which never reaches `ws`.
 */
import { registerDefaultWebSocket } from './socket/defaultWebSocket';
import { nodeWebSocket } from './socket/nodeWebSocket';

registerDefaultWebSocket(() => nodeWebSocket());

// The public surface is src/index.ts's explicit list; this entry adds nothing to it.
export * from './index';
