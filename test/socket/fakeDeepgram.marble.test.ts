/**
 * Marble tests of the fake Deepgram (deepgram-rx/testing) driving liveSocket in virtual time.
 */
import { catchError, Observable, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { CLOSE_STREAM, KEEP_ALIVE, type Frame } from '../../src/protocol/frames';
import { LiveError } from '../../src/socket/liveError';
import { liveSocket, type OpenSocket, type SocketEvent } from '../../src/socket/liveSocket';
import { fakeDeepgram } from '../../src/testing/fakeDeepgram';
import { fakeResults } from '../../src/testing/fakeMessages';

const URL = 'wss://fake.test/v1/listen?encoding=linear16&sample_rate=16000';
const RID = '00000000-0000-4000-8000-000000000001';
const NET_0001 =
  'Deepgram did not receive audio data or a text message within the timeout window. See https://dpgr.am/net0001';
const SPEECH = { type: 'SpeechStarted', channel: [0, 1], timestamp: 0.5 };

let scheduler: TestScheduler;

beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

/** Ends the stream with a plain summary of its error, so marbles can compare it. */
function summarised(source: Observable<SocketEvent>): Observable<SocketEvent | Record<string, unknown>> {
  return source.pipe(
    catchError((error: unknown) =>
      of(
        error instanceof LiveError
          ? { error: error.kind, code: error.code, closeCode: error.closeCode, status: error.status }
          : { error: String(error) },
      ),
    ),
  );
}

const opened = { type: 'open', requestId: RID, protocol: '' };

it('opens after openDelayMs and emits the open event with the connection’s request id', () => {
  scheduler.run(({ expectObservable }) => {
    const server = fakeDeepgram({ scheduler, openDelayMs: 5 });
    expectObservable(liveSocket({ url: URL, webSocket: server.factory })).toBe('5ms o', { o: opened });
  });
});

it('records each frame the client sent with its virtual time, text or binary', () => {
  const audio = new Uint8Array([1, 2, 3, 4]);
  let server = fakeDeepgram();
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({ scheduler, openDelayMs: 5 });
    const frames = cold<Frame>('a 9ms b', { a: audio, b: KEEP_ALIVE });
    expectObservable(liveSocket({ url: URL, webSocket: server.factory, frames })).toBe('5ms o', {
      o: opened,
    });
  });
  expect(server.connections[0]?.sent).toEqual([
    { time: 5, type: 'binary', data: new Uint8Array([1, 2, 3, 4]) },
    { time: 15, type: 'text', data: KEEP_ALIVE },
  ]);
});

it('records exactly the bytes of a subarray view', () => {
  let server = fakeDeepgram();
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({ scheduler });
    const view = new Uint8Array([9, 8, 7, 6, 5]).subarray(1, 3);
    expectObservable(
      liveSocket({ url: URL, webSocket: server.factory, frames: cold<Frame>('a', { a: view }) }),
    ).toBe('o', { o: opened });
  });
  expect(server.connections[0]?.sent[0]?.data).toEqual(new Uint8Array([8, 7]));
});

it('delivers scripted server messages at their times and a raw non-JSON text as a decode failure', () => {
  scheduler.run(({ expectObservable }) => {
    const server = fakeDeepgram({ scheduler, onConnection: (c) => c.emit(SPEECH, 10).emit('oops', 20) });
    expectObservable(liveSocket({ url: URL, webSocket: server.factory })).toBe('o 9ms m 9ms f', {
      o: opened,
      m: { type: 'message', message: SPEECH },
      f: {
        type: 'decode-failure',
        failure: { raw: 'oops', errors: [expect.stringContaining('invalid JSON')] },
      },
    });
  });
});

it('errors with a timeout LiveError at the time the server closes with 1011 NET-0001', () => {
  scheduler.run(({ expectObservable }) => {
    const server = fakeDeepgram({ scheduler, onConnection: (c) => c.close(1011, NET_0001, 30) });
    expectObservable(summarised(liveSocket({ url: URL, webSocket: server.factory }))).toBe('o 29ms (e|)', {
      o: opened,
      e: { error: 'timeout', code: 'NET-0001', closeCode: 1011, status: undefined },
    });
  });
});

it('answers CloseStream with Metadata for the audio received, then completes on the 1000 close', () => {
  scheduler.run(({ cold, expectObservable }) => {
    const server = fakeDeepgram({ scheduler, closeStreamDelayMs: 50 });
    const frames = cold<Frame>('a 9ms c', { a: new Uint8Array(32000), c: CLOSE_STREAM });
    expectObservable(liveSocket({ url: URL, webSocket: server.factory, frames })).toBe('o 59ms (m|)', {
      o: opened,
      m: {
        type: 'message',
        message: expect.objectContaining({ type: 'Metadata', request_id: RID, duration: 1, channels: 1 }),
      },
    });
  });
});

it('errors with an auth LiveError carrying status and code when the handshake is refused with 401', () => {
  scheduler.run(({ expectObservable }) => {
    const server = fakeDeepgram({ scheduler, onConnection: (c) => c.failHandshake(401, { delayMs: 8 }) });
    expectObservable(summarised(liveSocket({ url: URL, webSocket: server.factory }))).toBe('8ms (e|)', {
      e: { error: 'auth', code: 'INVALID_AUTH', closeCode: undefined, status: 401 },
    });
  });
});

it('behaves like a browser when browserLike: a refused handshake is a network error', () => {
  scheduler.run(({ expectObservable }) => {
    const server = fakeDeepgram({ scheduler, browserLike: true, onConnection: (c) => c.failHandshake(401) });
    expectObservable(summarised(liveSocket({ url: URL, webSocket: server.factory }))).toBe('(e|)', {
      e: { error: 'network', code: undefined, closeCode: 1006, status: undefined },
    });
  });
});

it('selects the auth scheme as the subprotocol and has no request id when browserLike', () => {
  scheduler.run(({ expectObservable }) => {
    const server = fakeDeepgram({ scheduler, browserLike: true });
    const socket$ = liveSocket({
      url: URL,
      credentials: { scheme: 'token', secret: 'k' },
      webSocket: server.factory,
    });
    expectObservable(socket$).toBe('o', { o: { type: 'open', protocol: 'token' } });
  });
});

it('emulates the inactivity timeout: Metadata, then a NET-0001 timeout after idleTimeoutMs without frames', () => {
  scheduler.run(({ cold, expectObservable }) => {
    const server = fakeDeepgram({ scheduler, idleTimeoutMs: 100 });
    const frames = cold<Frame>('20ms k', { k: KEEP_ALIVE });
    expectObservable(summarised(liveSocket({ url: URL, webSocket: server.factory, frames }))).toBe(
      'o 119ms (me|)',
      {
        o: opened,
        m: { type: 'message', message: expect.objectContaining({ type: 'Metadata' }) },
        e: { error: 'timeout', code: 'NET-0001', closeCode: 1011, status: undefined },
      },
    );
  });
});

it('errors with a network LiveError when the server drops the connection', () => {
  scheduler.run(({ expectObservable }) => {
    const server = fakeDeepgram({ scheduler, onConnection: (c) => c.drop(12) });
    expectObservable(summarised(liveSocket({ url: URL, webSocket: server.factory }))).toBe('o 11ms (e|)', {
      o: opened,
      e: { error: 'network', code: undefined, closeCode: 1006, status: undefined },
    });
  });
});

it('records a client close with 1000 at the unsubscription time and leaves no listener', () => {
  let server = fakeDeepgram();
  scheduler.run(({ expectObservable }) => {
    server = fakeDeepgram({ scheduler });
    expectObservable(liveSocket({ url: URL, webSocket: server.factory }), '^ 9ms !').toBe('o', { o: opened });
  });
  const connection = server.connections[0];
  expect(connection?.closed).toEqual({ by: 'client', code: 1000, reason: '', time: 10 });
  expect(connection?.listenerCount()).toBe(0);
});

it('errors with a TypeError and closes the socket when the frames function returns no Observable', () => {
  let server = fakeDeepgram();
  scheduler.run(({ expectObservable }) => {
    server = fakeDeepgram({ scheduler, openDelayMs: 5 });
    // A JavaScript caller whose function forgot its `return`.
    const frames = (() => undefined) as unknown as () => Observable<Frame>;
    expectObservable(summarised(liveSocket({ url: URL, webSocket: server.factory, frames }))).toBe(
      '5ms (oe|)',
      {
        o: opened,
        e: { error: 'TypeError: liveSocket: the frames function must return an Observable' },
      },
    );
  });
  expect(server.connections[0]?.closed).toMatchObject({ by: 'client', code: 1000, time: 5 });
});

it('records a client close while still connecting when unsubscribed before open', () => {
  let server = fakeDeepgram();
  scheduler.run(({ expectObservable }) => {
    server = fakeDeepgram({ scheduler, openDelayMs: 50 });
    expectObservable(liveSocket({ url: URL, webSocket: server.factory }), '^ 9ms !').toBe('');
  });
  expect(server.connections[0]?.closed).toMatchObject({ by: 'client', time: 10 });
  expect(server.connections[0]?.readyState).toBe(3);
});

it('stays connecting until the test opens the connection when openDelayMs is false', () => {
  scheduler.run(({ expectObservable }) => {
    const server = fakeDeepgram({ scheduler, openDelayMs: false });
    scheduler.schedule(() => server.last?.open(), 30);
    expectObservable(liveSocket({ url: URL, webSocket: server.factory })).toBe('30ms o', { o: opened });
  });
});

it('shows the frames function the bufferedAmount the test sets', () => {
  const seen: number[] = [];
  scheduler.run(({ cold, expectObservable }) => {
    const server = fakeDeepgram({ scheduler, onConnection: (c) => (c.bufferedAmount = 4096) });
    const frames = (socket: OpenSocket): Observable<Frame> => {
      seen.push(socket.bufferedAmount);
      return cold<Frame>('');
    };
    expectObservable(liveSocket({ url: URL, webSocket: server.factory, frames })).toBe('o', { o: opened });
  });
  expect(seen).toEqual([4096]);
});

it('makes one connection per subscription with its own request id', () => {
  let server = fakeDeepgram();
  scheduler.run(({ expectObservable }) => {
    server = fakeDeepgram({ scheduler });
    const socket$ = liveSocket({ url: URL, webSocket: server.factory });
    expectObservable(socket$).toBe('o', { o: opened });
    expectObservable(socket$).toBe('o', {
      o: { ...opened, requestId: '00000000-0000-4000-8000-000000000002' },
    });
  });
  expect(server.connections.map((c) => c.index)).toEqual([0, 1]);
});

it('throws a script error when the test emits before the connection opened', () => {
  expect(() =>
    scheduler.run(() => {
      const server = fakeDeepgram({ scheduler, openDelayMs: 20, onConnection: (c) => c.emit(SPEECH, 10) });
      liveSocket({ url: URL, webSocket: server.factory }).subscribe();
    }),
  ).toThrow('emit() before the socket opened');
});

it('throws a script error when the test emits Metadata before the connection opened', () => {
  expect(() =>
    scheduler.run(() => {
      const server = fakeDeepgram({ scheduler, openDelayMs: false, onConnection: (c) => c.emitMetadata(10) });
      liveSocket({ url: URL, webSocket: server.factory }).subscribe();
    }),
  ).toThrow('emitMetadata() before the socket opened');
});

it.each([0, 20])(
  'delivers a message scripted for the open time itself (openDelayMs %i) on the open socket',
  (openDelayMs) => {
    scheduler.run(({ expectObservable }) => {
      const server = fakeDeepgram({
        scheduler,
        openDelayMs,
        onConnection: (c) => c.emit(SPEECH, openDelayMs).close(1000, '', openDelayMs),
      });
      const at = openDelayMs === 0 ? '' : `${openDelayMs}ms `;
      expectObservable(liveSocket({ url: URL, webSocket: server.factory })).toBe(`${at}(om|)`, {
        o: opened,
        m: { type: 'message', message: SPEECH },
      });
    });
  },
);

it('ignores CloseStream when configured with closeStream: "ignore"', () => {
  let server = fakeDeepgram();
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({ scheduler, closeStream: 'ignore' });
    const frames = cold<Frame>('c', { c: CLOSE_STREAM });
    expectObservable(liveSocket({ url: URL, webSocket: server.factory, frames })).toBe('o', { o: opened });
  });
  expect(server.connections[0]?.closed).toBeUndefined();
});

it('sums the audio bytes and lists the text frames the client sent', () => {
  let server = fakeDeepgram();
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({ scheduler });
    const frames = cold<Frame>('a k b', { a: new Uint8Array(320), k: KEEP_ALIVE, b: new Uint8Array(160) });
    expectObservable(liveSocket({ url: URL, webSocket: server.factory, frames })).toBe('o', { o: opened });
  });
  expect([server.connections[0]?.audioBytes, server.connections[0]?.textFrames]).toEqual([480, [KEEP_ALIVE]]);
});

it('builds Results with fakeResults that liveSocket decodes as messages', () => {
  const results = fakeResults({ transcript: 'Hello world.', start: 2, duration: 1, is_final: false });
  scheduler.run(({ expectObservable }) => {
    const server = fakeDeepgram({ scheduler, onConnection: (c) => c.emit(results, 5) });
    expectObservable(liveSocket({ url: URL, webSocket: server.factory })).toBe('o 4ms r', {
      o: opened,
      r: { type: 'message', message: results },
    });
  });
  expect(results.channel.alternatives[0]?.words.map((w) => [w.punctuated_word, w.start, w.end])).toEqual([
    ['Hello', 2, 2.5],
    ['world.', 2.5, 3],
  ]);
});

it('errors with a protocol LiveError and unsubscribes frames when a frame cannot be sent', () => {
  let unsubscribedAt: number | undefined;
  scheduler.run(({ expectObservable }) => {
    const server = fakeDeepgram({ scheduler, openDelayMs: 3 });
    const frames = new Observable<Frame>((subscriber) => {
      subscriber.next({} as Uint8Array); // not an ArrayBufferView: the transport's send throws
      return () => (unsubscribedAt = scheduler.now());
    });
    expectObservable(summarised(liveSocket({ url: URL, webSocket: server.factory, frames }))).toBe(
      '3ms (oe|)',
      {
        o: opened,
        e: { error: 'protocol', code: undefined, closeCode: undefined, status: undefined },
      },
    );
  });
  expect(unsubscribedAt).toBe(3);
});

describe('fakeDeepgram options', () => {
  it("refuses a closeStream other than 'metadata-and-close' or 'ignore' when called", () => {
    expect(() => fakeDeepgram({ closeStream: 'metadata' as 'ignore' })).toThrow(
      new RangeError(`fakeDeepgram: closeStream must be 'metadata-and-close' or 'ignore', got "metadata"`),
    );
  });

  it.each([-5, Number.NaN])('refuses closeStreamDelayMs %p when called', (closeStreamDelayMs) => {
    expect(() => fakeDeepgram({ closeStreamDelayMs })).toThrow(
      new RangeError(`fakeDeepgram: closeStreamDelayMs must be ≥ 0, got ${closeStreamDelayMs}`),
    );
  });

  it.each([0, 2 ** 31])('refuses idleTimeoutMs %p when called', (idleTimeoutMs) => {
    expect(() => fakeDeepgram({ idleTimeoutMs })).toThrow(/^fakeDeepgram: idleTimeoutMs must be > 0/);
  });
});

it('keeps the frames a client sends after the close apart, in discarded: the server never got them', () => {
  let server!: ReturnType<typeof fakeDeepgram>;
  scheduler.run(() => {
    server = fakeDeepgram({ scheduler, onConnection: (c) => c.close(1000, '', 10) });
    const socket = server.factory({ url: URL, credentials: undefined });
    scheduler.schedule(() => socket.send(KEEP_ALIVE), 5);
    scheduler.schedule(() => socket.send(new Uint8Array([1, 2])), 20);
  });
  const connection = server.connections[0]!;
  expect([connection.sent.map((f) => f.time), connection.discarded.map((f) => [f.time, f.type])]).toEqual([
    [5],
    [[20, 'binary']],
  ]);
});
