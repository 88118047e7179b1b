/**
 * withKeepAlive on a real `ws` socket pair on loopback, with real timers: every Frame goes out with
 * `client.send(frame)`, and the server sees KeepAlive as a text frame and audio as binary frames.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { concat, lastValueFrom, map, of, tap, timer } from 'rxjs';
import WebSocket, { WebSocketServer } from 'ws';
import { KEEP_ALIVE } from '../../src/protocol/frames';
import { withKeepAlive } from '../../src/operators/withKeepAlive';

interface Received {
  isBinary: boolean;
  data: Buffer;
}

let server: WebSocketServer | undefined;
let client: WebSocket | undefined;

afterEach(async () => {
  client?.terminate();
  for (const peer of server?.clients ?? []) peer.terminate();
  if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
  client = undefined;
  server = undefined;
});

it('sends KeepAlive as a text frame during a pause and audio as binary frames with identical bytes', async () => {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  const received: Received[] = [];
  const threeFrames = new Promise<void>((resolve) => {
    server!.on('connection', (peer) => {
      peer.on('message', (data: Buffer, isBinary: boolean) => {
        received.push({ isBinary, data: Buffer.from(data) });
        if (received.length === 3) resolve();
      });
    });
  });

  const { port } = server.address() as AddressInfo;
  client = new WebSocket(`ws://127.0.0.1:${port}`);
  await once(client, 'open');
  const socket = client;

  const first = Uint8Array.of(0, 1, 2, 3, 250, 251, 252, 253);
  const second = Uint8Array.of(9, 8, 7, 6, 5);
  // First chunk, a 250 ms pause, second chunk: one KeepAlive at ~100 ms, the next would be at ~1100 ms.
  const audio$ = concat(of(first), timer(250).pipe(map(() => second)));

  await lastValueFrom(
    audio$.pipe(
      withKeepAlive({ idleMs: 100, intervalMs: 1000 }),
      tap((frame) => socket.send(frame)),
    ),
  );
  await threeFrames;

  expect(received.map((frame) => frame.isBinary)).toEqual([true, false, true]);
  expect(received[0]!.data.equals(Buffer.from(first))).toBe(true);
  expect(received[1]!.data.toString('utf8')).toBe('{"type":"KeepAlive"}');
  expect(received[1]!.data.toString('utf8')).toBe(KEEP_ALIVE);
  expect(received[2]!.data.equals(Buffer.from(second))).toBe(true);
});
