/**
 * The chunk path of transcribe(): while nothing waits in the outbox, audio goes straight to the
 * socket's send target (`WebSocketLike.sendTarget`, the `ws` socket under nodeWebSocket()), and
 * control frames through the socket; order, backpressure, failures and the counts are the same as
 * through the outbox.
 */
import type { TestScheduler } from 'rxjs/testing';
import { CLOSE_STREAM, KEEP_ALIVE } from '../../src/protocol/frames';
import type { LiveEvent } from '../../src/session/liveEvent';
import type { SendTarget, WebSocketFactory, WebSocketLike } from '../../src/socket/webSocketLike';
import { fakeDeepgram, type FakeDeepgram } from '../../src/testing/fakeDeepgram';
import { fakeResults } from '../../src/testing/fakeMessages';
import { chunk, OPEN, summarised, testScheduler, transcribeOnFake } from './transcribeSupport';

let scheduler: TestScheduler;

beforeEach(() => {
  scheduler = testScheduler();
});

const A = chunk(10, 1); // 320 bytes each
const B = chunk(10, 2);
const C = chunk(10, 3);
const D = chunk(10, 4);

/** Which way each frame went: `target` (the send target) or `socket` (the socket's own `send`). */
type Route = ['target' | 'socket', string | ArrayBufferView];

/**
 * The fake's sockets behind an adapter with a separate send target, as nodeWebSocket() has: both
 * reach the same fake socket, and `routes` records which one each frame took. `failTarget` makes
 * the target's `send` throw.
 */
function adapted(server: FakeDeepgram, routes: Route[], failTarget = false): WebSocketFactory {
  return (request) => {
    const socket = server.factory(request);
    const sendTarget: SendTarget = {
      get readyState() {
        return socket.readyState;
      },
      get bufferedAmount() {
        return socket.bufferedAmount;
      },
      send(data) {
        if (failTarget) throw new Error('EPIPE: broken pipe');
        routes.push(['target', data]);
        socket.send(data);
      },
    };
    const adapter: WebSocketLike = {
      get binaryType() {
        return socket.binaryType;
      },
      set binaryType(type: string) {
        socket.binaryType = type;
      },
      get readyState() {
        return socket.readyState;
      },
      get bufferedAmount() {
        return socket.bufferedAmount;
      },
      get protocol() {
        return socket.protocol;
      },
      get upgradeResponse() {
        return socket.upgradeResponse;
      },
      sendTarget,
      send(data) {
        routes.push(['socket', data]);
        socket.send(data);
      },
      close: (code, reason) => socket.close(code, reason),
      addEventListener: (type, listener) => socket.addEventListener(type, listener),
      removeEventListener: (type, listener) => socket.removeEventListener(type, listener),
    };
    return adapter;
  };
}

it('writes audio chunks to the send target and control frames through the socket, in the order they came', () => {
  const routes: Route[] = [];
  let server = fakeDeepgram();
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({ scheduler });
    const events = cold('a 99ms b 499ms c 9ms |', { a: A, b: B, c: C }).pipe(
      transcribeOnFake(server, scheduler, { webSocket: adapted(server, routes), keepAlive: { idleMs: 300 } }),
    );
    expectObservable(events).toBe('o 399ms k 209ms (mu|)', {
      o: OPEN,
      k: { type: 'KeepAlive', at: 400 },
      m: expect.objectContaining({ type: 'Metadata', duration: 0.03 }),
      u: expect.objectContaining({ type: 'Usage', audioBytes: 960, keepAlives: 1, reconciled: true }),
    });
  });
  // A connection's first chunk goes through the outbox (which starts it on a sample frame).
  expect(routes).toEqual([
    ['socket', A],
    ['target', B],
    ['socket', KEEP_ALIVE],
    ['target', C],
    ['socket', CLOSE_STREAM],
  ]);
  expect(server.connections[0]!.sent.map((frame) => frame.data)).toEqual([A, B, KEEP_ALIVE, C, CLOSE_STREAM]);
});

it('sends audio through the outbox while frames wait behind backpressure, and straight to the target again once they drained', () => {
  const routes: Route[] = [];
  let server = fakeDeepgram();
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({
      scheduler,
      onConnection: (c) => {
        scheduler.schedule(() => (c.bufferedAmount = 5000), 5);
        scheduler.schedule(() => (c.bufferedAmount = 0), 25);
      },
    });
    const audio = cold('a 9ms b 9ms c 19ms d', { a: A, b: B, c: C, d: D });
    const events = audio.pipe(
      transcribeOnFake(server, scheduler, {
        webSocket: adapted(server, routes),
        keepAlive: false,
        backpressure: { highWaterBytes: 1000, pollMs: 10 },
      }),
    );
    expectObservable(events, '^ 100ms !').toBe('o', { o: OPEN });
  });
  // B and C wait (B above the high-water mark, C behind B) and go out through the socket at the
  // first poll after the drain; D finds the outbox empty.
  expect(routes).toEqual([
    ['socket', A],
    ['socket', B],
    ['socket', C],
    ['target', D],
  ]);
  expect(server.connections[0]!.sent.map((frame) => [frame.time, frame.data])).toEqual([
    [0, A],
    [30, B],
    [30, C],
    [40, D],
  ]);
});

it('loses the connection with a protocol LiveError when the send target throws, as when the socket does', () => {
  let server = fakeDeepgram();
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({ scheduler });
    // A, the connection's first chunk, goes through the outbox; B to the target, which throws.
    const events = cold('a 9ms b', { a: A, b: B }).pipe(
      transcribeOnFake(server, scheduler, { webSocket: adapted(server, [], true), reconnect: false }),
    );
    expectObservable(summarised(events)).toBe('o 9ms (e|)', {
      o: OPEN,
      e: { error: 'LiveError', kind: 'protocol', code: undefined, closeCode: undefined, status: undefined },
    });
  });
  expect(server.connections[0]!.closed).toMatchObject({ by: 'client', time: 10 });
});

// Mapping server times through spans written this way is covered by transcribe.timeline.test.ts:
// the fake's socket is its own send target, so those sessions take the same path.
it('counts the chunks written to the send target in Usage and delivers the Results that cover them', () => {
  const routes: Route[] = [];
  const events: LiveEvent[] = [];
  scheduler.run(({ cold, flush }) => {
    // Results for the 20 ms of audio once both chunks are in; Metadata and the close at CloseStream.
    const server = fakeDeepgram({
      scheduler,
      onConnection: (c) => {
        scheduler.schedule(() => c.emit(fakeResults({ transcript: 'hi', start: 0, duration: 0.02 })), 30);
      },
    });
    cold('a 9ms b 29ms |', { a: A, b: B })
      .pipe(transcribeOnFake(server, scheduler, { webSocket: adapted(server, routes), keepAlive: false }))
      .subscribe((event) => events.push(event));
    flush();
  });
  expect(routes.filter((r) => typeof r[1] !== 'string')).toEqual([
    ['socket', A],
    ['target', B],
  ]);
  expect(events.find((event) => event.type === 'Results')).toMatchObject({ start: 0, duration: 0.02 });
  expect(events.at(-1)).toMatchObject({ type: 'Usage', audioBytes: 640, audioSeconds: 0.02, final: true });
});
