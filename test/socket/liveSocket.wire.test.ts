/**
 * liveSocket over real `ws` sockets on loopback: what goes out as text or binary, what comes in,
 * and how every kind of close or refused handshake surfaces.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NEVER, of, Subject } from 'rxjs';
import WebSocket from 'ws';
import { CLOSE_STREAM, KEEP_ALIVE, type Frame } from '../../src/protocol/frames';
import { LiveError } from '../../src/socket/liveError';
import { liveSocket, type SocketEvent } from '../../src/socket/liveSocket';
import { nativeWebSocket } from '../../src/socket/nativeWebSocket';
import { nodeWebSocket } from '../../src/socket/nodeWebSocket';
import { NodeWebSocketAdapter } from '../../src/socket/nodeWebSocketAdapter';
import { CLOSED, type WebSocketFactory, type WebSocketLike } from '../../src/socket/webSocketLike';
import { closedPort, record, startLoopback, type Loopback } from './loopback';

const KEY = 'f00dfeedc0ffee0123456789abcdef0123456789';
const NET_0001 =
  'Deepgram did not receive audio data or a text message within the timeout window. See https://dpgr.am/net0001';
const FIXTURE = join(__dirname, '../../../shared/fixtures/deepgram-recorded/a6d1b1_42fc5e_181e6f6f.json');

let server: Loopback;
const made: WebSocketLike[] = [];

/** nodeWebSocket() that also keeps each socket it makes, for inspection. */
function tracked(factory: WebSocketFactory = nodeWebSocket()): WebSocketFactory {
  return (request) => {
    const socket = factory(request);
    made.push(socket);
    return socket;
  };
}

beforeEach(async () => {
  server = await startLoopback();
});

/** The `ws` socket behind a socket made by nodeWebSocket() or by a native-style factory over `ws`. */
function wsOf(socket: WebSocketLike | undefined): WebSocket {
  return socket instanceof NodeWebSocketAdapter ? socket.ws : (socket as unknown as WebSocket);
}

afterEach(async () => {
  for (const socket of made.splice(0)) wsOf(socket).terminate();
  await server.close();
});

function expectLiveError(error: unknown): LiveError {
  expect(error).toBeInstanceOf(LiveError);
  return error as LiveError;
}

describe('frames out', () => {
  it('sends a string frame as a text frame', async () => {
    record(liveSocket({ url: server.url, webSocket: tracked(), frames: of<Frame>(KEEP_ALIVE) }));
    const frame = await (await server.peer(0)).frame(0);
    expect(frame.isBinary).toBe(false);
    expect(frame.data.toString('utf8')).toBe(KEEP_ALIVE);
  });

  it('sends a Uint8Array as a binary frame with identical bytes', async () => {
    const audio = Uint8Array.from({ length: 640 }, (_, i) => (i * 7) % 256);
    record(liveSocket({ url: server.url, webSocket: tracked(), frames: of<Frame>(audio) }));
    const frame = await (await server.peer(0)).frame(0);
    expect(frame.isBinary).toBe(true);
    expect([...frame.data]).toEqual([...audio]);
  });

  it('sends exactly the bytes of a subarray view whose byteOffset is not 0', async () => {
    const whole = Uint8Array.from({ length: 100 }, (_, i) => i);
    const view = whole.subarray(10, 30);
    record(liveSocket({ url: server.url, webSocket: tracked(), frames: of<Frame>(view) }));
    const frame = await (await server.peer(0)).frame(0);
    expect(frame.isBinary).toBe(true);
    expect([...frame.data]).toEqual(Array.from({ length: 20 }, (_, i) => i + 10));
  });

  it('leaves the caller’s audio bytes unchanged after sending them (client masking copies)', async () => {
    const audio = Uint8Array.from({ length: 64 }, (_, i) => i);
    const copy = audio.slice();
    record(liveSocket({ url: server.url, webSocket: tracked(), frames: of<Frame>(audio) }));
    await (await server.peer(0)).frame(0);
    expect([...audio]).toEqual([...copy]);
  });

  it('keeps the order of interleaved audio and control frames', async () => {
    const frames: Frame[] = [new Uint8Array([1]), KEEP_ALIVE, new Uint8Array([2]), CLOSE_STREAM];
    record(liveSocket({ url: server.url, webSocket: tracked(), frames: of(...frames) }));
    const peer = await server.peer(0);
    await peer.frame(3);
    expect(peer.frames.map((f) => (f.isBinary ? [...f.data] : f.data.toString()))).toEqual([
      [1],
      KEEP_ALIVE,
      [2],
      CLOSE_STREAM,
    ]);
  });

  it('never sends an empty binary frame, which Deepgram reads as CloseStream', async () => {
    const frames: Frame[] = [new Uint8Array([1]), new Uint8Array(0), new Uint8Array([2]), KEEP_ALIVE];
    record(liveSocket({ url: server.url, webSocket: tracked(), frames: of(...frames) }));
    const peer = await server.peer(0);
    await peer.frame(2);
    expect(peer.frames.map((f) => (f.isBinary ? [...f.data] : f.data.toString()))).toEqual([
      [1],
      [2],
      KEEP_ALIVE,
    ]);
  });

  it('subscribes to frames only once the socket is open', async () => {
    const seenAtSubscription: string[][] = [];
    const recording = record(
      liveSocket({
        url: server.url,
        webSocket: tracked(),
        frames: () => {
          seenAtSubscription.push(recording.events.map((event) => event.type));
          return of<Frame>(KEEP_ALIVE);
        },
      }),
    );
    expect(seenAtSubscription).toEqual([]);
    await (await server.peer(0)).frame(0);
    expect(seenAtSubscription).toEqual([['open']]);
  });
});

describe('messages in', () => {
  it('decodes a recorded Deepgram Results text frame to a message event', async () => {
    const results = (JSON.parse(readFileSync(FIXTURE, 'utf8')) as { response: { type: string } }).response;
    const recording = record(liveSocket({ url: server.url, webSocket: tracked() }));
    (await server.peer(0)).socket.send(JSON.stringify(results));
    const event = await recording.event(1);
    expect(event).toEqual({ type: 'message', message: results });
  });

  it('emits a decode-failure for a non-JSON frame and stays open for the next message', async () => {
    const recording = record(liveSocket({ url: server.url, webSocket: tracked() }));
    const peer = await server.peer(0);
    peer.socket.send('not json {');
    peer.socket.send('{"type":"SpeechStarted","channel":[0,1],"timestamp":1.5}');
    const failure = await recording.event(1);
    const next = await recording.event(2);
    expect(failure).toMatchObject({ type: 'decode-failure', failure: { raw: 'not json {' } });
    expect(next).toEqual({
      type: 'message',
      message: { type: 'SpeechStarted', channel: [0, 1], timestamp: 1.5 },
    });
  });

  it('emits a decode-failure naming the path for a wrong-shaped message and stays open', async () => {
    const recording = record(liveSocket({ url: server.url, webSocket: tracked() }));
    const peer = await server.peer(0);
    peer.socket.send('{"type":"UtteranceEnd","channel":[0,1],"last_word_end":"soon"}');
    peer.socket.send('{"type":"UtteranceEnd","channel":[0,1],"last_word_end":2.5}');
    const failure = await recording.event(1);
    await recording.event(2);
    expect(failure.type).toBe('decode-failure');
    expect(JSON.stringify(failure)).toContain('last_word_end');
    expect(made[0]?.readyState).toBe(WebSocket.OPEN);
  });

  it('emits a decode-failure for a binary frame from the server', async () => {
    const recording = record(liveSocket({ url: server.url, webSocket: tracked() }));
    (await server.peer(0)).socket.send(new Uint8Array([1, 2, 3]));
    const event = await recording.event(1);
    expect(event).toMatchObject({ type: 'decode-failure', failure: { raw: '' } });
    expect(JSON.stringify(event)).toContain('3 bytes');
  });

  it('carries the dg-request-id of the upgrade response in the open event', async () => {
    const recording = record(liveSocket({ url: server.url, webSocket: tracked() }));
    expect(await recording.event(0)).toEqual({ type: 'open', requestId: server.requestId, protocol: '' });
  });

  it('keeps only the status and dg-request-id of a successful upgrade on the socket', async () => {
    const recording = record(liveSocket({ url: server.url, webSocket: tracked() }));
    await recording.event(0);
    expect(made[0]?.upgradeResponse).toEqual({
      status: 101,
      headers: { 'dg-request-id': server.requestId },
    });
  });
});

describe('closes', () => {
  it('completes when the server closes with 1000', async () => {
    const recording = record(liveSocket({ url: server.url, webSocket: tracked() }));
    (await server.peer(0)).socket.close(1000);
    expect(await recording.ended).toEqual({ completed: true });
  });

  it('errors with a timeout LiveError (not a completion) when the server closes with 1011 NET-0001', async () => {
    const recording = record(liveSocket({ url: server.url, webSocket: tracked() }));
    (await server.peer(0)).socket.close(1011, NET_0001);
    const end = await recording.ended;
    expect(end.completed).toBe(false);
    expect(expectLiveError(end.error)).toMatchObject({
      kind: 'timeout',
      code: 'NET-0001',
      closeCode: 1011,
      reason: NET_0001,
      requestId: server.requestId,
    });
  });

  it('errors with a bad-audio LiveError when the server closes with 1008 DATA-0000', async () => {
    const recording = record(liveSocket({ url: server.url, webSocket: tracked() }));
    (await server.peer(0)).socket.close(1008, 'DATA-0000');
    expect(expectLiveError((await recording.ended).error)).toMatchObject({
      kind: 'bad-audio',
      code: 'DATA-0000',
    });
  });

  it('errors with a network LiveError when the connection drops without a close frame', async () => {
    const recording = record(liveSocket({ url: server.url, webSocket: tracked() }));
    (await server.peer(0)).socket.terminate();
    expect(expectLiveError((await recording.ended).error)).toMatchObject({
      kind: 'network',
      closeCode: 1006,
    });
  });

  it('errors with a network LiveError when the port refuses the connection', async () => {
    const port = await closedPort();
    const recording = record(liveSocket({ url: `ws://127.0.0.1:${port}/v1/listen`, webSocket: tracked() }));
    const error = expectLiveError((await recording.ended).error);
    expect(error.kind).toBe('network');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('closes the socket with 1000 when unsubscribed, and the server sees the close', async () => {
    const recording = record(liveSocket({ url: server.url, webSocket: tracked() }));
    await recording.event(0);
    const peer = await server.peer(0);
    recording.subscription.unsubscribe();
    expect(await peer.closed).toEqual({ code: 1000, reason: '' });
  });

  it('listens through the transport’s listen() and stops listening when unsubscribed', async () => {
    const recording = record(liveSocket({ url: server.url, webSocket: tracked(), frames: NEVER }));
    await recording.event(0);
    const socket = made[0] as NodeWebSocketAdapter;
    const types = ['open', 'message', 'close', 'error'] as const;
    const listenersBefore = types.map((type) => socket.listenerCount(type));
    const listeningBefore = socket.listening;
    recording.subscription.unsubscribe();
    expect([listeningBefore, listenersBefore]).toEqual([true, [0, 0, 0, 0]]);
    expect([socket.listening, types.map((type) => socket.listenerCount(type))]).toEqual([
      false,
      [0, 0, 0, 0],
    ]);
  });

  it('can be unsubscribed while still connecting without an unhandled error', async () => {
    const recording = record(liveSocket({ url: server.url, webSocket: tracked() }));
    const socket = wsOf(made[0]);
    recording.subscription.unsubscribe();
    await new Promise((resolve) => socket.once('close', resolve));
    expect(socket.readyState).toBe(CLOSED);
  });

  it('can be unsubscribed while a raw ws client is still connecting: no unhandled error, no listener left', async () => {
    const recording = record(
      liveSocket({ url: server.url, webSocket: tracked(nativeWebSocket(WebSocket as never)) }),
    );
    const socket = made[0] as unknown as WebSocket;
    const closed = new Promise((resolve) => socket.once('close', resolve));
    recording.subscription.unsubscribe(); // ws emits 'error' on the close() of a connecting socket
    await closed;
    expect([socket.readyState, socket.listenerCount('error'), socket.listenerCount('close')]).toEqual([
      CLOSED,
      0,
      0,
    ]);
  });

  it('errors with the error of frames and closes the socket', async () => {
    const frames = new Subject<Frame>();
    const recording = record(liveSocket({ url: server.url, webSocket: tracked(), frames }));
    await recording.event(0);
    const peer = await server.peer(0);
    const boom = new Error('microphone unplugged');
    frames.error(boom);
    expect((await recording.ended).error).toBe(boom);
    expect((await peer.closed).code).toBe(1000);
  });
});

describe('refused handshakes (nodeWebSocket)', () => {
  const deepgramBody = (code: string, message: string): string =>
    JSON.stringify({ err_code: code, err_msg: message, request_id: 'b0d1e5c4-0000-4000-8000-000000000401' });

  it('errors with an auth LiveError carrying status, code, request id and dg-error on 401', async () => {
    server.refuse = () => ({
      status: 401,
      headers: {
        'content-type': 'application/json',
        'dg-error': 'Invalid credentials.',
        'dg-request-id': 'b0d1e5c4-0000-4000-8000-000000000401',
      },
      body: deepgramBody('INVALID_AUTH', 'Invalid credentials.'),
    });
    const recording = record(
      liveSocket({ url: server.url, credentials: { scheme: 'token', secret: KEY }, webSocket: tracked() }),
    );
    const error = expectLiveError((await recording.ended).error);
    expect(error).toMatchObject({
      kind: 'auth',
      status: 401,
      code: 'INVALID_AUTH',
      requestId: 'b0d1e5c4-0000-4000-8000-000000000401',
    });
    expect(error.message).toContain('Invalid credentials.');
  });

  it('errors with a rate-limit LiveError with retryAfterMs from Retry-After on 429', async () => {
    server.refuse = () => ({
      status: 429,
      headers: { 'retry-after': '3', 'dg-error': 'Too many requests. Please try again later' },
      body: deepgramBody('TOO_MANY_REQUESTS', 'Too many requests. Please try again later'),
    });
    const recording = record(liveSocket({ url: server.url, webSocket: tracked() }));
    expect(expectLiveError((await recording.ended).error)).toMatchObject({
      kind: 'rate-limit',
      status: 429,
      retryAfterMs: 3000,
      code: 'TOO_MANY_REQUESTS',
    });
  });

  it('errors with an http LiveError carrying the err_code on 400', async () => {
    server.refuse = () => ({
      status: 400,
      headers: { 'dg-error': "Invalid 'utterance_end_ms' value of '999'." },
      body: deepgramBody('INVALID_QUERY_PARAMETER', "Invalid 'utterance_end_ms' value of '999'."),
    });
    const recording = record(liveSocket({ url: `${server.url}?utterance_end_ms=999`, webSocket: tracked() }));
    const error = expectLiveError((await recording.ended).error);
    expect(error).toMatchObject({ kind: 'http', status: 400, code: 'INVALID_QUERY_PARAMETER' });
    expect(error.message).toContain("Invalid 'utterance_end_ms' value of '999'.");
  });

  it('errors with an http LiveError on 503 even without a body', async () => {
    server.refuse = () => ({ status: 503 });
    const recording = record(liveSocket({ url: server.url, webSocket: tracked() }));
    expect(expectLiveError((await recording.ended).error)).toMatchObject({ kind: 'http', status: 503 });
  });
});

describe('credentials', () => {
  it('sends the API key as "Authorization: Token KEY" from nodeWebSocket', async () => {
    record(
      liveSocket({ url: server.url, credentials: { scheme: 'token', secret: KEY }, webSocket: tracked() }),
    );
    const peer = await server.peer(0);
    expect(peer.request.headers.authorization).toBe(`Token ${KEY}`);
    expect(peer.request.headers['sec-websocket-protocol']).toBeUndefined();
  });

  it('sends an access token as "Authorization: Bearer JWT" from nodeWebSocket', async () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    record(
      liveSocket({ url: server.url, credentials: { scheme: 'bearer', secret: jwt }, webSocket: tracked() }),
    );
    expect((await server.peer(0)).request.headers.authorization).toBe(`Bearer ${jwt}`);
  });

  it('sends the key as the subprotocols "token, KEY" from a native-style factory and opens with protocol "token"', async () => {
    const recording = record(
      liveSocket({
        url: server.url,
        credentials: { scheme: 'token', secret: KEY },
        webSocket: tracked(nativeWebSocket(WebSocket)),
      }),
    );
    const peer = await server.peer(0);
    expect(peer.request.headers['sec-websocket-protocol']?.split(/,\s*/)).toEqual(['token', KEY]);
    expect(peer.request.headers.authorization).toBeUndefined();
    expect(await recording.event(0)).toMatchObject({ type: 'open', protocol: 'token' });
  });

  it('sends a JWT as the subprotocols "bearer, JWT" from nodeWebSocket({ auth: "subprotocol" })', async () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    record(
      liveSocket({
        url: server.url,
        credentials: { scheme: 'bearer', secret: jwt },
        webSocket: tracked(nodeWebSocket({ auth: 'subprotocol' })),
      }),
    );
    const header = (await server.peer(0)).request.headers['sec-websocket-protocol'];
    expect(header?.split(/,\s*/)).toEqual(['bearer', jwt]);
  });
});

describe('secrets', () => {
  function expectNoKey(value: unknown, secret: string): void {
    const texts = [JSON.stringify(value)];
    if (value instanceof Error) texts.push(value.message, value.stack ?? '', String(value));
    for (const text of texts) expect(text).not.toContain(secret);
  }

  it('keeps the key out of a refused handshake error even when the server echoes it', async () => {
    server.refuse = (request) => ({
      status: 401,
      headers: { 'dg-error': `Invalid credentials: ${request.headers.authorization ?? ''}` },
      body: JSON.stringify({ err_code: 'INVALID_AUTH', err_msg: `bad key ${KEY}` }),
    });
    const recording = record(
      liveSocket({ url: server.url, credentials: { scheme: 'token', secret: KEY }, webSocket: tracked() }),
    );
    const error = expectLiveError((await recording.ended).error);
    expect(error.message).toContain('Invalid credentials');
    expectNoKey(error, KEY);
  });

  it('redacts a token put in the URL from the error of a refused connection', async () => {
    const port = await closedPort();
    const recording = record(
      liveSocket({ url: `ws://127.0.0.1:${port}/v1/listen?token=${KEY}`, webSocket: tracked() }),
    );
    const error = expectLiveError((await recording.ended).error);
    expect(error.kind).toBe('network');
    expectNoKey(error, KEY);
  });

  it('keeps the key out of every event and the close error of a session', async () => {
    const recording = record(
      liveSocket({
        url: server.url,
        credentials: { scheme: 'token', secret: KEY },
        webSocket: tracked(nativeWebSocket(WebSocket)),
        frames: of<Frame>(KEEP_ALIVE),
      }),
    );
    const peer = await server.peer(0);
    await peer.frame(0);
    peer.socket.send('{"type":"Error","variant":"SchemaError"}');
    await recording.event(1);
    peer.socket.close(1011, NET_0001);
    const end = await recording.ended;
    for (const event of recording.events) expectNoKey(event satisfies SocketEvent, KEY);
    expectNoKey(end.error, KEY);
  });

  it('throws at call time for a URL that is not ws:// or wss://, without echoing a token in it', () => {
    let thrown: unknown;
    try {
      liveSocket({ url: `https://example.test/v1/listen?token=${KEY}` });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expectNoKey(thrown, KEY);
  });

  it('throws at call time for a webSocket that is not a factory function', () => {
    expect(() => liveSocket({ url: server.url, webSocket: {} as unknown as WebSocketFactory })).toThrow(
      new TypeError('liveSocket: webSocket must be a WebSocketFactory function, got object'),
    );
  });

  it('throws at call time, without echoing it, for the key passed as the url by mistake', () => {
    let thrown: unknown;
    try {
      liveSocket({ url: KEY });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toEqual(
      new TypeError(
        'liveSocket: url must be an absolute ws:// or wss:// URL, got a string that is not a URL',
      ),
    );
    expectNoKey(thrown, KEY);
  });

  it('throws at call time, without echoing it, for a secret with a trailing newline (no header or subprotocol can carry it)', () => {
    let thrown: unknown;
    try {
      liveSocket({ url: server.url, credentials: { scheme: 'bearer', secret: `${KEY}\n` } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expect((thrown as Error).message).toMatch(/^liveSocket: credentials\.secret contains whitespace/);
    expectNoKey(thrown, KEY);
  });
});
