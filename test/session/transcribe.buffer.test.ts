/**
 * The bounded queue of transcribe(): audio waits before the socket opens and while the socket's send
 * buffer is above the high-water mark; past maxBufferBytes the session fails loudly.
 */
import { NEVER } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { KEEP_ALIVE } from '../../src/protocol/frames';
import { AudioBufferOverflowError } from '../../src/session/audioBufferOverflowError';
import { resolveTranscribeConfig } from '../../src/session/transcribeConfig';
import { fakeDeepgram } from '../../src/testing/fakeDeepgram';
import { chunk, OPEN, OPTIONS, summarised, testScheduler, transcribeOnFake } from './transcribeSupport';

let scheduler: TestScheduler;
let server = fakeDeepgram();

beforeEach(() => {
  scheduler = testScheduler();
});

const A = chunk(10, 1); // 320 bytes each
const B = chunk(10, 2);
const C = chunk(10, 3);
const D = chunk(10, 4);

it('errors with an AudioBufferOverflowError when more than maxBufferBytes wait for the socket to open, with reconnect: false', () => {
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({ scheduler, openDelayMs: false });
    const events = cold('abcd', { a: A, b: B, c: C, d: D }).pipe(
      transcribeOnFake(server, scheduler, {
        maxBufferBytes: 1000,
        reconnect: false,
      }),
    );
    expectObservable(summarised(events)).toBe('---(e|)', {
      e: { error: 'AudioBufferOverflowError', waitingFor: 'open', bufferedBytes: 1280 },
    });
  });
  expect(server.connections[0]?.closed).toMatchObject({ by: 'client', time: 3 });
});

it('drops the oldest audio past maxBufferBytes before the first open, and names it in a Gap, when reconnection is on (the default)', () => {
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({ scheduler, openDelayMs: 10 });
    const events = cold('abcd', { a: A, b: B, c: C, d: D }).pipe(
      transcribeOnFake(server, scheduler, { maxBufferBytes: 1000 }),
    );
    expectObservable(events, '^ 20ms !').toBe('10ms (go)', {
      g: { type: 'Gap', from: 0, to: 0.01, reason: expect.stringContaining('maxBufferBytes') },
      o: OPEN,
    });
  });
  expect(server.connections[0]?.sent.map((frame) => frame.data)).toEqual([B, C, D]);
});

it('names the bound, what the audio waited for and how to raise it in the overflow message', () => {
  const error = new AudioBufferOverflowError(1280, 1000, 'open');
  expect(error).toBeInstanceOf(Error);
  expect(error.message).toContain('1280 bytes of audio waited for the connection to open');
  expect(error.message).toContain('maxBufferBytes (1000)');
});

it('accepts exactly maxBufferBytes waiting before the socket opens', () => {
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({ scheduler, openDelayMs: 10 });
    const events = cold('abc', { a: A, b: B, c: C }).pipe(
      transcribeOnFake(server, scheduler, { maxBufferBytes: 960 }),
    );
    expectObservable(events, '^ 20ms !').toBe('10ms o', { o: OPEN });
  });
  expect(server.connections[0]?.audioBytes).toBe(960);
});

it('holds frames while bufferedAmount is above the high-water mark and sends them in order once it drains', () => {
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({
      scheduler,
      onConnection: (c) => {
        scheduler.schedule(() => (c.bufferedAmount = 5000), 20);
        scheduler.schedule(() => (c.bufferedAmount = 0), 55);
      },
    });
    const audio = cold('a 29ms b 9ms c 22ms d', { a: A, b: B, c: C, d: D });
    const finalize$ = cold('45ms x', { x: undefined });
    const events = audio.pipe(
      transcribeOnFake(server, scheduler, {
        finalize$,
        keepAlive: false,
        backpressure: { highWaterBytes: 1000, pollMs: 10 },
      }),
    );
    expectObservable(events, '^ 100ms !').toBe('o', { o: OPEN });
  });
  expect(server.connections[0]!.sent.map((frame) => [frame.time, frame.data])).toEqual([
    [0, A],
    [60, B],
    [60, C],
    [60, '{"type":"Finalize"}'],
    [63, D],
  ]);
});

it('queues a KeepAlive behind audio held back by backpressure', () => {
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({
      scheduler,
      onConnection: (c) => {
        scheduler.schedule(() => (c.bufferedAmount = 5000), 5);
        scheduler.schedule(() => (c.bufferedAmount = 0), 150);
      },
    });
    const events = cold('a 9ms b', { a: A, b: B }).pipe(
      transcribeOnFake(server, scheduler, {
        keepAlive: { idleMs: 100 },
        backpressure: { highWaterBytes: 1000, pollMs: 50 },
      }),
    );
    expectObservable(events, '^ 200ms !').toBe('o 159ms k', { o: OPEN, k: { type: 'KeepAlive', at: 160 } });
  });
  expect(server.connections[0]!.sent.map((frame) => [frame.time, frame.data])).toEqual([
    [0, A],
    [160, B],
    [160, KEEP_ALIVE],
  ]);
});

it('keeps at most one KeepAlive waiting behind backpressure: one goes out when it drains, not a burst', () => {
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({
      scheduler,
      onConnection: (c) => {
        scheduler.schedule(() => (c.bufferedAmount = 5000), 5);
        scheduler.schedule(() => (c.bufferedAmount = 0), 1000);
      },
    });
    // KeepAlives fall due at 110, 210, …, 910 while the buffer stays full.
    const events = cold('a 9ms b', { a: A, b: B }).pipe(
      transcribeOnFake(server, scheduler, {
        keepAlive: { idleMs: 100 },
        backpressure: { highWaterBytes: 1000, pollMs: 50 },
      }),
    );
    // The poll (every 50 ms from 10) finds it drained at 1010: B, then ONE KeepAlive; the next 100 ms later.
    expectObservable(events, '^ 1120ms !').toBe('o 1009ms k 99ms k', {
      o: OPEN,
      k: expect.objectContaining({ type: 'KeepAlive' }),
    });
  });
  expect(server.connections[0]!.sent.map((frame) => frame.time)).toEqual([0, 1010, 1010, 1110]);
});

it('does not let waiting KeepAlives fill the bounded queue while the socket stays busy in a pause', () => {
  const seen: string[] = [];
  scheduler.run(({ cold }) => {
    server = fakeDeepgram({
      scheduler,
      onConnection: (c) => {
        scheduler.schedule(() => (c.bufferedAmount = 5000), 5);
        scheduler.schedule(() => (c.bufferedAmount = 0), 3000);
      },
    });
    // B (320 bytes) waits, limit 340: only the KeepAlives could push the queue over it.
    cold('a 9ms b 5000ms |', { a: A, b: B })
      .pipe(
        transcribeOnFake(server, scheduler, {
          keepAlive: { idleMs: 100 },
          maxBufferBytes: 340,
          reconnect: false,
          backpressure: { highWaterBytes: 1000, pollMs: 50 },
        }),
      )
      .subscribe({
        next: (e) => seen.push(e.type),
        error: (e: Error) => seen.push(`error ${e.name}`),
        complete: () => seen.push('complete'),
      });
  });
  expect(seen.at(-1)).toBe('complete');
});

it('errors with an AudioBufferOverflowError waiting for drain when the socket stays busy, with reconnect: false', () => {
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({ scheduler, onConnection: (c) => (c.bufferedAmount = 1_000_000) });
    const events = cold('1ms a b c', { a: A, b: B, c: C }).pipe(
      transcribeOnFake(server, scheduler, {
        maxBufferBytes: 700,
        reconnect: false,
      }),
    );
    expectObservable(summarised(events)).toBe('o 2ms (e|)', {
      o: OPEN,
      e: { error: 'AudioBufferOverflowError', waitingFor: 'drain', bufferedBytes: 960 },
    });
  });
  expect(server.connections[0]?.sent).toEqual([]);
});

it('sends nothing more and polls no more once the session is unsubscribed while frames wait', () => {
  let live = -1;
  scheduler.run(({ cold }) => {
    server = fakeDeepgram({ scheduler, onConnection: (c) => (c.bufferedAmount = 1_000_000) });
    const subscription = cold('a', { a: A })
      .pipe(transcribeOnFake(server, scheduler, { keepAlive: false }))
      .subscribe();
    scheduler.schedule(() => subscription.unsubscribe(), 30);
    scheduler.schedule(() => (live = scheduler.actions.filter((action) => !action.closed).length), 31);
  });
  expect(server.connections[0]?.sent).toEqual([]);
  expect(live).toBe(0);
});

it('defaults maxBufferBytes to 4 MiB, or 30 s of audio when that is more', () => {
  expect(resolveTranscribeConfig({ options: OPTIONS }).maxBufferBytes).toBe(4 * 1024 * 1024);
  expect(resolveTranscribeConfig({}).maxBufferBytes).toBe(4 * 1024 * 1024);
  const hifi = { encoding: 'linear16', sample_rate: 48000, channels: 2 } as const;
  expect(resolveTranscribeConfig({ options: hifi }).maxBufferBytes).toBe(30 * 192000);
});

it('never overflows with maxBufferBytes: Infinity', () => {
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({ scheduler, openDelayMs: 10 });
    const big = new Uint8Array(8 * 1024 * 1024);
    const events = cold('a', { a: big }).pipe(
      transcribeOnFake(server, scheduler, {
        maxBufferBytes: Infinity,
      }),
    );
    expectObservable(events, '^ 20ms !').toBe('10ms o', { o: OPEN });
  });
  expect(server.connections[0]?.audioBytes).toBe(8 * 1024 * 1024);
});

it('does not count KeepAlives that were due before the socket opened against the buffer', () => {
  scheduler.run(({ expectObservable }) => {
    server = fakeDeepgram({ scheduler, openDelayMs: 500 });
    const events = NEVER.pipe(
      transcribeOnFake(server, scheduler, {
        maxBufferBytes: 1,
        keepAlive: { idleMs: 10 },
      }),
    );
    expectObservable(events, '^ 505ms !').toBe('500ms (ok)', { o: OPEN, k: { type: 'KeepAlive', at: 500 } });
  });
  expect(server.connections[0]?.textFrames).toEqual([KEEP_ALIVE]);
});
