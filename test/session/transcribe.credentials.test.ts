/**
 * Credentials of transcribe(): an API key (Token) or an access token (Bearer), given as a value or
 * as a function called for every connection attempt, sync or async.
 */
import { lastValueFrom, NEVER, of, tap, toArray } from 'rxjs';
import { transcribe } from '../../src/session/transcribe';
import { fakeDeepgram } from '../../src/testing/fakeDeepgram';
import { chunk, OPEN, OPTIONS, testScheduler, URL } from './transcribeSupport';

const KEY = 'dg-test-key-0123456789';

it('sends a static apiKey as Token credentials', () => {
  const scheduler = testScheduler();
  let server = fakeDeepgram();
  scheduler.run(({ expectObservable }) => {
    server = fakeDeepgram({ scheduler });
    const events = NEVER.pipe(
      transcribe({
        url: URL,
        options: OPTIONS,
        apiKey: KEY,
        webSocket: server.factory,
        scheduler,
        keepAlive: false,
      }),
    );
    expectObservable(events).toBe('o', { o: OPEN });
  });
  expect(server.connections[0]?.credentials).toEqual({ scheme: 'token', secret: KEY });
});

it('sends an accessToken as Bearer credentials', () => {
  const scheduler = testScheduler();
  let server = fakeDeepgram();
  scheduler.run(({ expectObservable }) => {
    server = fakeDeepgram({ scheduler });
    const events = NEVER.pipe(
      transcribe({
        url: URL,
        options: OPTIONS,
        accessToken: 'jwt.a.b',
        webSocket: server.factory,
        scheduler,
        keepAlive: false,
      }),
    );
    expectObservable(events).toBe('o', { o: OPEN });
  });
  expect(server.connections[0]?.credentials).toEqual({ scheme: 'bearer', secret: 'jwt.a.b' });
});

it('calls a sync supplier when subscribing, once per connection, not when transcribe() is called', () => {
  const scheduler = testScheduler();
  let calls = 0;
  let server = fakeDeepgram();
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({ scheduler });
    const operator = transcribe({
      url: URL,
      options: OPTIONS,
      apiKey: () => `${KEY}-${++calls}`,
      webSocket: server.factory,
      scheduler,
      keepAlive: false,
    });
    expect(calls).toBe(0);
    const audio = cold('a', { a: chunk(10) });
    expectObservable(audio.pipe(operator), '^ 5ms !').toBe('o', { o: OPEN });
    expectObservable(audio.pipe(operator), '^ 5ms !').toBe('o', {
      o: { ...OPEN, requestId: '00000000-0000-4000-8000-000000000002' },
    });
  });
  expect(calls).toBe(2);
  expect(server.connections.map((c) => c.credentials?.secret)).toEqual([`${KEY}-1`, `${KEY}-2`]);
});

it('waits for an async supplier before connecting, calling it again for every connection', async () => {
  const server = fakeDeepgram();
  const supplied: string[] = [];
  const operator = transcribe({
    url: URL,
    options: OPTIONS,
    accessToken: async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      const token = `token-${supplied.length + 1}`;
      supplied.push(token);
      return token;
    },
    webSocket: server.factory,
  });
  const first = await lastValueFrom(of(chunk(10)).pipe(operator, toArray()));
  const second = await lastValueFrom(of(chunk(10)).pipe(operator, toArray()));
  expect(first.map((event) => event.type)).toEqual(['Open', 'Metadata', 'Usage']);
  expect(second.map((event) => event.type)).toEqual(['Open', 'Metadata', 'Usage']);
  expect(server.connections.map((c) => c.credentials)).toEqual([
    { scheme: 'bearer', secret: 'token-1' },
    { scheme: 'bearer', secret: 'token-2' },
  ]);
  expect(server.connections.map((c) => c.audioBytes)).toEqual([320, 320]);
});

it('passes on the error of a supplier that rejects, without connecting', async () => {
  const server = fakeDeepgram();
  const failure = new Error('token service unavailable');
  const events$ = of(chunk(10)).pipe(
    transcribe({
      url: URL,
      options: OPTIONS,
      apiKey: () => Promise.reject(failure),
      webSocket: server.factory,
    }),
  );
  await expect(lastValueFrom(events$)).rejects.toBe(failure);
  expect(server.connections).toHaveLength(0);
});

it.each([
  [
    'an empty key',
    { apiKey: () => Promise.resolve('  ') },
    'transcribe: the apiKey function gave an empty string, not a key',
  ],
  [
    'a token with a trailing newline (as fetch(…).then((r) => r.text()) may give)',
    { accessToken: () => Promise.resolve('eyJhbGciOiJIUzI1NiJ9.token\n') },
    'transcribe: what the accessToken function gave contains whitespace, a control or a non-ASCII character (a trailing newline from a token endpoint?); API keys and tokens have none',
  ],
] as const)(
  'errors with a TypeError that does not echo it, without connecting, when a supplier gives %s',
  async (_what, credentials, message) => {
    const server = fakeDeepgram();
    const events$ = of(chunk(10)).pipe(
      transcribe({ url: URL, options: OPTIONS, ...credentials, webSocket: server.factory }),
    );
    await expect(lastValueFrom(events$)).rejects.toThrow(new TypeError(message));
    expect(server.connections).toHaveLength(0);
  },
);

it('retries with backoff when the supplier fails on a reconnection attempt, reporting a network LiveError', () => {
  const scheduler = testScheduler();
  const reconnecting: unknown[] = [];
  let calls = 0;
  scheduler.run(({ cold, expectObservable }) => {
    const server = fakeDeepgram({
      scheduler,
      onConnection: (c) => (c.index === 0 ? c.open(0).drop(15) : c.open(0)),
    });
    const fetchFailed = new TypeError('fetch failed');
    const apiKey = (): string => {
      calls++;
      if (calls === 2) throw fetchFailed; // the outage is not over at the first retry
      return KEY;
    };
    const events = cold('a 9ms a 9ms a 9ms a', { a: chunk(10) }).pipe(
      transcribe({
        url: URL,
        options: OPTIONS,
        apiKey,
        webSocket: server.factory,
        scheduler,
        reconnect: { jitter: 0, initialDelayMs: 100 },
      }),
      tap((event) => {
        if (event.type === 'Reconnecting') reconnecting.push(event.error);
      }),
    );
    expectObservable(events, '^ 1s !').toBe('o 14ms r 99ms r 199ms o', {
      o: expect.objectContaining({ type: 'Open' }) as unknown,
      r: expect.objectContaining({ type: 'Reconnecting' }) as unknown,
    });
  });
  expect(calls).toBe(3);
  expect(reconnecting[1]).toEqual(
    expect.objectContaining({
      kind: 'network',
      message: 'the apiKey function failed: fetch failed (reconnection attempt 1)',
      cause: expect.any(TypeError) as unknown,
    }),
  );
});
