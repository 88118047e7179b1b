/**
 * Starting and stopping the emulator, its events and record keeping.
 */
import { connect } from 'node:net';
import WebSocket from 'ws';
import { startEmulator, type EmulatorSession, type HandshakeRecord } from '../../src/server';
import { handshake, linear16Silence, TestClient } from './support';

const PCM = 'encoding=linear16&sample_rate=16000';

test('close() with idle, streaming and stalled clients resolves and the clients see 1006', async () => {
  const emulator = await startEmulator({
    faults: ({ index }) => (index === 2 ? { kind: 'stall' } : undefined),
  });
  const open = await TestClient.connect(`${emulator.url}?${PCM}`);
  const busy = await TestClient.connect(`${emulator.url}?${PCM}`);
  const stalled = await TestClient.connect(`${emulator.url}?${PCM}`);
  busy.send(linear16Silence(0.5));
  await emulator.close();
  const closes = await Promise.all([open.closed, busy.closed, stalled.closed]);
  expect(closes.map((c) => c.code)).toEqual([1006, 1006, 1006]);
  expect(emulator.sessions().map((s) => [s.state, s.closeCode, s.closedBy])).toEqual([
    ['closed', 1006, 'server'],
    ['closed', 1006, 'server'],
    ['closed', 1006, 'server'],
  ]);
});

test('close() settles the waits in progress at once: a session it closes resolves, nextSession() rejects', async () => {
  const emulator = await startEmulator();
  const client = await TestClient.connect(`${emulator.url}?${PCM}`);
  const closing = emulator.waitForClose({ timeoutMs: 60_000 });
  const next = emulator.nextSession({ timeoutMs: 60_000 });
  const settled = Promise.allSettled([closing, next]);
  await emulator.close();
  // Within jest's 5 s test timeout, where the waits' own timers are 60 s.
  expect(await settled).toEqual([
    { status: 'fulfilled', value: expect.objectContaining({ state: 'closed', closeCode: 1006 }) as unknown },
    { status: 'rejected', reason: new Error('emulator: closed while waiting for the next session') },
  ]);
  await expect(emulator.nextSession()).rejects.toThrow('emulator: closed, not waiting for the next session');
  await client.closed;
});

test.each([
  ['a refused (401) handshake', `/v1/listen?${PCM}`, 401],
  ['the 400 for a target that is not a URL (//[)', '//[', 400],
])('close() resolves while a client keeps its side of %s open', async (_name, target, status) => {
  const emulator = await startEmulator({ apiKey: 'test-key-123' });
  const socket = connect({ port: emulator.port, host: '127.0.0.1', allowHalfOpen: true });
  socket.on('error', () => undefined);
  const answer = new Promise<string>((resolve) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (data: string) => (text += data));
    socket.on('end', () => resolve(text)); // the emulator ended its side; this client does not
  });
  socket.write(
    `GET ${target} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
  );
  expect((await answer).slice(0, 12)).toBe(`HTTP/1.1 ${status}`);
  // It used to wait for this client to close its side.
  const outcome = await Promise.race([
    emulator.close().then(() => 'closed'),
    new Promise((resolve) => setTimeout(resolve, 2000, 'still waiting for the client')),
  ]);
  socket.destroy();
  expect(outcome).toBe('closed');
});

test('close() is idempotent and the port is released', async () => {
  const emulator = await startEmulator();
  await Promise.all([emulator.close(), emulator.close()]);
  await emulator.close();
  await expect(
    new Promise((resolve, reject) => {
      const ws = new WebSocket(emulator.url);
      ws.on('open', resolve);
      ws.on('error', reject);
    }),
  ).rejects.toThrow(/ECONNREFUSED/);
});

test('events report handshakes, opens and closes with snapshots', async () => {
  const emulator = await startEmulator();
  const seen: string[] = [];
  emulator.events.on('handshake', (h: HandshakeRecord) => seen.push(`handshake ${h.status}`));
  emulator.events.on('open', (s: EmulatorSession) => seen.push(`open ${s.state}`));
  emulator.events.on('close', (s: EmulatorSession) => seen.push(`close ${s.state} ${s.closeCode ?? ''}`));
  try {
    await handshake(`${emulator.url}?encoding=bad`);
    const client = await TestClient.connect(`${emulator.url}?${PCM}`);
    client.send('{"type":"CloseStream"}');
    await client.closed;
    await emulator.waitForClose();
    expect(seen).toEqual(['handshake 400', 'handshake 101', 'open open', 'close closed 1000']);
  } finally {
    await emulator.close();
  }
});

test('sessions() returns snapshots that later frames do not change', async () => {
  const emulator = await startEmulator();
  try {
    const client = await TestClient.connect(`${emulator.url}?${PCM}`);
    const before = emulator.sessions()[0]!;
    client.send(linear16Silence(0.1));
    client.send('{"type":"CloseStream"}');
    await client.closed;
    const after = await emulator.waitForClose();
    expect(before.audioBytes).toBe(0);
    expect(after.audioBytes).toBe(3200);
  } finally {
    await emulator.close();
  }
});

test('clearRecords() forgets closed sessions and handshakes but keeps open sessions', async () => {
  const emulator = await startEmulator();
  try {
    const done = await TestClient.connect(`${emulator.url}?${PCM}`);
    done.send('{"type":"CloseStream"}');
    await done.closed;
    await emulator.waitForClose();
    const live = await TestClient.connect(`${emulator.url}?${PCM}`);
    emulator.clearRecords();
    expect(emulator.sessions().map((s) => s.state)).toEqual(['open']);
    expect(emulator.handshakes()).toEqual([]);
    await live.dispose();
  } finally {
    await emulator.close();
  }
});

test('waitForClose without a request id waits for the next session when none has opened yet', async () => {
  const emulator = await startEmulator();
  try {
    const closed = emulator.waitForClose({ timeoutMs: 5000 });
    const client = await TestClient.connect(`${emulator.url}?${PCM}`);
    client.send('{"type":"CloseStream"}');
    expect((await closed).closeCode).toBe(1000);
  } finally {
    await emulator.close();
  }
});

test('a text frame that is not UTF-8 is closed by the server (ws answers 1007), and the record says so', async () => {
  const emulator = await startEmulator();
  const client = await TestClient.connect(`${emulator.url}?${PCM}`);
  try {
    client.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    const seen = await client.closed;
    const session = await emulator.waitForClose();
    expect([seen.code, session.closedBy, session.closeCode]).toEqual([1007, 'server', 1007]);
  } finally {
    await client.dispose();
    await emulator.close();
  }
});
