/**
 * The sockets nodeWebSocket() makes (NodeWebSocketAdapter) against a real `ws` server on loopback:
 * the WebSocket EventTarget semantics of their events, the upgrade response they record, and what
 * they put on the wire (frames and their masking keys, read from the raw bytes the server's TCP
 * socket got), and the options nodeWebSocket() checks.
 */
import { Agent } from 'node:http';
import type { LookupFunction } from 'node:net';
import { isNativeError } from 'node:util/types';
import WebSocket from 'ws';
import { noCleartextHop, nodeWebSocket, type NodeWebSocketOptions } from '../../src/socket/nodeWebSocket';
import { NodeWebSocketAdapter } from '../../src/socket/nodeWebSocketAdapter';
import {
  CLOSED,
  OPEN,
  type WebSocketLikeEventMap,
  type WebSocketLikeHandler,
} from '../../src/socket/webSocketLike';
import { closedPort, startLoopback, type Loopback } from './loopback';

const KEY = 'f00dfeedc0ffee0123456789abcdef0123456789';

let server: Loopback;
const made: NodeWebSocketAdapter[] = [];

beforeEach(async () => {
  server = await startLoopback();
});

afterEach(async () => {
  for (const socket of made.splice(0)) socket.ws.terminate();
  await server.close();
});

function connect(options: NodeWebSocketOptions = {}, url = server.url): NodeWebSocketAdapter {
  const socket = nodeWebSocket(options)({ url, credentials: { scheme: 'token', secret: KEY } });
  if (!(socket instanceof NodeWebSocketAdapter)) throw new Error('nodeWebSocket() made no adapter');
  made.push(socket);
  return socket;
}

/** Resolves with the next event of `type` (listening through the adapter's own addEventListener). */
function next<K extends keyof WebSocketLikeEventMap>(
  socket: NodeWebSocketAdapter,
  type: K,
): Promise<WebSocketLikeEventMap[K]> {
  return new Promise((resolve) => {
    const listener = (event: WebSocketLikeEventMap[K]): void => {
      socket.removeEventListener(type, listener);
      resolve(event);
    };
    socket.addEventListener(type, listener);
  });
}

async function opened(options: NodeWebSocketOptions = {}): Promise<NodeWebSocketAdapter> {
  const socket = connect(options);
  await next(socket, 'open');
  return socket;
}

describe('events', () => {
  it('emits an open event of type "open" once the socket is open', async () => {
    const socket = connect();
    const event = await next(socket, 'open');
    expect(event).toMatchObject({ type: 'open', target: socket });
    expect(socket.readyState).toBe(OPEN);
  });

  it('delivers a text frame as a string message even when binaryType is arraybuffer', async () => {
    const socket = await opened();
    socket.binaryType = 'arraybuffer';
    const message = next(socket, 'message');
    (await server.peer(0)).socket.send('{"type":"Metadata"}');
    expect(await message).toMatchObject({ type: 'message', data: '{"type":"Metadata"}' });
  });

  it('delivers a binary frame as an ArrayBuffer when binaryType is arraybuffer', async () => {
    const socket = await opened();
    socket.binaryType = 'arraybuffer';
    const message = next(socket, 'message');
    (await server.peer(0)).socket.send(Uint8Array.of(1, 2, 3));
    const { data } = await message;
    expect(data).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(data as ArrayBuffer)]).toEqual([1, 2, 3]);
  });

  it('delivers a binary frame as a Buffer with the default binaryType nodebuffer', async () => {
    const socket = await opened();
    const message = next(socket, 'message');
    (await server.peer(0)).socket.send(Uint8Array.of(4, 5));
    const { data } = await message;
    expect(Buffer.isBuffer(data)).toBe(true);
    expect([...(data as Buffer)]).toEqual([4, 5]);
  });

  it('emits a clean close event with the code and reason the server closed with', async () => {
    const socket = await opened();
    const close = next(socket, 'close');
    (await server.peer(0)).socket.close(4000, 'bye now');
    expect(await close).toMatchObject({ type: 'close', code: 4000, reason: 'bye now', wasClean: true });
    expect(socket.readyState).toBe(CLOSED);
  });

  it('emits a close event with 1006 and wasClean false when the connection drops', async () => {
    const socket = await opened();
    const close = next(socket, 'close');
    (await server.peer(0)).socket.terminate();
    expect(await close).toMatchObject({ type: 'close', code: 1006, reason: '', wasClean: false });
  });

  it('emits an error event carrying the ws error and its message when the port refuses', async () => {
    const socket = connect({}, `ws://127.0.0.1:${await closedPort()}/v1/listen`);
    const error = next(socket, 'error');
    const close = next(socket, 'close');
    const event = (await error) as { type: string; message: string; error: unknown };
    expect(event.type).toBe('error');
    // A Node core error: from another realm than jest's `Error`.
    expect(isNativeError(event.error)).toBe(true);
    expect(event.message).toBe((event.error as Error).message);
    expect(event.message).toMatch(/ECONNREFUSED/);
    expect((await close).code).toBe(1006);
  });

  it('calls every listener of a type, in the order they were added', async () => {
    const socket = connect();
    const calls: string[] = [];
    socket.addEventListener('open', () => calls.push('first'));
    socket.addEventListener('open', () => calls.push('second'));
    socket.addEventListener('open', () => calls.push('third'));
    await next(socket, 'open');
    expect(calls).toEqual(['first', 'second', 'third']);
  });

  it('registers a listener added twice for the same type only once', async () => {
    const socket = connect();
    const calls: unknown[] = [];
    const listener = (event: unknown): void => void calls.push(event);
    socket.addEventListener('open', listener);
    socket.addEventListener('open', listener);
    await next(socket, 'open');
    expect(calls).toHaveLength(1);
    expect(socket.listenerCount('open')).toBe(1);
  });

  it('stops calling a removed listener while calling the others', async () => {
    const socket = await opened();
    const calls: string[] = [];
    const removed = (): void => void calls.push('removed');
    socket.addEventListener('message', removed);
    socket.addEventListener('message', () => calls.push('kept'));
    socket.removeEventListener('message', removed);
    const message = next(socket, 'message');
    (await server.peer(0)).socket.send('hello');
    await message;
    expect(calls).toEqual(['kept']);
  });

  it('does not call a listener that an earlier listener removed during the same dispatch', async () => {
    const socket = connect();
    const calls: string[] = [];
    const second = (): void => void calls.push('second');
    socket.addEventListener('open', () => {
      calls.push('first');
      socket.removeEventListener('open', second);
    });
    socket.addEventListener('open', second);
    await next(socket, 'open');
    expect(calls).toEqual(['first']);
  });

  it('calls no listener after all were removed and the connecting socket was closed', async () => {
    const socket = connect();
    const calls: string[] = [];
    const listeners = {
      open: () => void calls.push('open'),
      message: () => void calls.push('message'),
      error: () => void calls.push('error'),
      close: () => void calls.push('close'),
    };
    for (const [type, listener] of Object.entries(listeners)) {
      socket.addEventListener(type as keyof WebSocketLikeEventMap, listener);
    }
    for (const [type, listener] of Object.entries(listeners)) {
      socket.removeEventListener(type as keyof WebSocketLikeEventMap, listener);
    }
    socket.close(1000);
    await new Promise((resolve) => socket.ws.once('close', resolve));
    expect(socket.readyState).toBe(CLOSED);
    expect(calls).toEqual([]);
  });

  it('calls listeners with the adapter as this', async () => {
    const socket = connect();
    const thisValues: unknown[] = [];
    socket.addEventListener('open', function (this: unknown) {
      thisValues.push(this);
    });
    await next(socket, 'open');
    expect(thisValues).toEqual([socket]);
  });
});

describe('upgrade response', () => {
  it('keeps only the status and dg-request-id of a successful upgrade', async () => {
    const socket = await opened();
    expect(socket.upgradeResponse).toEqual({ status: 101, headers: { 'dg-request-id': server.requestId } });
  });

  it('keeps the status, every header (lower case) and the body of a refused handshake', async () => {
    const body = JSON.stringify({ err_code: 'INVALID_AUTH', err_msg: 'Invalid credentials.' });
    server.refuse = () => ({
      status: 401,
      headers: { 'DG-Error': 'Invalid credentials.', 'dg-request-id': 'b0d1e5c4' },
      body,
    });
    const socket = connect();
    const close = next(socket, 'close');
    expect((await close).code).toBe(1006);
    expect(socket.upgradeResponse).toEqual({
      status: 401,
      headers: expect.objectContaining({
        'dg-error': 'Invalid credentials.',
        'dg-request-id': 'b0d1e5c4',
        'content-length': String(body.length),
        connection: 'close',
      }) as unknown,
      body,
    });
  });

  it('keeps at most maxErrorBodyBytes of a refusal body', async () => {
    server.refuse = () => ({ status: 400, body: 'x'.repeat(100) });
    const socket = connect({ maxErrorBodyBytes: 10 });
    await next(socket, 'close');
    expect(socket.upgradeResponse?.body).toBe('x'.repeat(10));
  });

  it('emits an error event and then a close event when the handshake is refused', async () => {
    server.refuse = () => ({ status: 503 });
    const socket = connect();
    const events: string[] = [];
    socket.addEventListener('error', () => events.push('error'));
    socket.addEventListener('close', () => events.push('close'));
    await next(socket, 'close');
    expect(events).toEqual(['error', 'close']);
  });
});

describe('wire and state', () => {
  it('sends a string as a text frame', async () => {
    const socket = await opened();
    socket.send('{"type":"KeepAlive"}');
    const frame = await (await server.peer(0)).frame(0);
    expect(frame.isBinary).toBe(false);
    expect(frame.data.toString('utf8')).toBe('{"type":"KeepAlive"}');
  });

  it('sends only the bytes of a Uint8Array view on a larger buffer', async () => {
    const socket = await opened();
    const whole = Uint8Array.from({ length: 64 }, (_, i) => i);
    socket.send(whole.subarray(10, 20));
    const frame = await (await server.peer(0)).frame(0);
    expect(frame.isBinary).toBe(true);
    expect([...frame.data]).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  });

  it('closes with the code and reason given to close', async () => {
    const socket = await opened();
    socket.close(4001, 'done here');
    expect(await (await server.peer(0)).closed).toEqual({ code: 4001, reason: 'done here' });
  });

  it('passes binaryType through to the ws socket', () => {
    const socket = connect();
    socket.binaryType = 'arraybuffer';
    expect(socket.ws.binaryType).toBe('arraybuffer');
    socket.ws.binaryType = 'fragments';
    expect(socket.binaryType).toBe('fragments');
  });

  it('reports the readyState, protocol and bufferedAmount of the ws socket', async () => {
    const socket = await opened({ auth: 'subprotocol' });
    expect(socket.ws).toBeInstanceOf(WebSocket);
    expect(socket.readyState).toBe(socket.ws.readyState);
    expect(socket.protocol).toBe('token');
    expect(socket.bufferedAmount).toBe(socket.ws.bufferedAmount);
  });

  it('gives the ws socket as its send target, so that audio skips the adapter', async () => {
    const socket = await opened({ auth: 'subprotocol' });
    expect(socket.sendTarget).toBe(socket.ws);
  });
});

describe('listen(handler)', () => {
  /** A handler that records the type of each event it gets, and what it got with it. */
  function recordingHandler(): WebSocketLikeHandler & { calls: string[]; events: unknown[] } {
    const calls: string[] = [];
    const events: unknown[] = [];
    return {
      calls,
      events,
      handleOpen: () => calls.push('open'),
      handleMessage: (data) => {
        calls.push('message');
        events.push(data);
      },
      handleError: () => calls.push('error'),
      handleClose: (event) => {
        calls.push(`close ${event.code}`);
        events.push(event);
      },
    };
  }

  it('delivers open, message data and close to the handler, as the listeners get them', async () => {
    const socket = connect();
    const handler = recordingHandler();
    socket.listen(handler);
    await next(socket, 'open');
    const message = next(socket, 'message');
    (await server.peer(0)).socket.send('{"type":"Metadata"}');
    const listenerMessage = await message;
    const closed = next(socket, 'close');
    (await server.peer(0)).socket.close(4000, 'bye now');
    const listenerClose = await closed;
    expect(handler.calls).toEqual(['open', 'message', 'close 4000']);
    expect(handler.events[0]).toBe(listenerMessage.data);
    expect(handler.events[1]).toBe(listenerClose);
    expect(listenerMessage).toMatchObject({ type: 'message', data: '{"type":"Metadata"}' });
  });

  it('delivers the error of a refused handshake to the handler before its close', async () => {
    server.refuse = () => ({ status: 401, headers: {}, body: '{"err_code":"INVALID_AUTH"}' });
    const socket = connect();
    const handler = recordingHandler();
    socket.listen(handler);
    await next(socket, 'close');
    expect(handler.calls).toEqual(['error', 'close 1006']);
  });

  it('stops delivering to the handler after listen(undefined)', async () => {
    const socket = connect();
    const handler = recordingHandler();
    socket.listen(handler);
    await next(socket, 'open');
    socket.listen(undefined);
    const message = next(socket, 'message');
    (await server.peer(0)).socket.send('{"type":"Metadata"}');
    await message;
    expect([handler.calls, socket.listening]).toEqual([['open'], false]);
  });
});

// A timer longer than 2^31 − 1 ms fires after 1 ms: a heartbeat would terminate every socket at
// once; a handshake timeout would abort every handshake.
it.each<[keyof NodeWebSocketOptions, number]>([
  ['heartbeatMs', 2 ** 31],
  ['heartbeatMs', Number.NaN],
  ['handshakeTimeoutMs', 2 ** 31],
  ['handshakeTimeoutMs', 0],
  ['handshakeTimeoutMs', -5],
  ['handshakeTimeoutMs', Infinity],
])('refuses %s %p when it is called', (name, value) => {
  expect(() => nodeWebSocket({ [name]: value })).toThrow(
    new RangeError(
      `nodeWebSocket: ${name} must be > 0 and at most 2147483647 (the longest timer), got ${value}`,
    ),
  );
});

it('accepts delays up to the longest timer', () => {
  expect(() => nodeWebSocket({ heartbeatMs: 2 ** 31 - 1, handshakeTimeoutMs: 2 ** 31 - 1 })).not.toThrow();
});

describe('closing', () => {
  it('drops the connection when the server does not answer a close within 2 s (ws alone waits 30 s)', async () => {
    const socket = await opened();
    // A dead server: it reads nothing more, so the close frame is never answered.
    (await server.peer(0)).socket.pause();
    const closed = next(socket, 'close');
    socket.close(1000);
    const started = Date.now();
    const event = await closed;
    expect(event).toMatchObject({ code: 1006, wasClean: false });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
  }, 10000);
});

interface WireFrame {
  opcode: number;
  key: Buffer;
  /** The payload as it was on the wire, before unmasking. */
  wire: Buffer;
  /** The payload unmasked with `key`. */
  payload: Buffer;
}

/** Parses the client frames (masked, payloads shorter than 65536 bytes) at the start of `bytes`. */
function parseFrames(bytes: Buffer): WireFrame[] {
  const frames: WireFrame[] = [];
  let at = 0;
  while (at + 2 <= bytes.length) {
    const opcode = bytes[at]! & 0x0f;
    if ((bytes[at + 1]! & 0x80) === 0) throw new Error('a client frame without the mask bit');
    let length = bytes[at + 1]! & 0x7f;
    let header = 2;
    if (length === 126) {
      length = bytes.readUInt16BE(at + 2);
      header = 4;
    } else if (length === 127) throw new Error('a frame longer than this parser reads');
    const end = at + header + 4 + length;
    if (end > bytes.length) break;
    const key = bytes.subarray(at + header, at + header + 4);
    const wire = bytes.subarray(at + header + 4, end);
    const payload = Buffer.from(wire.map((byte, i) => byte ^ key[i % 4]!));
    frames.push({ opcode, key: Buffer.from(key), wire: Buffer.from(wire), payload });
    at = end;
  }
  return frames;
}

/** Opens a socket, sends `chunks` as binary frames, and returns the frames as the server's TCP socket got them. */
async function sendAndCapture(options: NodeWebSocketOptions, chunks: Uint8Array[]): Promise<WireFrame[]> {
  const socket = connect(options);
  const peer = await server.peer(0);
  const received: Buffer[] = [];
  // First in line and copied: the server's receiver unmasks the socket's buffers in place.
  peer.request.socket.prependListener('data', (data: Buffer) => received.push(Buffer.from(data)));
  await next(socket, 'open');
  for (const chunk of chunks) socket.send(chunk);
  await peer.frame(chunks.length - 1);
  return parseFrames(Buffer.concat(received));
}

const chunk = (seed: number): Uint8Array =>
  Uint8Array.from({ length: 3200 }, (_, i) => (i * 7 + seed) & 0xff);

describe("frameMask 'zero'", () => {
  it('puts each chunk on the wire unchanged, under an all-zero masking key', async () => {
    const chunks = [chunk(1), chunk(2)];
    const frames = await sendAndCapture({ frameMask: 'zero' }, chunks);
    expect(frames.map((frame) => frame.opcode)).toEqual([2, 2]);
    expect(frames.map((frame) => [...frame.key])).toEqual([
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
    expect(frames.map((frame) => frame.wire)).toEqual(chunks.map((c) => Buffer.from(c)));
    expect((await server.peer(0)).frames.map((frame) => frame.data)).toEqual(
      chunks.map((c) => Buffer.from(c)),
    );
  });

  it('fails a ws: URL to a host that is not loopback before connecting', () => {
    // Every name resolves to 127.0.0.1, so even a factory that did connect would stay on loopback.
    const lookup: LookupFunction = (_hostname, _options, callback) => callback(null, '127.0.0.1', 4);
    const url = server.url.replace('127.0.0.1', 'deepgram.test');
    const factory = nodeWebSocket({ frameMask: 'zero', wsOptions: { agent: new Agent({ lookup }) } });
    expect(() => factory({ url })).toThrow(
      "frameMask 'zero' is only for wss: or loopback URLs; deepgram.test:",
    );
  });
});

describe("frameMask 'random' (the default)", () => {
  it('masks each frame with its own key, and the payload unmasks to the chunk', async () => {
    const chunks = [chunk(4), chunk(4), chunk(4)];
    const frames = await sendAndCapture({}, chunks);
    const keys = frames.map((frame) => frame.key.toString('hex'));
    expect(new Set(keys).size).toBe(3);
    expect(keys).not.toContain('00000000');
    expect(frames.map((frame) => frame.payload)).toEqual(chunks.map((c) => Buffer.from(c)));
  });
});

describe('where an all-zero key is allowed', () => {
  it.each([
    'wss://api.deepgram.com/v1/listen',
    'https://api.deepgram.com/v1/listen',
    'ws://localhost:8080/v1/listen',
    'ws://127.0.0.1:8080/v1/listen',
    'ws://127.20.30.40/v1/listen',
    'ws://[::1]:8080/v1/listen',
  ])('allows %s', (url) => {
    expect(noCleartextHop(url)).toBe(true);
  });

  it.each([
    'ws://api.deepgram.com/v1/listen',
    'http://api.deepgram.com/v1/listen',
    'ws://10.0.0.1:8080/v1/listen',
    'ws://127.0.0.1.example.com/v1/listen',
    'ws://[::2]:8080/v1/listen',
  ])('refuses %s', (url) => {
    expect(noCleartextHop(url)).toBe(false);
  });
});

describe('options', () => {
  it('refuses a frameMask other than random or zero when called', () => {
    expect(() => nodeWebSocket({ frameMask: 'none' as 'zero' })).toThrow(RangeError);
  });

  it("refuses frameMask 'zero' together with wsOptions.followRedirects when called", () => {
    expect(() => nodeWebSocket({ frameMask: 'zero', wsOptions: { followRedirects: true } })).toThrow(
      "frameMask 'zero' cannot be combined with wsOptions.followRedirects",
    );
    expect(() => nodeWebSocket({ frameMask: 'random', wsOptions: { followRedirects: true } })).not.toThrow();
  });

  it("refuses an auth other than 'header' or 'subprotocol' when called (a typo would move the key)", () => {
    expect(() => nodeWebSocket({ auth: 'headers' as 'header' })).toThrow(
      new RangeError("nodeWebSocket: auth must be 'header' or 'subprotocol', got a string"),
    );
    expect(() => nodeWebSocket({ auth: 'subprotocol' })).not.toThrow();
  });

  it.each([Number.NaN, -1, 1.5, Infinity])('refuses maxErrorBodyBytes %p when called', (value) => {
    expect(() => nodeWebSocket({ maxErrorBodyBytes: value })).toThrow(
      new RangeError(`nodeWebSocket: maxErrorBodyBytes must be an integer >= 0, got ${value}`),
    );
  });

  it('refuses headers that are not an object of strings when called', () => {
    expect(() => nodeWebSocket({ headers: 'User-Agent: x' as unknown as Record<string, string> })).toThrow(
      new TypeError('nodeWebSocket: headers must be an object of strings, got a string'),
    );
    expect(() => nodeWebSocket({ headers: { 'X-Count': 3 as unknown as string } })).toThrow(
      new TypeError('nodeWebSocket: headers["X-Count"] must be a string, got 3'),
    );
  });

  it('refuses options that are not an object when called', () => {
    expect(() => nodeWebSocket(null as unknown as NodeWebSocketOptions)).toThrow(
      new TypeError('nodeWebSocket: options must be an object, got null'),
    );
  });

  it('refuses frameMask together with wsOptions.generateMask when called', () => {
    expect(() =>
      nodeWebSocket({ frameMask: 'random', wsOptions: { generateMask: () => undefined } }),
    ).toThrow('either frameMask or wsOptions.generateMask');
  });
});
