/**
 * transcribe() with `reconnect`, in virtual time against the fake Deepgram: the backoff schedule,
 * what is retried, the replay of audio not yet final, pacing, gaps, half-open detection.
 */
import { concat, NEVER, type Observable, type OperatorFunction } from 'rxjs';
import type { RunHelpers, TestScheduler } from 'rxjs/testing';
import type { LiveEvent } from '../../src/session/liveEvent';
import { transcribe } from '../../src/session/transcribe';
import type { TranscribeConfig } from '../../src/session/transcribeConfig';
import { fakeDeepgram, type FakeDeepgram } from '../../src/testing/fakeDeepgram';
import type { FakeConnection } from '../../src/testing/fakeConnection';
import { fakeResults } from '../../src/testing/fakeMessages';
import { audioTimes, brief, briefed, fills } from './reconnectSupport';
import { chunk, OPTIONS, testScheduler, URL, transcribeOnFake } from './transcribeSupport';

let scheduler: TestScheduler;

beforeEach(() => {
  scheduler = testScheduler();
});

const RECONNECT = { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 1000, jitter: 0, replayRate: Infinity };

/** `transcribe` on the fake with reconnection (RECONNECT) and no KeepAlive; `extra` overrides. */
function transcribeReconnecting(
  server: FakeDeepgram,
  extra: Partial<TranscribeConfig> = {},
): OperatorFunction<Uint8Array, LiveEvent> {
  return transcribeOnFake(server, scheduler, { keepAlive: false, reconnect: RECONNECT, ...extra });
}

/** The first connection's script: a final result for 0–0.1 s at 150 ms, then a drop at 250 ms. */
function finalThenDrop(c: FakeConnection): void {
  c.emit(fakeResults({ transcript: 'one', start: 0, duration: 0.1 }), 150).drop(250);
}

/** 100 ms chunks at 0, 100, 200, …; chunk i is filled with i + 1. */
function audio(count: number, complete = false): { marble: string; values: Record<string, Uint8Array> } {
  const names = 'abcdefghij'.slice(0, count).split('');
  const values = Object.fromEntries(names.map((name, i) => [name, chunk(100, i + 1)]));
  return { marble: names.join(' 99ms ') + (complete ? '|' : ''), values };
}

/** Every event with its virtual time, as {@link brief} summaries; the error as `{ error }`. */
function record(events$: Observable<LiveEvent>): Array<[number, unknown]> {
  const seen: Array<[number, unknown]> = [];
  events$.subscribe({
    next: (event) => seen.push([scheduler.now(), brief(event)]),
    error: (error: unknown) => seen.push([scheduler.now(), { error }]),
  });
  return seen;
}

const reconnecting = (attempt: number, delayMs: number, kind: string): unknown =>
  expect.objectContaining({ type: 'Reconnecting', attempt, delayMs, kind });

it('reconnects by default: without a reconnect option, a 1011 NET-0000 close mid-stream is followed by Reconnecting, a second Open, and the stream goes on', () => {
  const random = jest.spyOn(Math, 'random').mockReturnValue(0); // the default jitter takes nothing off
  let seen: Array<[number, unknown]> = [];
  let server!: FakeDeepgram;
  try {
    scheduler.run(({ cold }) => {
      server = fakeDeepgram({
        scheduler,
        onConnection: (c) => {
          if (c.index === 0)
            c.emit(fakeResults({ transcript: 'one', start: 0, duration: 0.1 }), 150).close(
              1011,
              'NET-0000',
              250,
            );
          else c.emit(fakeResults({ transcript: 'two', start: 0, duration: 0.1 }), 100);
        },
      });
      const { marble, values } = audio(5, true);
      // Nothing but the transport and the clock: every other setting, reconnect included, is the default.
      seen = record(cold(marble, values).pipe(transcribeOnFake(server, scheduler)));
    });
  } finally {
    random.mockRestore();
  }
  expect(seen.filter(([, e]) => (e as { type: string }).type !== 'Metadata')).toEqual([
    [0, { type: 'Open', attempt: 1 }],
    [150, { type: 'Results', final: true, start: 0, duration: 0.1, words: [['one', 0, 0.1]] }],
    [250, { type: 'Reconnecting', attempt: 1, delayMs: 500, kind: 'timeout', code: 'NET-0000' }],
    [750, { type: 'Open', attempt: 2 }],
    [850, { type: 'Results', final: true, start: 0.1, duration: 0.1, words: [['two', 0.1, 0.2]] }],
    [990, { type: 'Usage', connections: 2, audioBytes: 22400 }],
  ]);
  // The new connection got the audio not yet final (b, c) again, then the outage's (d, e), then CloseStream.
  expect(fills(server.connections[1])).toEqual([2, 3, 4, 5]);
  expect(server.connections[1]?.textFrames).toEqual(['{"type":"CloseStream"}']);
});

it('retries a refused handshake with exponential backoff, then gives up after maxAttempts', () => {
  let server!: FakeDeepgram;
  scheduler.run(({ expectObservable }) => {
    server = fakeDeepgram({ scheduler, onConnection: (c) => c.failHandshake(503) });
    expectObservable(briefed(NEVER.pipe(transcribeReconnecting(server)))).toBe(
      'a 99ms b 199ms c 399ms (e|)',
      {
        a: reconnecting(1, 100, 'http'),
        b: reconnecting(2, 200, 'http'),
        c: reconnecting(3, 400, 'http'),
        e: expect.objectContaining({ error: 'LiveError', kind: 'http', status: 503 }),
      },
    );
  });
  expect(server.connections).toHaveLength(4);
});

it('waits for the Retry-After of a 429 before the next attempt', () => {
  scheduler.run(({ expectObservable }) => {
    const server = fakeDeepgram({
      scheduler,
      onConnection: (c) => {
        if (c.index === 0) c.failHandshake(429, { headers: { 'retry-after': '2' } });
      },
    });
    expectObservable(briefed(NEVER.pipe(transcribeReconnecting(server))), '^ 3000ms !').toBe('a 1999ms o', {
      a: reconnecting(1, 2000, 'rate-limit'),
      o: { type: 'Open', attempt: 2 },
    });
  });
});

it('abandons an attempt that does not open within openTimeoutMs and sends the waiting audio on the next one', () => {
  let server!: FakeDeepgram;
  let seen: Array<[number, unknown]> = [];
  scheduler.run(({ cold }) => {
    server = fakeDeepgram({
      scheduler,
      openDelayMs: false,
      onConnection: (c) => {
        if (c.index > 0) c.open(10);
      },
    });
    const { marble, values } = audio(2);
    seen = record(cold(marble, values).pipe(transcribeReconnecting(server, { openTimeoutMs: 1000 })));
  });
  expect(seen).toEqual([
    [1000, reconnecting(1, 100, 'network')],
    [1110, { type: 'Open', attempt: 2 }],
  ]);
  expect(server.connections[0]!.closed).toMatchObject({ by: 'client', time: 1000 });
  expect(server.connections[0]!.sent).toEqual([]);
  expect(fills(server.connections[1])).toEqual([1, 2]);
});

it('does not retry a 401', () => {
  let server!: FakeDeepgram;
  scheduler.run(({ expectObservable }) => {
    server = fakeDeepgram({ scheduler, onConnection: (c) => c.failHandshake(401) });
    expectObservable(briefed(NEVER.pipe(transcribeReconnecting(server)))).toBe('(e|)', {
      e: expect.objectContaining({ error: 'LiveError', kind: 'auth', status: 401 }),
    });
  });
  expect(server.connections).toHaveLength(1);
});

it('does not retry a 1008 DATA-0000 close', () => {
  let server!: FakeDeepgram;
  scheduler.run(({ cold, expectObservable }) => {
    server = fakeDeepgram({ scheduler, onConnection: (c) => c.close(1008, 'DATA-0000', 50) });
    const { marble, values } = audio(1);
    expectObservable(briefed(cold(marble, values).pipe(transcribeReconnecting(server)))).toBe('o 49ms (e|)', {
      o: { type: 'Open', attempt: 1 },
      e: expect.objectContaining({ error: 'LiveError', kind: 'bad-audio', code: 'DATA-0000' }),
    });
  });
  expect(server.connections).toHaveLength(1);
});

it.each([
  // KeepAlive on, but later than the server's window: it was starved (here by its own idleMs; its
  // first KeepAlive, 2 s after subscription, holds the second connection 1 s longer).
  ['reports the starved KeepAlive', { keepAlive: { idleMs: 2000 } }, /^KeepAlive was starved/, 3000],
  // KeepAlive off: nothing was meant to hold the connection, the server's close says it all.
  ['reports the close as it is with keepAlive: false', { keepAlive: false }, /^Deepgram closed/, 2100],
] as const)(
  'reconnects once after NET-0001, %s, and ends on a second NET-0001',
  (_what, extra, reported, end) => {
    const seen: Array<[number, unknown]> = [];
    let message = '';
    scheduler.run(() => {
      const server = fakeDeepgram({ scheduler, idleTimeoutMs: 1000 });
      NEVER.pipe(transcribeReconnecting(server, extra)).subscribe({
        next: (e) => {
          if (e.type !== 'Metadata' && e.type !== 'KeepAlive') seen.push([scheduler.now(), brief(e)]);
          if (e.type === 'Reconnecting') message = e.error.message;
        },
        error: (error: unknown) => seen.push([scheduler.now(), { error }]),
      });
    });
    expect(seen).toEqual([
      [0, { type: 'Open', attempt: 1 }],
      [1000, reconnecting(1, 100, 'timeout')],
      [1100, { type: 'Open', attempt: 2 }],
      [end, { error: expect.objectContaining({ kind: 'timeout', code: 'NET-0001' }) }],
    ]);
    expect(message).toMatch(reported);
  },
);

it('ends on a second NET-0001 even when each silent connection outlived healthyAfterMs', () => {
  // KeepAlive off and no audio: every connection lasts the server's 10 s, longer than the 5 s after
  // which a connection counts as healthy; the one retry after NET-0001 must not come back.
  let seen: Array<[number, unknown]> = [];
  scheduler.run(() => {
    const server = fakeDeepgram({ scheduler, idleTimeoutMs: 10000 });
    seen = record(
      NEVER.pipe(transcribeReconnecting(server, { reconnect: { ...RECONNECT, healthyAfterMs: 5000 } })),
    );
  });
  expect(seen.filter(([, e]) => (e as { type?: string }).type !== 'Metadata')).toEqual([
    [0, { type: 'Open', attempt: 1 }],
    [10000, reconnecting(1, 100, 'timeout')],
    [10100, { type: 'Open', attempt: 2 }],
    [20100, { error: expect.objectContaining({ kind: 'timeout', code: 'NET-0001' }) }],
  ]);
});

/** Five 100 ms chunks; the first connection is {@link finalThenDrop}; `extra(cold)` adds settings. */
function fiveChunksThroughADrop(
  extra: (cold: RunHelpers['cold']) => Partial<TranscribeConfig> = () => ({}),
): FakeDeepgram {
  let server!: FakeDeepgram;
  scheduler.run(({ cold }) => {
    server = fakeDeepgram({
      scheduler,
      onConnection: (c) => {
        if (c.index === 0) finalThenDrop(c);
      },
    });
    const { marble, values } = audio(5);
    cold(marble, values)
      .pipe(transcribeReconnecting(server, extra(cold)))
      .subscribe();
  });
  return server;
}

it('replays the audio sent since the last final result, then the audio of the outage, on the new connection', () => {
  const server = fiveChunksThroughADrop();
  expect(fills(server.connections[0])).toEqual([1, 2, 3]);
  expect(fills(server.connections[1])).toEqual([2, 3, 4, 5]);
  expect(audioTimes(server.connections[1])).toEqual([350, 350, 350, 400]);
});

it('rebases the new connection’s timestamps onto the original audio', () => {
  let seen: Array<[number, unknown]> = [];
  scheduler.run(({ cold }) => {
    const server = fakeDeepgram({
      scheduler,
      onConnection: (c) => {
        if (c.index === 0) finalThenDrop(c);
        else c.emit(fakeResults({ transcript: 'two three', start: 0, duration: 0.2 }), 100);
      },
    });
    const { marble, values } = audio(5);
    seen = record(cold(marble, values).pipe(transcribeReconnecting(server)));
  });
  expect(seen.filter(([, e]) => (e as { type: string }).type === 'Results')).toEqual([
    [150, { type: 'Results', final: true, start: 0, duration: 0.1, words: [['one', 0, 0.1]] }],
    [
      450,
      {
        type: 'Results',
        final: true,
        start: 0.1,
        duration: 0.2,
        words: [
          ['two', 0.1, 0.2],
          ['three', 0.2, 0.3],
        ],
      },
    ],
  ]);
});

it('does not emit again a word that was final before the drop when the replay repeats it', () => {
  let seen: Array<[number, unknown]> = [];
  scheduler.run(({ cold }) => {
    const server = fakeDeepgram({
      scheduler,
      onConnection: (c) => {
        if (c.index === 0)
          c.emit(fakeResults({ transcript: 'hello', start: 0, duration: 0.15 }), 150).drop(250);
        else c.emit(fakeResults({ transcript: 'lo world', start: 0, duration: 0.1 }), 100);
      },
    });
    const { marble, values } = audio(5);
    seen = record(cold(marble, values).pipe(transcribeReconnecting(server)));
  });
  const words = seen.flatMap(([, e]) => (e as { words?: unknown[] }).words ?? []);
  expect(words).toEqual([
    ['hello', 0, 0.15],
    ['world', 0.15, 0.2],
  ]);
});

it('paces the replay and the backlog at replayRate times real time', () => {
  let server!: FakeDeepgram;
  scheduler.run(({ cold }) => {
    server = fakeDeepgram({
      scheduler,
      onConnection: (c) => {
        if (c.index === 0) finalThenDrop(c);
      },
    });
    const { marble, values } = audio(7);
    cold(marble, values)
      .pipe(transcribeReconnecting(server, { reconnect: { ...RECONNECT, replayRate: 1.25 } }))
      .subscribe();
  });
  // b, c (replay), d (outage) 80 ms apart; e, f, g arrived while the paced backlog went out: they wait their turn.
  expect(audioTimes(server.connections[1])).toEqual([350, 430, 510, 590, 670, 750]);
  expect(fills(server.connections[1])).toEqual([2, 3, 4, 5, 6, 7]);
});

it('drops the oldest audio when the outage outgrows maxBufferBytes, and names the lost span in a Gap', () => {
  let seen: Array<[number, unknown]> = [];
  let server!: FakeDeepgram;
  scheduler.run(({ cold }) => {
    server = fakeDeepgram({
      scheduler,
      onConnection: (c) => {
        if (c.index === 0) c.emit(fakeResults({ transcript: 'one', start: 0, duration: 0.1 }), 50).drop(60);
        if (c.index === 1) c.failHandshake(503);
      },
    });
    const { marble, values } = audio(4);
    seen = record(cold(marble, values).pipe(transcribeReconnecting(server, { maxBufferBytes: 6400 })));
  });
  expect(seen.filter(([, e]) => (e as { type: string }).type !== 'Results')).toEqual([
    [0, { type: 'Open', attempt: 1 }],
    [60, reconnecting(1, 100, 'network')],
    [160, reconnecting(2, 200, 'http')],
    [360, { type: 'Gap', from: 0.1, to: 0.2, reason: expect.stringContaining('outage buffer full') }],
    [360, { type: 'Open', attempt: 3 }],
  ]);
  expect(fills(server.connections[2])).toEqual([3, 4]);
});

it('keeps waiting for CloseStream to go out while a paced replay makes progress, longer than closeTimeoutMs', () => {
  let seen: Array<[number, unknown]> = [];
  let server!: FakeDeepgram;
  scheduler.run(({ cold }) => {
    // The first connection drops after the audio ended (CloseStream sent, no answer); the second
    // gets the 0.5 s replayed in real time (from 550 ms), then CloseStream, and closes at 1150.
    server = fakeDeepgram({
      scheduler,
      closeStream: 'ignore',
      onConnection: (c) => (c.index === 0 ? c.drop(450) : c.emitMetadata(600).close(1000, '', 600)),
    });
    const { marble, values } = audio(5, true);
    seen = record(
      cold(marble, values).pipe(
        transcribeReconnecting(server, { closeTimeoutMs: 300, reconnect: { ...RECONNECT, replayRate: 1 } }),
      ),
    );
  });
  expect(server.connections[1]?.textFrames).toEqual(['{"type":"CloseStream"}']);
  // Not ended at 850 (300 ms after the second connection opened) by the wait for CloseStream.
  expect(seen.at(-1)).toEqual([1150, { type: 'Usage', connections: 2, audioBytes: 32000 }]);
});

it('names the audio dropped while no connection ever opened in a Gap before the final Usage', () => {
  let seen: Array<[number, unknown]> = [];
  scheduler.run(({ cold }) => {
    const server = fakeDeepgram({ scheduler, openDelayMs: false });
    const { marble, values } = audio(4, true);
    seen = record(
      cold(marble, values).pipe(
        transcribeReconnecting(server, { maxBufferBytes: 6400, closeTimeoutMs: 500 }),
      ),
    );
  });
  // 4 chunks of 3200 B and CloseStream into 6400 B: the first three chunks are dropped. The audio
  // ends at 301; nothing can be written, so the wait for CloseStream ends the session at 801.
  expect(seen).toEqual([
    [801, { type: 'Gap', from: 0, to: 0.3, reason: expect.stringContaining('outage buffer full') }],
    [801, { type: 'Usage', connections: 0, audioBytes: 0 }],
  ]);
});

it('treats a server silent for serverSilenceMs while audio goes out as dead, when interim results were asked for', () => {
  const seen: Array<[number, unknown]> = [];
  let server!: FakeDeepgram;
  scheduler.run(({ cold }) => {
    server = fakeDeepgram({ scheduler });
    // 100 ms chunks from 0 to 1400: at 1500, 1.5 s sent and none of it answered (more than 1 s owed).
    const { marble, values } = audio(10);
    const more = audio(5);
    const sub = concat(cold(`${marble} 99ms |`, values), cold(more.marble, more.values))
      .pipe(
        transcribeReconnecting(server, {
          options: { ...OPTIONS, interim_results: true },
          reconnect: { ...RECONNECT, serverSilenceMs: 1500 },
        }),
      )
      .subscribe({ next: (e) => seen.push([scheduler.now(), brief(e)]) });
    scheduler.schedule(() => sub.unsubscribe(), 1700);
  });
  expect(seen).toEqual([
    [0, { type: 'Open', attempt: 1 }],
    [1500, reconnecting(1, 100, 'network')],
    [1600, { type: 'Open', attempt: 2 }],
  ]);
  expect(server.connections[0]?.closed?.by).toBe('client');
  expect(fills(server.connections[1])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1, 2, 3, 4, 5]);
});

it('does not count a silent server as dead during a pause when its results nearly reach the audio sent', () => {
  const seen: Array<[number, unknown]> = [];
  scheduler.run(({ cold }) => {
    const server = fakeDeepgram({
      scheduler,
      onConnection: (c) =>
        c.emit(fakeResults({ transcript: 'one', start: 0, duration: 0.05, is_final: false }), 50),
    });
    const { marble, values } = audio(1);
    const sub = cold(marble, values)
      .pipe(
        transcribeReconnecting(server, {
          options: { ...OPTIONS, interim_results: true },
          reconnect: { ...RECONNECT, serverSilenceMs: 1000 },
        }),
      )
      .subscribe({ next: (e) => seen.push([scheduler.now(), brief(e)]) });
    scheduler.schedule(() => sub.unsubscribe(), 5000);
  });
  expect(seen.map(([, e]) => (e as { type: string }).type)).toEqual(['Open', 'Results']);
});

it('does not watch for a silent server without interim results', () => {
  const seen: Array<[number, unknown]> = [];
  scheduler.run(({ cold }) => {
    const server = fakeDeepgram({ scheduler });
    const { marble, values } = audio(1);
    const events$ = cold(marble, values).pipe(
      transcribeReconnecting(server, { reconnect: { ...RECONNECT, serverSilenceMs: 1000 } }),
    );
    const sub = events$.subscribe({ next: (e) => seen.push([scheduler.now(), brief(e)]) });
    scheduler.schedule(() => sub.unsubscribe(), 5000);
  });
  expect(seen).toEqual([[0, { type: 'Open', attempt: 1 }]]);
});

it('fails with a LiveError that explains why when container audio (no raw encoding) cannot resume', () => {
  let error: unknown;
  scheduler.run(({ cold }) => {
    const server = fakeDeepgram({ scheduler, onConnection: (c) => c.drop(50) });
    const { marble, values } = audio(1);
    cold(marble, values)
      .pipe(transcribeReconnecting(server, { options: {} }))
      .subscribe({ error: (e: unknown) => (error = e) });
  });
  expect(error).toMatchObject({ name: 'LiveError', kind: 'network', closeCode: 1006 });
  expect((error as Error).message).toMatch(/cannot resume mid-stream/);
});

it('retries container audio as long as none of it was sent', () => {
  let server!: FakeDeepgram;
  scheduler.run(({ cold }) => {
    server = fakeDeepgram({
      scheduler,
      onConnection: (c) => {
        if (c.index === 0) c.failHandshake(503);
      },
    });
    const { marble, values } = audio(2);
    cold(marble, values)
      .pipe(transcribeReconnecting(server, { options: {} }))
      .subscribe();
  });
  expect(fills(server.connections[1])).toEqual([1, 2]);
});

it('sends a Finalize again in its place among the replayed audio, unless the audio before it was final', () => {
  // Finalize after chunk 1 (at 50 ms: its audio is final at 150 ms) and after chunk 2 (at 150 ms).
  const server = fiveChunksThroughADrop((cold) => ({ finalize$: cold('50ms x 99ms x', { x: undefined }) }));
  const frames = (connection: FakeConnection | undefined): unknown[] =>
    (connection?.sent ?? []).map((frame) => (typeof frame.data === 'string' ? frame.data : frame.data[0]));
  const FINALIZE = '{"type":"Finalize"}';
  expect(frames(server.connections[0])).toEqual([1, FINALIZE, 2, FINALIZE, 3]);
  expect(frames(server.connections[1])).toEqual([2, FINALIZE, 3, 4, 5]);
});

it('replays one Finalize per channel and position, however often it was sent there', () => {
  // Three Finalizes of every channel and two of channel 0, all after chunk 2 (at 150–190 ms).
  const server = fiveChunksThroughADrop((cold) => ({
    finalize$: cold('150ms x 9ms y 9ms x 9ms y 9ms x', { x: undefined, y: 0 }),
  }));
  const frames = (connection: FakeConnection | undefined): unknown[] =>
    (connection?.sent ?? []).map((frame) => (typeof frame.data === 'string' ? frame.data : frame.data[0]));
  const ALL = '{"type":"Finalize"}';
  const FIRST = '{"type":"Finalize","channel":0}';
  expect(frames(server.connections[0])).toEqual([1, 2, ALL, FIRST, ALL, FIRST, ALL, 3]);
  expect(frames(server.connections[1])).toEqual([2, ALL, FIRST, 3, 4, 5]);
});

it('sends CloseStream again after the replay when the drop came after the audio ended', () => {
  let server!: FakeDeepgram;
  let seen: Array<[number, unknown]> = [];
  scheduler.run(({ cold }) => {
    server = fakeDeepgram({
      scheduler,
      closeStream: 'ignore',
      onConnection: (c) => {
        if (c.index === 0) c.drop(50);
        else c.emitMetadata(200).close(1000, '', 200);
      },
    });
    const { marble, values } = audio(1, true);
    seen = record(cold(marble, values).pipe(transcribeReconnecting(server)));
  });
  const second = server.connections[1]?.sent.map((frame) => frame.type);
  expect(second).toEqual(['binary', 'text']);
  expect(server.connections[1]?.textFrames).toEqual(['{"type":"CloseStream"}']);
  expect(seen[seen.length - 1]).toEqual([350, { type: 'Usage', connections: 2, audioBytes: 6400 }]);
});

it('starts counting attempts again once a connection stayed open for healthyAfterMs', () => {
  let seen: Array<[number, unknown]> = [];
  scheduler.run(() => {
    const server = fakeDeepgram({
      scheduler,
      onConnection: (c) => {
        const dropAt = [600, 100, 600][c.index];
        if (dropAt !== undefined) c.drop(dropAt);
      },
    });
    seen = record(
      NEVER.pipe(transcribeReconnecting(server, { reconnect: { ...RECONNECT, healthyAfterMs: 500 } })),
    );
  });
  expect(seen.filter(([, e]) => (e as { type: string }).type === 'Reconnecting')).toEqual([
    [600, reconnecting(1, 100, 'network')],
    [800, reconnecting(2, 200, 'network')],
    [1600, reconnecting(1, 100, 'network')],
  ]);
});

it('calls the apiKey supplier again for every connection attempt', () => {
  let server!: FakeDeepgram;
  let calls = 0;
  scheduler.run(() => {
    server = fakeDeepgram({
      scheduler,
      onConnection: (c) => {
        if (c.index === 0) c.drop(10);
      },
    });
    NEVER.pipe(transcribeReconnecting(server, { apiKey: () => `key-${++calls}` })).subscribe();
  });
  expect(server.connections.map((c) => c.credentials?.secret)).toEqual(['key-1', 'key-2']);
});

it('names the audio that no longer fitted the replay ring (replayMs) in a Gap before the next Open', () => {
  let seen: Array<[number, unknown]> = [];
  let server!: FakeDeepgram;
  scheduler.run(({ cold }) => {
    server = fakeDeepgram({ scheduler, onConnection: (c) => (c.index === 0 ? c.drop(350) : undefined) });
    const { marble, values } = audio(4);
    seen = record(
      cold(marble, values).pipe(
        transcribeReconnecting(server, { reconnect: { ...RECONNECT, replayMs: 200 } }),
      ),
    );
  });
  expect(seen).toEqual([
    [0, { type: 'Open', attempt: 1 }],
    [350, reconnecting(1, 100, 'network')],
    [450, { type: 'Gap', from: 0, to: 0.2, reason: expect.stringContaining('replayMs') }],
    [450, { type: 'Open', attempt: 2 }],
  ]);
  expect(fills(server.connections[1])).toEqual([3, 4]);
});

it('rebases UtteranceEnd and SpeechStarted of the new connection onto the original audio', () => {
  let seen: Array<[number, unknown]> = [];
  scheduler.run(({ cold }) => {
    const server = fakeDeepgram({
      scheduler,
      onConnection: (c) => {
        if (c.index === 0) finalThenDrop(c);
        else
          c.emit({ type: 'SpeechStarted', channel: [0], timestamp: 0.05 }, 50).emit(
            { type: 'UtteranceEnd', channel: [0, 1], last_word_end: 0.15 },
            60,
          );
      },
    });
    const { marble, values } = audio(3);
    seen = record(cold(marble, values).pipe(transcribeReconnecting(server)));
  });
  expect(
    seen.filter(([, e]) => ['SpeechStarted', 'UtteranceEnd'].includes((e as { type: string }).type)),
  ).toEqual([
    [400, { type: 'SpeechStarted', channel: [0], timestamp: 0.15 }],
    [410, { type: 'UtteranceEnd', channel: [0, 1], last_word_end: 0.25 }],
  ]);
});

it.each([
  ['replayRate 0', { replayRate: 0 }],
  ['jitter above 1', { jitter: 1.5 }],
  ['healthyAfterMs 0', { healthyAfterMs: 0 }],
  ['serverSilenceMs below 0', { serverSilenceMs: -1 }],
])('throws a RangeError at call time for %s', (_name, reconnect) => {
  expect(() => transcribe({ url: URL, options: OPTIONS, reconnect })).toThrow(RangeError);
});

it('starts the replay on a new connection on a sample boundary when chunks split samples', () => {
  // linear16 mono in 987-byte chunks (odd: every other chunk starts mid-sample), 31 ms apart.
  // Each sample is its own index (little-endian), so any 32 bytes say where they came from.
  const original = new Uint8Array(987 * 12).map((_, i) => (i % 2 === 0 ? (i >> 1) & 0xff : i >> 9));
  const names = Array.from({ length: 12 }, (_, i) => String.fromCharCode(0x100 + i));
  const values = Object.fromEntries(names.map((n, i) => [n, original.subarray(i * 987, (i + 1) * 987)]));
  let server!: FakeDeepgram;
  scheduler.run(({ cold }) => {
    server = fakeDeepgram({ scheduler, onConnection: (c) => c.index === 0 && finalThenDrop(c) });
    cold(names.join(' 30ms '), values).pipe(transcribeReconnecting(server)).subscribe();
  });
  const received = (index: number): Uint8Array =>
    Uint8Array.from(
      server.connections[index]!.sent.flatMap((f) => (typeof f.data === 'string' ? [] : [...f.data])),
    );
  const second = received(1);
  // Where the second connection's audio lies in the original: it must be a contiguous slice
  // that starts on a 2-byte sample.
  const at = Buffer.from(original).indexOf(Buffer.from(second.subarray(0, 32)));
  expect(at).toBeGreaterThan(0);
  expect([
    at % 2,
    Buffer.from(original.subarray(at, at + second.length)).equals(Buffer.from(second)),
  ]).toEqual([0, true]);
});

it('holds the replay to maxBufferBytes: a replay that outgrows it loses its oldest audio to a Gap, and the session goes on', () => {
  let seen: Array<[number, unknown]> = [];
  let server!: FakeDeepgram;
  scheduler.run(({ cold }) => {
    server = fakeDeepgram({ scheduler, onConnection: (c) => c.index === 0 && finalThenDrop(c) });
    const { marble, values } = audio(5);
    // b and c (6400 B) are to be replayed, into 4000 B; the new connection opens at 260, before d.
    const reconnect = { ...RECONNECT, initialDelayMs: 10, replayRate: 1.25 };
    seen = record(
      cold(marble, values).pipe(transcribeReconnecting(server, { maxBufferBytes: 4000, reconnect })),
    );
  });
  expect(seen.filter(([, e]) => (e as { type: string }).type !== 'Results')).toEqual([
    [0, { type: 'Open', attempt: 1 }],
    [250, reconnecting(1, 10, 'network')],
    [260, { type: 'Gap', from: 0.1, to: 0.2, reason: expect.stringContaining('outage buffer full') }],
    [260, { type: 'Open', attempt: 2 }],
  ]);
  expect(fills(server.connections[1])).toEqual([3, 4, 5]);
});

it('drops the oldest audio of a paced backlog that outgrows maxBufferBytes, naming each span in a Gap before the audio after it goes out', () => {
  let seen: Array<[number, unknown]> = [];
  let server!: FakeDeepgram;
  scheduler.run(({ cold }) => {
    server = fakeDeepgram({ scheduler, onConnection: (c) => c.index === 0 && finalThenDrop(c) });
    const { marble, values } = audio(7);
    // Paced at half real time, the backlog grows by 100 ms of audio every 200 ms.
    const reconnect = { ...RECONNECT, initialDelayMs: 10, replayRate: 0.5 };
    seen = record(
      cold(marble, values).pipe(transcribeReconnecting(server, { maxBufferBytes: 6400, reconnect })),
    );
  });
  expect(seen.filter(([, e]) => (e as { type: string }).type !== 'Results')).toEqual([
    [0, { type: 'Open', attempt: 1 }],
    [250, reconnecting(1, 10, 'network')],
    [260, { type: 'Open', attempt: 2 }],
    [460, { type: 'Gap', from: 0.2, to: 0.3, reason: expect.stringContaining('outage buffer full') }],
    [660, { type: 'Gap', from: 0.4, to: 0.5, reason: expect.stringContaining('outage buffer full') }],
  ]);
  expect([audioTimes(server.connections[1]), fills(server.connections[1])]).toEqual([
    [260, 460, 660, 860],
    [2, 4, 6, 7],
  ]);
});

it('keeps the server on sample boundaries when audio is dropped from a paced backlog of chunks that split samples', () => {
  // linear16 mono in 987-byte chunks (odd), 31 ms apart; each sample is its own index (little-endian).
  const original = new Uint8Array(987 * 40).map((_, i) => (i % 2 === 0 ? (i >> 1) & 0xff : i >> 9));
  const names = Array.from({ length: 40 }, (_, i) => String.fromCharCode(0x100 + i));
  const values = Object.fromEntries(names.map((n, i) => [n, original.subarray(i * 987, (i + 1) * 987)]));
  let seen: Array<[number, unknown]> = [];
  let server!: FakeDeepgram;
  scheduler.run(({ cold }) => {
    server = fakeDeepgram({ scheduler, onConnection: (c) => c.index === 0 && finalThenDrop(c) });
    const reconnect = { ...RECONNECT, initialDelayMs: 10, replayRate: 0.5 };
    seen = record(
      cold(names.join(' 30ms '), values).pipe(
        transcribeReconnecting(server, { maxBufferBytes: 4000, reconnect }),
      ),
    );
  });
  const gaps = seen.filter(([, e]) => (e as { type: string }).type === 'Gap').length;
  const second = Uint8Array.from(
    server.connections[1]!.sent.flatMap((f) => (typeof f.data === 'string' ? [] : [...f.data])),
  );
  // The samples the server hears: in step, each is the one after the last, but where audio was
  // dropped (at most one sample made of the bytes on both sides of a drop, and the jump after it).
  const samples = Array.from(
    { length: second.length >> 1 },
    (_, k) => second[2 * k]! | (second[2 * k + 1]! << 8),
  );
  const outOfStep = samples.filter((s, k) => k > 0 && s !== samples[k - 1]! + 1).length;
  expect(gaps).toBeGreaterThan(2);
  expect(outOfStep).toBeLessThanOrEqual(2 * gaps);
});

it('keeps dropping the oldest audio of a paced backlog through a short send-buffer blip, instead of failing', () => {
  let seen: Array<[number, unknown]> = [];
  scheduler.run(({ cold }) => {
    const server = fakeDeepgram({
      scheduler,
      onConnection: (c) => {
        if (c.index === 0) finalThenDrop(c);
        else {
          // 20 ms of network backpressure while the backlog is paced, over before the next chunk.
          scheduler.schedule(() => (c.bufferedAmount = 300_000), 190);
          scheduler.schedule(() => (c.bufferedAmount = 0), 210);
        }
      },
    });
    const { marble, values } = audio(8);
    const reconnect = { ...RECONNECT, initialDelayMs: 10, replayRate: 0.5 };
    seen = record(
      cold(marble, values).pipe(transcribeReconnecting(server, { maxBufferBytes: 6400, reconnect })),
    );
  });
  expect(seen.filter(([, e]) => 'error' in (e as object))).toEqual([]);
  expect(seen.filter(([, e]) => (e as { type?: string }).type === 'Gap').length).toBeGreaterThan(0);
});
