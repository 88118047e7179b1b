/**
 * Metering inside transcribe(): running Usage snapshots (the `meter` option), the gated seconds and
 * the final, reconciled Usage. Marble tests against the fake Deepgram.
 */
import { last, Subject } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { transcribe } from '../../src/session/transcribe';
import type { TranscribeConfig } from '../../src/session/transcribeConfig';
import { fakeDeepgram, type FakeDeepgram } from '../../src/testing/fakeDeepgram';
import {
  chunk,
  loud,
  OPEN,
  OPTIONS,
  summarised,
  testScheduler,
  URL,
  transcribeOnFake,
} from './transcribeSupport';

let scheduler: TestScheduler;

beforeEach(() => {
  scheduler = testScheduler();
});

/** transcribe() against `server` on the test scheduler, with `extra` settings. */
function metered(server: FakeDeepgram, extra: Partial<TranscribeConfig>): ReturnType<typeof transcribe> {
  return transcribeOnFake(server, scheduler, { ...extra });
}

/** Three 100 ms chunks, then the end of the audio. */
const THREE_CHUNKS = 'a 99ms b 99ms c 99ms |';
const values = { a: chunk(100, 1), b: chunk(100, 2), c: chunk(100, 3) };

it('emits a running Usage snapshot every everyMs, marked not final, before the final reconciled Usage', () => {
  scheduler.run(({ cold, expectObservable }) => {
    const server = fakeDeepgram({ scheduler, closeStreamDelayMs: 50 });
    const events = cold(THREE_CHUNKS, values).pipe(
      metered(server, { keepAlive: false, meter: { everyMs: 120 } }),
    );
    expectObservable(events).toBe('o 119ms s 119ms t 109ms (mu|)', {
      o: OPEN,
      s: expect.objectContaining({ type: 'Usage', final: false, audioSeconds: 0.2, wallSeconds: 0.12 }),
      t: expect.objectContaining({ type: 'Usage', final: false, audioSeconds: 0.3, wallSeconds: 0.24 }),
      m: expect.objectContaining({ type: 'Metadata', duration: 0.3 }),
      u: expect.objectContaining({
        type: 'Usage',
        final: true,
        audioSeconds: 0.3,
        billedSeconds: 0.3,
        mismatchSeconds: 0,
        reconciled: true,
      }),
    });
  });
});

it('leaves reconciliation out of the running snapshots', () => {
  scheduler.run(({ cold, expectObservable }) => {
    const server = fakeDeepgram({ scheduler, closeStreamDelayMs: 50 });
    const events = cold(THREE_CHUNKS, values).pipe(metered(server, { meter: { everyMs: 120 } }));
    expectObservable(events, '^ 130ms !').toBe('o 119ms s', {
      o: OPEN,
      s: expect.not.objectContaining({ reconciled: expect.anything() as unknown }),
    });
  });
});

it('emits a snapshot at every emission of meter.request$', () => {
  scheduler.run(({ cold, hot, expectObservable }) => {
    const server = fakeDeepgram({ scheduler, closeStreamDelayMs: 50 });
    const events = cold(THREE_CHUNKS, values).pipe(
      metered(server, { keepAlive: false, meter: { request$: hot('50ms x 99ms x') } }),
    );
    expectObservable(events).toBe('o 49ms s 99ms t 199ms (mu|)', {
      o: OPEN,
      s: expect.objectContaining({ type: 'Usage', final: false, audioSeconds: 0.1, wallSeconds: 0.05 }),
      t: expect.objectContaining({ type: 'Usage', final: false, audioSeconds: 0.2, wallSeconds: 0.15 }),
      m: expect.objectContaining({ type: 'Metadata' }),
      u: expect.objectContaining({ type: 'Usage', final: true }),
    });
  });
});

it('errors the session with the error of meter.request$', () => {
  scheduler.run(({ cold, hot, expectObservable }) => {
    const server = fakeDeepgram({ scheduler });
    const events = cold('a', values).pipe(
      metered(server, { keepAlive: false, meter: { request$: hot('20ms #', {}, new TypeError('boom')) } }),
    );
    expectObservable(summarised(events)).toBe('o 19ms (e|)', { o: OPEN, e: { error: 'TypeError' } });
  });
});

it('stops the snapshots when the session ends', () => {
  scheduler.run(({ cold, expectObservable }) => {
    const server = fakeDeepgram({ scheduler, closeStreamDelayMs: 10 });
    const events = cold('a|', values).pipe(metered(server, { meter: { everyMs: 5 } }));
    // Snapshots at 5 and 10; the session completes at 11 (a timer left behind would never let run() end).
    expectObservable(events).toBe('o 4ms s 4ms s (mu|)', {
      o: OPEN,
      s: expect.objectContaining({ type: 'Usage', final: false }),
      m: expect.objectContaining({ type: 'Metadata' }),
      u: expect.objectContaining({ type: 'Usage', final: true }),
    });
  });
});

it('keeps the final Usage last when a consumer asks for a snapshot in reaction to it', () => {
  const types: string[] = [];
  scheduler.run(() => {
    const server = fakeDeepgram({ scheduler, closeStreamDelayMs: 10 });
    const request$ = new Subject<void>();
    scheduler
      .createColdObservable('a|', values)
      .pipe(metered(server, { keepAlive: false, meter: { request$ } }))
      .subscribe((event) => {
        types.push(event.type === 'Usage' ? `Usage ${event.final ? 'final' : 'snapshot'}` : event.type);
        // e.g. a cost panel that refreshes whenever a Usage arrives
        if (event.type === 'Usage' && event.final) request$.next();
      });
  });
  expect(types).toEqual(['Open', 'Metadata', 'Usage final']);
});

it('reports the silence the gate dropped as gatedSeconds, and reconciles the bill of the audio sent', () => {
  scheduler.run(({ cold, expectObservable }) => {
    const server = fakeDeepgram({ scheduler, closeStreamDelayMs: 10 });
    // 100 ms chunks: speech 0–0.5 s, silence 0.5–3.0 s, speech 3.0–3.5 s.
    const marble = Array.from({ length: 35 }, (_, i) => (i < 5 || i >= 30 ? 'l' : 's')).join(' 99ms ');
    const events = cold(`${marble}|`, { l: loud(100), s: chunk(100, 0) }).pipe(
      metered(server, { keepAlive: false, gate: { prerollMs: 0, hangoverMs: 0 } }),
    );
    expectObservable(events).toBe('o 3410ms (mu|)', {
      o: OPEN,
      m: expect.objectContaining({ type: 'Metadata', duration: 1 }),
      u: expect.objectContaining({
        type: 'Usage',
        final: true,
        audioSeconds: 1,
        gatedSeconds: 2.5,
        billedSeconds: 1,
        reconciled: true,
      }),
    });
  });
});

it('reports a bill that differs from the audio sent by more than one chunk as not reconciled', () => {
  const metadata = {
    type: 'Metadata',
    transaction_key: 'deprecated',
    request_id: '00000000-0000-4000-8000-000000000001',
    sha256: 'incomplete',
    created: '2026-01-01T00:00:00.000Z',
    duration: 0.1,
    channels: 1,
  };
  scheduler.run(({ cold, expectObservable }) => {
    const server = fakeDeepgram({
      scheduler,
      closeStream: 'ignore',
      onConnection: (c) => c.emit(metadata, 305).close(1000, '', 306),
    });
    const events = cold(THREE_CHUNKS, values).pipe(metered(server, { keepAlive: false }));
    expectObservable(events).toBe('o 304ms m (u|)', {
      o: OPEN,
      m: metadata,
      u: expect.objectContaining({
        billedSeconds: 0.1,
        audioSeconds: 0.3,
        mismatchSeconds: -0.2,
        reconciled: false,
      }),
    });
  });
});

describe('idleSeconds counts a pause with a KeepAlive in full, from its last chunk', () => {
  /** Backpressure above 1000 buffered bytes, polled every 500 ms. */
  const POLLED_BACKPRESSURE: Partial<TranscribeConfig> = {
    backpressure: { highWaterBytes: 1000, pollMs: 500 },
  };

  /** A fake Deepgram whose socket holds 5000 buffered bytes from 1 ms until `drainedAt`. */
  function backpressuredUntil(drainedAt: number): FakeDeepgram {
    return fakeDeepgram({
      scheduler,
      onConnection: (c) => {
        scheduler.schedule(() => (c.bufferedAmount = 5000), 1);
        scheduler.schedule(() => (c.bufferedAmount = 0), drainedAt);
      },
    });
  }

  it('when the pause’s first KeepAlive fell before the socket opened (not sent)', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const server = fakeDeepgram({ scheduler, openDelayMs: 4000 });
      // KeepAlive due at 3000 (socket not open: skipped) and sent at 6000; the pause is 0–8000.
      const events = cold('a 7999ms (a|)', { a: chunk(10) }).pipe(metered(server, {}), last());
      expectObservable(events).toBe('8000ms (u|)', {
        u: expect.objectContaining({ type: 'Usage', keepAlives: 1, idleSeconds: 8 }),
      });
    });
  });

  it('when the pause’s first KeepAlive waited behind backpressure', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const server = backpressuredUntil(3500);
      // KeepAlive due at 3000, written at 3500; the pause is 0–6000.
      const events = cold('a 5999ms (a|)', { a: chunk(10) }).pipe(
        metered(server, POLLED_BACKPRESSURE),
        last(),
      );
      expectObservable(events).toBe('6000ms (u|)', {
        u: expect.objectContaining({ type: 'Usage', keepAlives: 1, idleSeconds: 6 }),
      });
    });
  });

  it('not at all, when its KeepAlive never got past backpressure', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const server = backpressuredUntil(Infinity);
      // KeepAlive due at 3000 and never written; the session ends on closeTimeoutMs.
      const events = cold('a 4999ms (a|)', { a: chunk(10) }).pipe(
        metered(server, { ...POLLED_BACKPRESSURE, closeTimeoutMs: 1000 }),
        last(),
      );
      expectObservable(events).toBe('6000ms (u|)', {
        u: expect.objectContaining({ type: 'Usage', closeTimedOut: true, keepAlives: 0, idleSeconds: 0 }),
      });
    });
  });

  it('up to the chunk that ended it, when that chunk came while the KeepAlive waited behind backpressure', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const server = backpressuredUntil(4200);
      // KeepAlive due at 3000, a chunk at 4000 ends the pause (0–4000), both written at 4500; the
      // next chunk comes at 5000.
      const events = cold('a 3999ms a 999ms (a|)', { a: chunk(10) }).pipe(
        metered(server, POLLED_BACKPRESSURE),
        last(),
      );
      expectObservable(events).toBe('5000ms (u|)', {
        u: expect.objectContaining({ type: 'Usage', keepAlives: 1, idleSeconds: 4 }),
      });
    });
  });

  it('once, when its KeepAlive waited behind backpressure before the chunk that ended it (one waits at most)', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const server = backpressuredUntil(7200);
      // The KeepAlive due at 3000 waits (the one due at 6000 is not queued behind it), a chunk at
      // 7000 ends the pause (0–7000), all written at 7500; the next chunk comes at 9000.
      const events = cold('a 6999ms a 1999ms (a|)', { a: chunk(10) }).pipe(
        metered(server, POLLED_BACKPRESSURE),
        last(),
      );
      expectObservable(events).toBe('9000ms (u|)', {
        u: expect.objectContaining({ type: 'Usage', keepAlives: 1, idleSeconds: 7 }),
      });
    });
  });
});

it('throws at call time for an invalid meter setting', () => {
  const call = (meter: unknown) => () => transcribe({ url: URL, options: OPTIONS, meter: meter as never });
  expect(call({ everyMs: 0 })).toThrow(RangeError);
  expect(call({ everyMs: Infinity })).toThrow(/meter\.everyMs/);
  expect(call({ request$: 'now' })).toThrow(TypeError);
  expect(call(5)).toThrow(/meter must be an object/);
  expect(call({ request$: new Subject<void>() })).not.toThrow();
});

it('does not excuse more than one source chunk with the gate on, whose preroll goes out as one long frame', () => {
  /** The final Usage of 2.5 s in 20 ms chunks (speech, 1.5 s of silence, speech) billed 250 ms short. */
  const finalUsage = (gate: boolean): unknown => {
    let usage: unknown;
    scheduler.run(({ cold }) => {
      const server = fakeDeepgram({
        scheduler,
        closeStream: 'ignore',
        onConnection: (c) =>
          scheduler.schedule(() => {
            c.emit({
              type: 'Metadata',
              transaction_key: 'deprecated',
              request_id: c.requestId,
              sha256: 'incomplete',
              created: '2026-01-01T00:00:00.000Z',
              duration: c.audioBytes / 32000 - 0.25,
              channels: 1,
            }).close(1000, '', 1);
          }, 2510),
      });
      const marble = Array.from({ length: 125 }, (_, i) => (i < 25 || i >= 100 ? 'l' : 's')).join(' 19ms ');
      cold(`${marble} 19ms |`, { l: loud(20), s: chunk(20, 0) })
        .pipe(metered(server, { keepAlive: false, gate }), last())
        .subscribe((event) => (usage = event));
    });
    return usage;
  };
  const short = { type: 'Usage', final: true, mismatchSeconds: -0.25, reconciled: false };
  expect([finalUsage(false), finalUsage(true)]).toEqual([
    expect.objectContaining(short),
    expect.objectContaining(short),
  ]);
});
