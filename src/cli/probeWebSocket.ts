/**
 * A WebSocketFactory wrapper that watches what the client sends: the CLI learns when each
 * KeepAlive goes out (the session API reports only a count, in `Usage`) and where each connection's
 * audio starts. It changes nothing on the wire.
 */
import { KEEP_ALIVE } from '../protocol/frames';
import type { WebSocketFactory, WebSocketLike } from '../socket/webSocketLike';

/** What {@link probeWebSocket} reports. Every hook is called synchronously, before the frame is sent. */
export interface SendProbe {
  /** A socket was created (a connection attempt); `index` counts from 0. */
  onConnect?(index: number): void;
  /** A KeepAlive text frame is being sent on socket `index`. */
  onKeepAlive?(index: number): void;
  /** A binary (audio) frame is being sent on socket `index`. */
  onAudio?(chunk: Uint8Array, index: number): void;
}

/**
 * Wraps a factory so every socket it makes reports its outgoing frames to `probe`. The socket is
 * the inner factory's own object, with its `send` method wrapped and its `sendTarget` hidden (so
 * that audio goes through that `send` too): every other property (`readyState`,
 * `upgradeResponse`, listeners) is untouched.
 *
 * @param inner - the real transport (e.g. `nodeWebSocket()`)
 * @param probe - the hooks
 */
export function probeWebSocket(inner: WebSocketFactory, probe: SendProbe): WebSocketFactory {
  let sockets = 0;
  return (request) => {
    const index = sockets++;
    probe.onConnect?.(index);
    const socket: WebSocketLike = inner(request);
    const send = socket.send.bind(socket);
    socket.send = (data: string | ArrayBufferView): void => {
      if (data === KEEP_ALIVE) probe.onKeepAlive?.(index);
      else if (data instanceof Uint8Array) probe.onAudio?.(data, index);
      send(data);
    };
    // Audio would otherwise go to the socket's send target (the ws socket), past the wrapped send.
    Object.defineProperty(socket, 'sendTarget', { value: undefined, configurable: true });
    return socket;
  };
}
