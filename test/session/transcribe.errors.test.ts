/**
 * How transcribe() fails, in virtual time against the fake Deepgram: every fatal condition errors
 * the stream with a LiveError of the right kind. One connection (`reconnect: false`): what the
 * default reconnection retries is in transcribe.reconnect.test.ts.
 */
import { catchError, NEVER, of } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { LiveError } from '../../src/socket/liveError';
import type { WebSocketFactory, WebSocketLike } from '../../src/socket/webSocketLike';
import { transcribe } from '../../src/session/transcribe';
import type { TranscribeConfig } from '../../src/session/transcribeConfig';
import { fakeDeepgram, type FakeDeepgram } from '../../src/testing/fakeDeepgram';
import { chunk, OPEN, OPTIONS, summarised, testScheduler, URL, transcribeOnFake } from './transcribeSupport';

let scheduler: TestScheduler;

beforeEach(() => {
  scheduler = testScheduler();
});

const A = chunk(10);

/** transcribe() on one connection (`reconnect: false`): each test here is about how that one fails. */
function once(server: FakeDeepgram, extra: Partial<TranscribeConfig> = {}): ReturnType<typeof transcribe> {
  return transcribeOnFake(server, scheduler, {
    reconnect: false,
    ...extra,
  });
}

it('errors with an auth LiveError when the handshake is refused with 401', () => {
  scheduler.run(({ expectObservable }) => {
    const server = fakeDeepgram({ scheduler, onConnection: (c) => c.failHandshake(401, { delayMs: 5 }) });
    const events = NEVER.pipe(once(server));
    expectObservable(summarised(events)).toBe('5ms (e|)', {
      e: { error: 'LiveError', kind: 'auth', code: 'INVALID_AUTH', closeCode: undefined, status: 401 },
    });
  });
});

it('errors with a rate-limit LiveError carrying Retry-After when the handshake is refused with 429', () => {
  let error: unknown;
  scheduler.run(() => {
    const server = fakeDeepgram({
      scheduler,
      onConnection: (c) => c.failHandshake(429, { headers: { 'retry-after': '2' } }),
    });
    NEVER.pipe(once(server)).subscribe({
      error: (e: unknown) => (error = e),
    });
  });
  expect(error).toBeInstanceOf(LiveError);
  expect(error).toMatchObject({ kind: 'rate-limit', status: 429, retryAfterMs: 2000 });
});

it('emits the Metadata, then errors with a timeout LiveError NET-0001 when nothing is sent for the server’s window', () => {
  scheduler.run(({ cold, expectObservable }) => {
    const server = fakeDeepgram({ scheduler, idleTimeoutMs: 10000 });
    const events = cold('a', { a: A }).pipe(once(server, { keepAlive: false }));
    expectObservable(summarised(events)).toBe('o 9999ms (me|)', {
      o: OPEN,
      m: expect.objectContaining({ type: 'Metadata' }),
      e: { error: 'LiveError', kind: 'timeout', code: 'NET-0001', closeCode: 1011, status: undefined },
    });
  });
});

it('stays connected through a 25 s pause with the default KeepAlive, then ends normally', () => {
  let server = fakeDeepgram();
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({ scheduler, idleTimeoutMs: 10000 });
    const events = cold('a 25s b|', { a: A, b: A }).pipe(once(server));
    const keepAlives = ' 2999ms k'.repeat(8);
    expectObservable(summarised(events)).toBe(`o${keepAlives} 1001ms (mu|)`, {
      o: OPEN,
      k: expect.objectContaining({ type: 'KeepAlive' }),
      m: expect.objectContaining({ type: 'Metadata', duration: 0.02 }),
      u: expect.objectContaining({ type: 'Usage', keepAlives: 8, idleSeconds: 25.001 }),
    });
  });
  expect(server.connections[0]?.closed).toMatchObject({ by: 'server', code: 1000 });
});

it('errors with a network LiveError when the server closes normally (1000) before CloseStream', () => {
  scheduler.run(({ cold, expectObservable }) => {
    const server = fakeDeepgram({ scheduler, onConnection: (c) => c.close(1000, '', 20) });
    const events = cold('a', { a: A }).pipe(once(server, { keepAlive: false }));
    expectObservable(summarised(events)).toBe('o 19ms (e|)', {
      o: OPEN,
      e: { error: 'LiveError', kind: 'network', code: undefined, closeCode: 1000, status: undefined },
    });
  });
});

it('errors with a network LiveError when the connection drops', () => {
  scheduler.run(({ cold, expectObservable }) => {
    const server = fakeDeepgram({ scheduler, onConnection: (c) => c.drop(30) });
    const events = cold('a', { a: A }).pipe(once(server, { keepAlive: false }));
    expectObservable(summarised(events)).toBe('o 29ms (e|)', {
      o: OPEN,
      e: { error: 'LiveError', kind: 'network', code: undefined, closeCode: 1006, status: undefined },
    });
  });
});

it('errors with a network LiveError, and closes the socket, when the connection does not open within openTimeoutMs (default 10000)', () => {
  let server!: FakeDeepgram;
  scheduler.run(({ expectObservable }) => {
    server = fakeDeepgram({ scheduler, openDelayMs: false });
    const events = NEVER.pipe(
      once(server),
      catchError((error: unknown) => of(error)),
    );
    expectObservable(events, '^ 20000ms !').toBe('10000ms (e|)', {
      e: expect.objectContaining({
        name: 'LiveError',
        kind: 'network',
        message:
          'the connection to wss://fake.test/v1/listen did not open within 10000 ms (openTimeoutMs): the attempt was abandoned',
      }),
    });
  });
  expect(server.connections[0]!.closed).toMatchObject({ by: 'client', time: 10000 });
});

it('errors on openTimeoutMs, not with closeTimedOut, when the audio ended and the socket never opens (the defaults)', () => {
  // Both bounds are 10000 ms; the open timer, armed at the connection attempt, fires first.
  scheduler.run(({ cold, expectObservable }) => {
    const server = fakeDeepgram({ scheduler, openDelayMs: false });
    const events = cold('a 9ms |', { a: A }).pipe(once(server));
    expectObservable(summarised(events), '^ 30000ms !').toBe('10000ms (e|)', {
      e: { error: 'LiveError', kind: 'network', code: undefined, closeCode: undefined, status: undefined },
    });
  });
});

it('counts the time a credentials function takes toward openTimeoutMs', () => {
  scheduler.run(({ expectObservable }) => {
    const server = fakeDeepgram({ scheduler });
    const events = NEVER.pipe(
      once(server, { apiKey: () => new Promise<string>(() => {}), openTimeoutMs: 2500 }),
    );
    expectObservable(summarised(events), '^ 20000ms !').toBe('2500ms (e|)', {
      e: { error: 'LiveError', kind: 'network', code: undefined, closeCode: undefined, status: undefined },
    });
  });
});

it('keeps a connection that opens just within openTimeoutMs', () => {
  scheduler.run(({ expectObservable }) => {
    const server = fakeDeepgram({ scheduler, openDelayMs: 9999 });
    const events = NEVER.pipe(once(server, { keepAlive: false }));
    expectObservable(summarised(events), '^ 30000ms !').toBe('9999ms o', { o: OPEN });
  });
});

it('errors with a timeout LiveError NET-0000 when the server closes with 1011 mid-stream and reconnect is false', () => {
  let server = fakeDeepgram();
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({ scheduler, onConnection: (c) => c.close(1011, 'NET-0000', 150) });
    const events = cold('a 99ms a 99ms a', { a: A }).pipe(once(server));
    expectObservable(summarised(events)).toBe('o 149ms (e|)', {
      o: OPEN,
      e: { error: 'LiveError', kind: 'timeout', code: 'NET-0000', closeCode: 1011, status: undefined },
    });
  });
  expect(server.connections).toHaveLength(1);
});

it('errors with a bad-audio LiveError when the server closes with 1008 DATA-0000', () => {
  scheduler.run(({ cold, expectObservable }) => {
    const server = fakeDeepgram({ scheduler, onConnection: (c) => c.close(1008, 'DATA-0000', 3) });
    const events = cold('a', { a: A }).pipe(once(server, { keepAlive: false }));
    expectObservable(summarised(events)).toBe('o 2ms (e|)', {
      o: OPEN,
      e: { error: 'LiveError', kind: 'bad-audio', code: 'DATA-0000', closeCode: 1008, status: undefined },
    });
  });
});

describe('without a webSocket factory and without a global WebSocket (Node 20)', () => {
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'WebSocket');
  beforeEach(() => {
    Object.defineProperty(globalThis, 'WebSocket', { value: undefined, configurable: true, writable: true });
  });
  afterEach(() => {
    if (saved === undefined) delete (globalThis as { WebSocket?: unknown }).WebSocket;
    else Object.defineProperty(globalThis, 'WebSocket', saved);
  });

  it('errors with a LiveError telling to pass nodeWebSocket() from deepgram-rx/node', () => {
    let error: unknown;
    NEVER.pipe(
      transcribe({ url: URL, options: OPTIONS, apiKey: 'secret-key-123456', reconnect: false }),
    ).subscribe({
      error: (e: unknown) => (error = e),
    });
    expect(error).toBeInstanceOf(LiveError);
    expect((error as LiveError).message).toContain("webSocket: nodeWebSocket()` from 'deepgram-rx/node'");
    expect((error as LiveError).message).not.toContain('secret-key-123456');
  });
});

it('errors as for a close before CloseStream when the audio ends while the server’s close (1000) is under way', () => {
  // A socket that receives the server's close frame at 150 ms (readyState CLOSING: `send` discards
  // frames, as a WebSocket does) and dispatches `close` at 170 ms; the audio completes at 160 ms.
  const received: string[] = [];
  const factory: WebSocketFactory = () => {
    const listeners = new Map<string, Array<(event: unknown) => void>>();
    let state = 0;
    const fire = (type: string, event: unknown): void => (listeners.get(type) ?? []).forEach((l) => l(event));
    scheduler.schedule(() => ((state = 1), fire('open', {})), 0);
    scheduler.schedule(() => (state = 2), 150);
    scheduler.schedule(() => ((state = 3), fire('close', { code: 1000, reason: '', wasClean: true })), 170);
    const socket = {
      binaryType: 'arraybuffer',
      bufferedAmount: 0,
      protocol: '',
      get readyState() {
        return state;
      },
      send: (data: string | ArrayBufferView) => {
        if (state === 1) received.push(typeof data === 'string' ? data : 'audio');
      },
      close: () => (state = 3),
      addEventListener: (type: string, listener: (event: unknown) => void) =>
        listeners.set(type, [...(listeners.get(type) ?? []), listener]),
      removeEventListener: (type: string, listener: (event: unknown) => void) =>
        listeners.set(
          type,
          (listeners.get(type) ?? []).filter((l) => l !== listener),
        ),
    };
    return socket as unknown as WebSocketLike;
  };
  scheduler.run(({ cold, expectObservable }) => {
    const events = cold('a 99ms a 59ms |', { a: A }).pipe(
      transcribe({
        url: URL,
        options: OPTIONS,
        webSocket: factory,
        scheduler,
        reconnect: false,
        keepAlive: false,
      }),
    );
    expectObservable(summarised(events)).toBe('o 169ms (e|)', {
      o: { type: 'Open', attempt: 1 },
      e: { error: 'LiveError', kind: 'network', code: undefined, closeCode: 1000, status: undefined },
    });
  });
  expect(received).toEqual(['audio', 'audio']);
});
