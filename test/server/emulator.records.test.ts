/**
 * The emulator's fault plans and records as a tool for testing clients: invalid plans refused at
 * once, records that are snapshots, clearRecords keeping sessions not yet closed, wait deadlines.
 */
import { connect as netConnect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { startEmulator } from '../../src/server/emulator';
import type { Emulator } from '../../src/server/emulatorTypes';

jest.setTimeout(15000);

let emulator: Emulator | undefined;
const clients: WebSocket[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.terminate();
  for (const s of sockets.splice(0)) s.destroy();
  await emulator?.close();
  emulator = undefined;
});

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    clients.push(ws);
    ws.on('error', () => undefined);
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', () => reject(new Error('refused')));
  });
}

/** A raw TCP client that upgrades and then never answers anything (keeps the server 'closing'). */
function rawUpgrade(port: number, query = ''): Promise<Socket> {
  return new Promise((resolve) => {
    const s = netConnect(port, '127.0.0.1', () => {
      s.write(
        `GET /v1/listen${query} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    sockets.push(s);
    s.on('error', () => undefined);
    s.once('data', () => resolve(s));
  });
}

test('an unknown fault kind rejects startEmulator with a RangeError (a typo must not do nothing)', async () => {
  await expect(startEmulator({ faults: { kind: 'closee', code: 1011 } as never })).rejects.toThrow(
    RangeError,
  );
});

test('setFaults refuses an unknown fault kind and a malformed payload it cannot send', async () => {
  emulator = await startEmulator();
  const own = emulator;
  expect(() => own.setFaults({ kind: 'dropp' } as never)).toThrow(RangeError);
  expect(() => own.setFaults({ kind: 'malformed', payload: 'garbage' } as never)).toThrow(RangeError);
});

test('clearRecords keeps a session that is still closing (only closed ones are forgotten)', async () => {
  emulator = await startEmulator({ faults: { kind: 'close', code: 4000, reason: 'x' } });
  await rawUpgrade(emulator.port);
  const before = emulator.sessions();
  expect(before).toHaveLength(1);
  expect(before[0]!.state).toBe('closing');
  emulator.clearRecords();
  expect(emulator.sessions()).toHaveLength(1);
});

test('handshakes() gives snapshots: changing one does not change the records', async () => {
  emulator = await startEmulator();
  await open(`${emulator.url}?model=nova-2`);
  const h = emulator.handshakes().find((r) => r.status === 101)!;
  (h.query as Record<string, unknown>).model = 'hacked';
  expect(emulator.handshakes().find((r) => r.status === 101)!.query.model).toBe('nova-2');
  expect(emulator.sessions()[0]!.query.model).toBe('nova-2');
});

test('sessions() gives snapshots down to the arrays of repeated query keys', async () => {
  emulator = await startEmulator();
  await open(`${emulator.url}?keyterm=a&keyterm=b&model=nova-3`);
  const s = emulator.sessions()[0]!;
  (s.query.keyterm as string[]).push('injected');
  expect(emulator.sessions()[0]!.query.keyterm).toEqual(['a', 'b']);
});

test('waitForClose() before any session rejects after timeoutMs in all, not twice that', async () => {
  emulator = await startEmulator({ idleTimeoutMs: 100000 });
  const start = Date.now();
  const wait = emulator.waitForClose({ timeoutMs: 600 });
  const url = emulator.url;
  setTimeout(() => void open(url), 450);
  await expect(wait).rejects.toThrow();
  const elapsed = Date.now() - start;
  expect(elapsed).toBeLessThan(800);
});

test('a wait with a timeoutMs Node cannot time (Infinity) is refused with a RangeError, not fired after 1 ms', async () => {
  emulator = await startEmulator();
  await expect(emulator.nextSession({ timeoutMs: Infinity })).rejects.toThrow(RangeError);
});

test('refuseHandshakes refuses a retryAfter that is not whole seconds or a date', async () => {
  await expect(startEmulator({ refuseHandshakes: { status: 429, retryAfter: Number.NaN } })).rejects.toThrow(
    RangeError,
  );
  await expect(startEmulator({ refuseHandshakes: { status: 429, retryAfter: -1 } })).rejects.toThrow(
    RangeError,
  );
});
