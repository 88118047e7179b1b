import { probeWebSocket } from '../../src/cli/probeWebSocket';
import { CLOSE_STREAM, KEEP_ALIVE } from '../../src/protocol/frames';
import type { WebSocketFactory, WebSocketLike } from '../../src/socket/webSocketLike';

function fakeFactory(log: string[]): { factory: WebSocketFactory; made: WebSocketLike[] } {
  const made: WebSocketLike[] = [];
  const factory: WebSocketFactory = () => {
    const socket = {
      binaryType: 'arraybuffer',
      readyState: 1,
      bufferedAmount: 0,
      protocol: '',
      send: (data: string | ArrayBufferView) =>
        log.push(typeof data === 'string' ? `send ${data}` : `send ${data.byteLength} bytes`),
      close: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
    } satisfies WebSocketLike;
    made.push(socket);
    return socket;
  };
  return { factory, made };
}

describe('probeWebSocket', () => {
  test('reports each KeepAlive on its socket before sending it unchanged', () => {
    const log: string[] = [];
    const { factory } = fakeFactory(log);
    const socket = probeWebSocket(factory, { onKeepAlive: (i) => log.push(`keepalive on ${i}`) })({
      url: 'ws://x/v1/listen',
    });
    socket.send(KEEP_ALIVE);
    expect(log).toEqual(['keepalive on 0', `send ${KEEP_ALIVE}`]);
  });

  test('reports audio frames with the chunk itself, and ignores other text frames', () => {
    const log: string[] = [];
    const chunks: Uint8Array[] = [];
    const { factory } = fakeFactory(log);
    const socket = probeWebSocket(factory, {
      onAudio: (chunk) => chunks.push(chunk),
      onKeepAlive: () => log.push('keepalive'),
    })({ url: 'ws://x/v1/listen' });
    const chunk = new Uint8Array(320);
    socket.send(chunk);
    socket.send(CLOSE_STREAM);
    expect(chunks).toEqual([chunk]);
    expect(chunks[0]).toBe(chunk);
    expect(log).toEqual(['send 320 bytes', `send ${CLOSE_STREAM}`]);
  });

  test('numbers the sockets in the order they are made and reports each connection', () => {
    const log: string[] = [];
    const { factory } = fakeFactory(log);
    const probed = probeWebSocket(factory, {
      onConnect: (i) => log.push(`connect ${i}`),
      onKeepAlive: (i) => log.push(`keepalive on ${i}`),
    });
    const first = probed({ url: 'ws://x/v1/listen' });
    const second = probed({ url: 'ws://x/v1/listen' });
    second.send(KEEP_ALIVE);
    first.send(KEEP_ALIVE);
    expect(log.filter((line) => !line.startsWith('send'))).toEqual([
      'connect 0',
      'connect 1',
      'keepalive on 1',
      'keepalive on 0',
    ]);
  });

  test("hides the socket's send target, so that transcribe sends audio through the probed send", () => {
    const log: string[] = [];
    const chunks: Uint8Array[] = [];
    const factory: WebSocketFactory = (request) => {
      const socket = fakeFactory(log).factory(request);
      return Object.assign(socket, {
        sendTarget: { readyState: 1, bufferedAmount: 0, send: () => log.push('target') },
      });
    };
    const socket = probeWebSocket(factory, { onAudio: (chunk) => chunks.push(chunk) })({
      url: 'ws://x/v1/listen',
    });
    expect(socket.sendTarget).toBeUndefined();
    socket.send(new Uint8Array(320));
    expect(chunks).toHaveLength(1);
    expect(log).toEqual(['send 320 bytes']);
  });

  test("returns the inner factory's own socket, so its other properties are untouched", () => {
    const { factory, made } = fakeFactory([]);
    const socket = probeWebSocket(factory, {})({ url: 'ws://x/v1/listen' });
    expect(socket).toBe(made[0]);
  });
});
