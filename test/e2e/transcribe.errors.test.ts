/**
 * Every LiveError kind transcribe() reports, from the emulator's faults on loopback (real `ws`),
 * and the API key never showing in any event, message, stack or URL.
 */
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { concat, interval, map, NEVER, of, take } from 'rxjs';
import { LiveError } from '../../src/socket/liveError';
import { transcribe, type TranscribeConfig } from '../../src/session/transcribe';
import { nodeWebSocket } from '../../src/socket/nodeWebSocket';
import {
  closeEmulators,
  emulator,
  KEY,
  outcome,
  PCM,
  silence,
  visibleText,
  type Outcome,
} from '../session/emulatorSupport';

afterEach(closeEmulators);

/** Runs `audio$` through transcribe() and checks that the key shows nowhere in what came out. */
async function failing(
  config: TranscribeConfig,
  audio$ = concat(of(silence(100)), NEVER),
): Promise<{ result: Outcome; error: LiveError }> {
  const result = await outcome(
    // One connection: these tests are about how each failure is reported (retries: resilience tests).
    audio$.pipe(
      transcribe({ apiKey: KEY, options: PCM, webSocket: nodeWebSocket(), reconnect: false, ...config }),
    ),
  );
  expect(visibleText(result)).not.toContain(KEY);
  expect(result.error).toBeInstanceOf(LiveError);
  return { result, error: result.error as LiveError };
}

async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

it('errors with an auth LiveError (401 INVALID_AUTH) for a wrong key, and echoes neither key', async () => {
  const server = await emulator();
  const wrong = 'dg-e2e-wrong-key-0c4d2e9a11';
  const { result, error } = await failing({ url: server.url, apiKey: wrong });
  expect(error).toMatchObject({ kind: 'auth', status: 401, code: 'INVALID_AUTH' });
  expect(error.requestId).toEqual(expect.any(String));
  expect(visibleText(result)).not.toContain(wrong);
  expect(result.events).toEqual([]);
});

it('errors with a rate-limit LiveError carrying Retry-After for a 429', async () => {
  const server = await emulator({ refuseHandshakes: { status: 429, retryAfter: 1 } });
  const { error } = await failing({ url: server.url });
  expect(error).toMatchObject({
    kind: 'rate-limit',
    status: 429,
    code: 'TOO_MANY_REQUESTS',
    retryAfterMs: 1000,
  });
});

it('errors with an http LiveError for a 503', async () => {
  const server = await emulator({ refuseHandshakes: { status: 503 } });
  const { error } = await failing({ url: server.url });
  expect(error).toMatchObject({ kind: 'http', status: 503 });
});

it('errors with an http LiveError for a 400 the server refuses (keywords on Nova-3)', async () => {
  const server = await emulator();
  const { error } = await failing({
    url: server.url,
    options: { ...PCM, model: 'nova-3', keywords: ['deepgram'] },
  });
  expect(error).toMatchObject({ kind: 'http', status: 400, code: 'INVALID_QUERY_PARAMETER' });
  expect(error.message).toContain('Keywords are not supported for Nova-3');
});

it('errors with a timeout LiveError (1011 NET-0001) after a pause without KeepAlive', async () => {
  const server = await emulator({ idleTimeoutMs: 300 });
  const { result, error } = await failing({ url: server.url, keepAlive: false });
  expect(error).toMatchObject({ kind: 'timeout', code: 'NET-0001', closeCode: 1011 });
  expect(result.events.map((event) => event.type)).toEqual(['Open', 'Metadata']);
  expect((await server.waitForClose()).keepAlives).toBe(0);
});

it('errors with a bad-audio LiveError (1008 DATA-0000) for an encoding the server cannot decode', async () => {
  const server = await emulator();
  const { error } = await failing({ url: server.url, options: { encoding: 'opus', sample_rate: 48000 } });
  expect(error).toMatchObject({ kind: 'bad-audio', code: 'DATA-0000', closeCode: 1008 });
});

it('errors with a network LiveError (1006) when the connection drops mid-stream', async () => {
  const server = await emulator({ faults: { kind: 'drop', afterAudioBytes: 6400 } });
  const audio$ = interval(20).pipe(
    take(50),
    map(() => silence(100)),
  );
  const { result, error } = await failing({ url: server.url }, audio$);
  expect(error).toMatchObject({ kind: 'network', closeCode: 1006 });
  expect(result.events[0]).toMatchObject({ type: 'Open' });
});

it('errors with a protocol LiveError for a close code outside Deepgram’s table', async () => {
  const server = await emulator({
    faults: { kind: 'close', code: 4000, reason: 'test close', afterAudioBytes: 3200 },
  });
  const { error } = await failing({ url: server.url });
  expect(error).toMatchObject({ kind: 'protocol', closeCode: 4000, reason: 'test close' });
});

it('errors with a network LiveError when nothing listens on the port', async () => {
  const port = await closedPort();
  const { result, error } = await failing({ url: `ws://127.0.0.1:${port}/v1/listen` });
  expect(error).toMatchObject({ kind: 'network', closeCode: 1006 });
  expect(error.message).toContain(`could not connect to ws://127.0.0.1:${port}/v1/listen`);
  expect(result.events).toEqual([]);
});

it('abandons a connection whose host accepts TCP but never answers the upgrade, after openTimeoutMs', async () => {
  // A host that reads the upgrade request and says nothing: neither ws nor browsers time this out.
  const server = createServer((socket) => {
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  try {
    const started = Date.now();
    const { result, error } = await failing({ url: `ws://127.0.0.1:${port}/v1/listen`, openTimeoutMs: 300 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(error.kind).toBe('network');
    expect(error.closeCode).toBeUndefined();
    expect(error.message).toBe(
      `the connection to ws://127.0.0.1:${port}/v1/listen did not open within 300 ms (openTimeoutMs): the attempt was abandoned`,
    );
    expect(result.events).toEqual([]);
    // The client let go of the socket: the host sees it end.
    const [socket] = await accepted;
    if (!socket.destroyed) await once(socket, 'close');
    expect(socket.destroyed).toBe(true);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

it('never shows the key of a successful session either, in events or in the request URL', async () => {
  const server = await emulator();
  const result = await outcome(
    of(silence(100)).pipe(
      transcribe({ url: server.url, apiKey: () => KEY, options: PCM, webSocket: nodeWebSocket() }),
    ),
  );
  expect(result.completed).toBe(true);
  expect(visibleText(result)).not.toContain(KEY);
  const [handshake] = server.handshakes();
  expect(handshake).toMatchObject({ status: 101, authScheme: 'token' });
  expect(JSON.stringify(handshake?.query)).not.toContain(KEY);
});
