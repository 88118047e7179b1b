/**
 * The heartbeat (nodeWebSocket({ heartbeatMs })) against real ws servers on loopback.
 */
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { nodeWebSocket } from '../../src/socket/nodeWebSocket';
import { NodeWebSocketAdapter } from '../../src/socket/nodeWebSocketAdapter';
import { liveSocket } from '../../src/socket/liveSocket';
import { accept, KEY, rawServer, sleep, type RawServer } from './rawServer';

let srv: RawServer;
const made: NodeWebSocketAdapter[] = [];
afterEach(async () => {
  for (const s of made.splice(0)) s.ws.terminate();
  await srv?.close();
});

function open(heartbeatMs: number): Promise<NodeWebSocketAdapter> {
  const s = nodeWebSocket({ heartbeatMs })({ url: srv.url, credentials: { scheme: 'token', secret: KEY } });
  made.push(s as NodeWebSocketAdapter);
  return new Promise((resolve, reject) => {
    s.addEventListener('open', () => resolve(s as NodeWebSocketAdapter));
    s.addEventListener('close', (e) => reject(new Error(`closed ${e.code}`)));
  });
}

describe('heartbeat', () => {
  it('detects a dead (silent, not reading) server: terminates with 1006', async () => {
    let raw: Socket | undefined;
    srv = await rawServer((req, socket, head, s) => {
      raw = socket;
      void accept(s, req, socket, head).then(() => socket.pause());
    });
    const socket = await open(100);
    const started = Date.now();
    const code = await new Promise<number>((r) => socket.addEventListener('close', (e) => r(e.code)));
    expect(code).toBe(1006);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(raw).toBeDefined();
  });

  it('does not kill a live connection whose server keeps sending results while the uplink is congested', async () => {
    // The server is alive and talking (a Results-like message every 50 ms), but it reads the
    // client's bytes slowly (a slow uplink): the client's pings wait behind queued audio.
    let serverWs: WebSocket | undefined;
    let raw: Socket | undefined;
    srv = await rawServer((req, socket, head, s) => {
      raw = socket;
      void accept(s, req, socket, head).then((ws) => {
        serverWs = ws;
        socket.pause(); // slow uplink: not reading for now
      });
    });
    const socket = await open(200);
    const received: unknown[] = [];
    socket.addEventListener('message', (e) => received.push(e.data));
    const tick = setInterval(() => serverWs?.send('{"type":"Results"}'), 50);
    // Queue 16 MiB of audio: far more than the kernel buffers take.
    const chunk = new Uint8Array(64 * 1024);
    for (let i = 0; i < 256; i++) socket.ws.send(chunk);
    let closedCode: number | undefined;
    let messagesBeforeClose = 0;
    let closedAfterMs = 0;
    const t0 = Date.now();
    socket.addEventListener('close', (e) => {
      closedCode = e.code;
      messagesBeforeClose = received.length;
      closedAfterMs = Date.now() - t0;
    });
    await sleep(1000);
    clearInterval(tick);
    raw?.resume();
    expect({ closedCode, closedAfterMs, messagesBeforeClose }).toEqual({
      closedCode: undefined,
      closedAfterMs: 0,
      messagesBeforeClose: 0,
    });
  });

  it('leaves no heartbeat timer after unsubscribing from an open connection (server alive)', async () => {
    srv = await rawServer((req, socket, head, s) => void accept(s, req, socket, head));
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const sub = liveSocket({
      url: srv.url,
      credentials: { scheme: 'token', secret: KEY },
      webSocket: nodeWebSocket({ heartbeatMs: 50 }),
    }).subscribe({ error: () => undefined });
    await sleep(200);
    sub.unsubscribe();
    await sleep(300);
    const after = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    expect(after).toBeLessThanOrEqual(before);
  });
});
