/**
 * Fault injection: closes, drops, stalls, malformed frames and refused handshakes.
 */
import { connect as tcpConnect, type Socket } from 'node:net';
import * as E from 'fp-ts/lib/Either.js';
import { decodeServerMessage } from '../../src/protocol/decode';
import { NET0000_REASON, startEmulator, type Emulator, type EmulatorConfig } from '../../src/server';
import { handshake, linear16Silence, sleep, TestClient } from './support';

const PCM = 'encoding=linear16&sample_rate=16000';
const IDLE_MS = 300;

const emulators: Emulator[] = [];
const clients: TestClient[] = [];

async function start(config: EmulatorConfig): Promise<Emulator> {
  const emulator = await startEmulator({ idleTimeoutMs: IDLE_MS, ...config });
  emulators.push(emulator);
  return emulator;
}

async function connect(emulator: Emulator, allowMalformed = false): Promise<TestClient> {
  const client = await TestClient.connect(`${emulator.url}?${PCM}`, { allowMalformed });
  clients.push(client);
  return client;
}

async function syncEcho(client: TestClient, id: number, timeoutMs = 2000): Promise<void> {
  client.send(JSON.stringify({ type: 'Sync', id }));
  await client.waitUntil(
    (ms) => ms.some((m) => m.type === 'Sync' && m['id'] === id),
    timeoutMs,
    `Sync ${id}`,
  );
}

/** One masked client frame (RFC 6455) with an all-zero masking key, for payloads up to 65535 bytes. */
function clientFrame(opcode: number, payload: Uint8Array): Buffer {
  const length =
    payload.length < 126 ? [payload.length | 0x80] : [126 | 0x80, payload.length >> 8, payload.length & 0xff];
  return Buffer.concat([Buffer.from([0x80 | opcode, ...length, 0, 0, 0, 0]), payload]);
}

/**
 * A WebSocket client written by hand on a TCP socket, so that several frames can go out in one
 * write: resolves once the 101 is in, with every byte the server sends after it collected.
 */
function rawClient(url: string): Promise<{ socket: Socket; received: Buffer[]; ended: () => boolean }> {
  const { hostname, port, pathname, search } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(Number(port), hostname);
    const received: Buffer[] = [];
    let ended = false;
    let head = Buffer.alloc(0);
    socket.on('error', () => undefined);
    socket.on('close', () => (ended = true));
    socket.write(
      `GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\n` +
        'Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      if (!head.subarray(0, end).toString('latin1').startsWith('HTTP/1.1 101')) {
        reject(new Error(`handshake refused: ${head.subarray(0, end).toString('latin1')}`));
        return;
      }
      if (head.length > end + 4) received.push(head.subarray(end + 4));
      socket.on('data', (data: Buffer) => received.push(data));
      resolve({ socket, received, ended: () => ended });
    };
    socket.on('data', onData);
  });
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});

describe('session faults', () => {
  test('close after N audio bytes sends that close code and reason once the frame reaching N is processed', async () => {
    const emulator = await start({
      faults: { kind: 'close', code: 4000, reason: 'test close', afterAudioBytes: 3200 },
    });
    const client = await connect(emulator);
    client.send(linear16Silence(0.05));
    await syncEcho(client, 1);
    client.send(linear16Silence(0.05));
    expect(await client.closed).toEqual({ code: 4000, reason: 'test close' });
    const session = await emulator.waitForClose();
    expect(session).toMatchObject({
      audioBytes: 3200,
      closeCode: 4000,
      faultsFired: ['close'],
      closedBy: 'server',
    });
  });

  test('close at a time can send the Metadata first, like a NET-0000 close', async () => {
    const emulator = await start({
      faults: { kind: 'close', code: 1011, reason: NET0000_REASON, metadata: true, atMs: 50 },
    });
    const client = await connect(emulator);
    expect(await client.closed).toEqual({ code: 1011, reason: NET0000_REASON });
    expect(client.messages.map((m) => m.type)).toEqual(['Metadata']);
  });

  test('drop after N bytes ends the TCP connection without a close frame (the client sees 1006)', async () => {
    const emulator = await start({ faults: { kind: 'drop', afterAudioBytes: 1 } });
    const client = await connect(emulator);
    client.send(linear16Silence(0.01));
    expect((await client.closed).code).toBe(1006);
    const session = await emulator.waitForClose();
    expect(session).toMatchObject({ closeCode: 1006, closedBy: 'server', faultsFired: ['drop'] });
  });

  test('drop at a time ends the connection without any frame', async () => {
    const emulator = await start({ faults: { kind: 'drop', atMs: 30 } });
    const client = await connect(emulator);
    expect((await client.closed).code).toBe(1006);
    expect(client.texts).toEqual([]);
  });

  test('the first trigger to happen fires a fault with both triggers, once', async () => {
    const emulator = await start({ faults: { kind: 'close', code: 4001, afterAudioBytes: 100, atMs: 5000 } });
    const client = await connect(emulator);
    client.send(linear16Silence(0.01));
    expect((await client.closed).code).toBe(4001);
    expect((await emulator.waitForClose()).faultsFired).toEqual(['close']);
  });

  test('stall keeps the connection open but answers nothing and never times out', async () => {
    const emulator = await start({ faults: { kind: 'stall', afterAudioBytes: 3200 } });
    const client = await connect(emulator);
    client.send(linear16Silence(0.1));
    client.send('{"type":"Sync","id":1}');
    client.send('{"type":"CloseStream"}');
    await sleep(IDLE_MS * 2);
    expect(client.closedAt).toBeUndefined();
    expect(client.texts).toEqual([]);
    const session = emulator.sessions()[0]!;
    expect(session).toMatchObject({
      state: 'open',
      audioBytes: 3200,
      syncs: 0,
      closeStreams: 0,
      faultsFired: ['stall'],
    });
  });

  test('a stalled connection does not answer the client close frame either', async () => {
    const emulator = await start({ faults: { kind: 'stall' } });
    const client = await connect(emulator);
    client.ws.close(1000);
    await sleep(IDLE_MS);
    expect(client.closedAt).toBeUndefined();
    expect(emulator.sessions()[0]!.state).toBe('open');
  });

  test('a stalled connection answers nothing read in the same chunk as the audio that stalled it', async () => {
    const emulator = await start({ faults: { kind: 'stall', afterAudioBytes: 3200 } });
    const { socket, received, ended } = await rawClient(`${emulator.url}?${PCM}`);
    const sync = new TextEncoder().encode('{"type":"Sync","id":1}');
    socket.write(
      Buffer.concat([
        clientFrame(0x2, linear16Silence(0.1)),
        clientFrame(0x1, sync),
        clientFrame(0x9, new Uint8Array(0)),
        clientFrame(0x8, Uint8Array.of(0x03, 0xe8)),
      ]),
    );
    socket.end();
    await sleep(IDLE_MS * 2);
    expect(Buffer.concat(received)).toEqual(Buffer.alloc(0));
    expect(ended()).toBe(false);
    expect(emulator.sessions()[0]).toMatchObject({ state: 'open', audioBytes: 3200, syncs: 0 });
    socket.destroy();
  });

  test('a malformed non-JSON frame is sent after N bytes and the session goes on', async () => {
    const emulator = await start({
      faults: { kind: 'malformed', payload: 'not-json', afterAudioBytes: 3200 },
    });
    const client = await connect(emulator, true);
    client.send(linear16Silence(0.1));
    await syncEcho(client, 2);
    expect(client.texts).toHaveLength(2);
    expect(E.isLeft(decodeServerMessage(client.texts[0]!))).toBe(true);
    expect(() => JSON.parse(client.texts[0]!) as unknown).toThrow(SyntaxError);
    expect(emulator.sessions()[0]!.faultsFired).toEqual(['malformed']);
  });

  test('a malformed frame with wrong field types does not decode as Results', async () => {
    const emulator = await start({ faults: { kind: 'malformed', payload: 'wrong-types' } });
    const client = await connect(emulator, true);
    await syncEcho(client, 3);
    const decoded = decodeServerMessage(client.texts[0]!);
    expect(E.isLeft(decoded)).toBe(true);
    expect(JSON.parse(client.texts[0]!)).toMatchObject({ type: 'Results' });
  });

  test('a malformed frame can carry any given text', async () => {
    const emulator = await start({ faults: { kind: 'malformed', payload: { text: 'hello' }, atMs: 10 } });
    const client = await connect(emulator, true);
    await client.waitUntil(() => client.texts.includes('hello'), 2000, 'the malformed frame');
    expect(client.texts).toEqual(['hello']);
  });

  test('several faults of one plan fire in trigger order', async () => {
    const emulator = await start({
      faults: [
        { kind: 'malformed', payload: { text: 'first' }, afterAudioBytes: 100 },
        { kind: 'close', code: 4002, afterAudioBytes: 3200 },
      ],
    });
    const client = await connect(emulator, true);
    client.send(linear16Silence(0.05));
    client.send(linear16Silence(0.05));
    expect((await client.closed).code).toBe(4002);
    expect(client.texts[0]).toBe('first');
    expect((await emulator.waitForClose()).faultsFired).toEqual(['malformed', 'close']);
  });

  test('a fault function chooses faults per session, here only for the first connection', async () => {
    const emulator = await start({
      faults: ({ index }) => (index === 0 ? { kind: 'drop', atMs: 0 } : undefined),
    });
    const first = await connect(emulator);
    expect((await first.closed).code).toBe(1006);
    const second = await connect(emulator);
    await syncEcho(second, 4);
    expect(emulator.sessions().map((s) => s.faultsFired)).toEqual([['drop'], []]);
  });

  test('setFaults changes the faults of connections opened afterwards', async () => {
    const emulator = await start({});
    const before = await connect(emulator);
    emulator.setFaults({ kind: 'close', code: 4003, atMs: 0 });
    const after = await connect(emulator);
    expect((await after.closed).code).toBe(4003);
    await syncEcho(before, 5);
    emulator.setFaults(undefined);
    const cleared = await connect(emulator);
    await syncEcho(cleared, 6);
  });

  test.each([
    ['a close code a server cannot send', { kind: 'close', code: 1006 }],
    ['a close reason over 123 bytes', { kind: 'close', code: 4000, reason: 'x'.repeat(124) }],
    ['a negative byte trigger', { kind: 'drop', afterAudioBytes: -1 }],
    ['a non-finite time trigger', { kind: 'drop', atMs: Infinity }],
    [
      'a time trigger longer than Node’s longest timer (it would fire after 1 ms)',
      { kind: 'drop', atMs: 2 ** 31 },
    ],
  ] as const)('%s is refused with a RangeError', async (_what, fault) => {
    await expect(startEmulator({ faults: fault })).rejects.toThrow(RangeError);
    const emulator = await start({});
    expect(() => emulator.setFaults(fault)).toThrow(RangeError);
  });

  test('an invalid plan from a fault function refuses that handshake with 500', async () => {
    const emulator = await start({ faults: () => ({ kind: 'close', code: 1005 }) });
    const result = await handshake(emulator.url);
    expect(result.status).toBe(500);
    expect(JSON.parse(result.body)).toMatchObject({ err_code: 'INTERNAL_SERVER_ERROR' });
  });
});

describe('refused handshakes', () => {
  test('429 with Retry-After for the next K handshakes, then upgrades again', async () => {
    const emulator = await start({ refuseHandshakes: { status: 429, count: 2, retryAfter: 3 } });
    const first = await handshake(emulator.url);
    const second = await handshake(emulator.url);
    const third = await handshake(emulator.url);
    expect([first.status, second.status, third.status]).toEqual([429, 429, 101]);
    expect(first.headers['retry-after']).toBe('3');
    expect(first.headers['dg-request-id']).toBeDefined();
    expect(first.headers['dg-error']).toBe('Too many requests. Please try again later');
    expect(JSON.parse(first.body)).toMatchObject({ err_code: 'TOO_MANY_REQUESTS' });
    expect(emulator.handshakes().map((h) => h.status)).toEqual([429, 429, 101]);
  });

  test('503 for every handshake until refusals are turned off', async () => {
    const emulator = await start({});
    emulator.refuseHandshakes({ status: 503 });
    for (let i = 0; i < 3; i++) expect((await handshake(emulator.url)).status).toBe(503);
    emulator.refuseHandshakes(undefined);
    expect((await handshake(emulator.url)).status).toBe(101);
  });

  test('401 refusals answer like Deepgram, whatever the credentials', async () => {
    const emulator = await start({ refuseHandshakes: { status: 401, count: 1 } });
    const result = await handshake(emulator.url, { headers: { Authorization: 'Token anything' } });
    expect(result.status).toBe(401);
    expect(JSON.parse(result.body)).toMatchObject({
      err_code: 'INVALID_AUTH',
      err_msg: 'Invalid credentials.',
    });
  });

  test('a refusal can carry its own err_code and err_msg', async () => {
    const emulator = await start({
      refuseHandshakes: { status: 402, errCode: 'ASR_PAYMENT_REQUIRED', errMsg: 'No credits.' },
    });
    const result = await handshake(emulator.url);
    expect(result.status).toBe(402);
    expect(result.headers['dg-error']).toBe('No credits.');
  });

  test('a refusal status outside 400–599 is refused with a RangeError', async () => {
    const emulator = await start({});
    expect(() => emulator.refuseHandshakes({ status: 200 })).toThrow(RangeError);
    await expect(startEmulator({ refuseHandshakes: { status: 301 } })).rejects.toThrow(RangeError);
  });
});
