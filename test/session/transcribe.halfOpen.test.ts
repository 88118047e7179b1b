/**
 * Half-open detection after the session timeline and the connection's clock part ways: after a
 * reconnect (the new connection's clock starts at 0) and with the silence gate (the connection's
 * clock skips what was dropped). The watch compares the server's Results with the audio sent on
 * the current connection, so it must read them on that connection's clock.
 */
import { interval, map, take } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import type { TranscribeConfig } from '../../src/session/transcribe';
import type { FakeConnection } from '../../src/testing/fakeConnection';
import { fakeDeepgram } from '../../src/testing/fakeDeepgram';
import { fakeResults } from '../../src/testing/fakeMessages';
import { chunk, loud, OPTIONS, testScheduler, transcribeOnFake } from './transcribeSupport';

let scheduler: TestScheduler;

beforeEach(() => {
  scheduler = testScheduler();
});

const WATCHED: Partial<TranscribeConfig> = {
  options: { ...OPTIONS, interim_results: true },
  reconnect: { jitter: 0, initialDelayMs: 100, serverSilenceMs: 2000 },
};

/** Streams 100 ms chunks in real time (`chunkAt(i)`) for `until` ms; the times of Open and Reconnecting. */
function watch(
  onConnection: (connection: FakeConnection, index: number) => void,
  chunkAt: (i: number) => Uint8Array,
  until: number,
  extra: Partial<TranscribeConfig> = {},
): Array<[number, string]> {
  const seen: Array<[number, string]> = [];
  scheduler.run(() => {
    let index = 0;
    const server = fakeDeepgram({ scheduler, onConnection: (c) => onConnection(c, index++) });
    const subscription = interval(100, scheduler)
      .pipe(take(until / 100), map(chunkAt), transcribeOnFake(server, scheduler, { ...WATCHED, ...extra }))
      .subscribe((event) => {
        if (event.type === 'Open' || event.type === 'Reconnecting') seen.push([scheduler.now(), event.type]);
      });
    scheduler.schedule(() => subscription.unsubscribe(), until);
  });
  return seen;
}

it('replaces a second connection that goes silent, 60 s into the audio, within serverSilenceMs', () => {
  const seen = watch(
    (c, index) => {
      if (index === 0) {
        // A final for every second of audio, then a drop at 60 s.
        for (let s = 1; s <= 60; s++) {
          c.emit(fakeResults({ transcript: '', start: s - 1, duration: 1, is_final: true }), s * 1000 + 5);
        }
        c.open(0).drop(60050);
      } else if (index === 1) {
        // One interim for its first half second of audio, then nothing: half-open.
        c.open(0).emit(fakeResults({ transcript: 'hi', start: 0, duration: 0.5, is_final: false }), 600);
      }
    },
    () => chunk(100),
    70000,
  );
  // The second connection opens at 60150 and owes results from ~60750 on: replaced 2 s later.
  expect(seen.slice(0, 4)).toEqual([
    [0, 'Open'],
    [60050, 'Reconnecting'],
    [60150, 'Open'],
    [expect.any(Number), 'Reconnecting'],
  ]);
  expect(seen[3]![0]).toBeLessThanOrEqual(62800);
});

it('replaces a connection that goes silent within serverSilenceMs when the gate has dropped silence', () => {
  const seen = watch(
    (c) => {
      // Each second for 8 s, an interim up to (a little short of) the audio this connection has had:
      // the gate sends 0–1.5 s (speech and hangover), drops 1.5–4.7 s and sends on from there
      // (preroll). Then nothing, while audio keeps going out.
      for (let s = 1; s <= 8; s++) {
        const heard = s <= 1 ? s : s < 5 ? 1 : s - 3.5;
        c.emit(fakeResults({ transcript: 'hi', start: 0, duration: heard, is_final: false }), s * 1000 + 5);
      }
    },
    // 1 s of speech, 4 s of digital silence (gated), then speech.
    (i) => (i >= 10 && i < 50 ? chunk(100, 0) : loud(100)),
    20000,
    { gate: true },
  );
  // Silent from 8005 while audio keeps going out: replaced 2 s later. On the session timeline the
  // last interim reaches 8 s, which this connection's audio reaches only at ~11.2 s.
  expect(seen.slice(0, 2)).toEqual([
    [0, 'Open'],
    [expect.any(Number), 'Reconnecting'],
  ]);
  expect(seen[1]![0]).toBeLessThan(10500);
});

it('keeps a connection through a long KeepAlive pause when the server left only a short tail unreported', () => {
  const seen: Array<[number, string]> = [];
  let server = fakeDeepgram();
  scheduler.run(({ cold }) => {
    // Results up to 1.0 s of the 1.2 s sent before a 15 s pause: Deepgram reports about once per
    // second of audio and may say nothing of the tail until more audio comes.
    const interim = fakeResults({ transcript: 'hello', start: 0, duration: 1, is_final: false });
    server = fakeDeepgram({ scheduler, onConnection: (c) => c.emit(interim, 1010) });
    cold(`${'a 99ms '.repeat(12)}15000ms a|`, { a: chunk(100) })
      .pipe(transcribeOnFake(server, scheduler, WATCHED))
      .subscribe((event) => seen.push([scheduler.now(), event.type]));
  });
  expect(seen.filter(([, type]) => type === 'Open' || type === 'Reconnecting')).toEqual([[0, 'Open']]);
  expect(server.connections).toHaveLength(1);
});

it('gives up after maxAttempts when every connection goes to a server that takes audio and never answers, however long each stays open', () => {
  // serverSilenceMs 6000 > healthyAfterMs 5000: every connection outlives healthyAfterMs.
  const extra = { reconnect: { ...WATCHED.reconnect, serverSilenceMs: 6000, maxAttempts: 2 } };
  let error: unknown;
  const seen: Array<[number, string]> = [];
  scheduler.run(() => {
    const server = fakeDeepgram({ scheduler });
    const subscription = interval(100, scheduler)
      .pipe(
        take(1200),
        map(() => chunk(100)),
        transcribeOnFake(server, scheduler, { ...WATCHED, ...extra }),
      )
      .subscribe({
        next: (event) => {
          if (event.type === 'Open' || event.type === 'Reconnecting')
            seen.push([scheduler.now(), event.type]);
        },
        error: (e: unknown) => (error = e),
      });
    scheduler.schedule(() => subscription.unsubscribe(), 120000);
  });
  expect(seen.map(([, type]) => type)).toEqual(['Open', 'Reconnecting', 'Open', 'Reconnecting', 'Open']);
  expect(error).toMatchObject({ name: 'LiveError', message: expect.stringMatching(/half-open/) });
});

it('still starts counting again after a connection the server answered on, once it is healthy', () => {
  // Each connection answers once, then goes silent: each is replaced, and each was healthy.
  const extra = { reconnect: { ...WATCHED.reconnect, serverSilenceMs: 6000, maxAttempts: 1 } };
  const seen = watch(
    (c) => c.emit(fakeResults({ transcript: 'hi', start: 0, duration: 0.1, is_final: false }), 150),
    () => chunk(100),
    40000,
    extra,
  );
  expect(seen.filter(([, type]) => type === 'Reconnecting').length).toBeGreaterThan(3);
});

it('does not start counting again after the audio completed: a server that stops answering ends the session after maxAttempts', () => {
  let error: unknown;
  let reconnects = 0;
  const extra = { reconnect: { ...WATCHED.reconnect, serverSilenceMs: 6000 } };
  scheduler.run(() => {
    // Every connection answers once, then never again (nor to CloseStream).
    const server = fakeDeepgram({
      scheduler,
      closeStream: 'ignore',
      onConnection: (c) =>
        c.emit(fakeResults({ transcript: 'hi', start: 0, duration: 0.1, is_final: false }), 150),
    });
    const subscription = interval(100, scheduler)
      .pipe(
        take(30),
        map(() => chunk(100)),
        transcribeOnFake(server, scheduler, { ...WATCHED, ...extra }),
      )
      .subscribe({
        next: (event) => {
          if (event.type === 'Reconnecting') reconnects++;
        },
        error: (e: unknown) => (error = e),
      });
    scheduler.schedule(() => subscription.unsubscribe(), 300000);
  });
  // The default maxAttempts (5): each new connection replays the audio and CloseStream, is answered
  // once, and outlives healthyAfterMs before serverSilenceMs replaces it.
  expect([reconnects, error]).toEqual([5, expect.objectContaining({ name: 'LiveError' })]);
});
