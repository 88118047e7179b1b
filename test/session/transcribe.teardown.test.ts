/**
 * Unsubscribing from transcribe() closes the socket and leaves nothing behind: no listener on the
 * socket, no action on the scheduler.
 */
import { first, map, Observable, takeWhile, type Subscriber, type Subscription } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import type { TranscribeConfig } from '../../src/session/transcribe';
import { fakeDeepgram } from '../../src/testing/fakeDeepgram';
import { fakeResults } from '../../src/testing/fakeMessages';
import { chunk, OPTIONS, testScheduler, transcribeOnFake } from './transcribeSupport';

let scheduler: TestScheduler;

beforeEach(() => {
  scheduler = testScheduler();
});

/** Scheduled actions that are still live (an unsubscribed VirtualAction stays queued, closed). */
function liveActions(): number {
  return scheduler.actions.filter((action) => !action.closed).length;
}

// The same teardown with reconnection on (the default: its health timer must go too) and off.
const MODES: ReadonlyArray<[string, Pick<TranscribeConfig, 'reconnect'>]> = [
  ['by default (reconnect on)', {}],
  ['with reconnect: false', { reconnect: false }],
];

describe.each(MODES)('%s', (_mode, extra) => {
  it('closes the socket with 1000, removes every listener and leaves no scheduled action when unsubscribed mid-stream', () => {
    let server = fakeDeepgram();
    let remaining = -1;
    scheduler.run(({ cold }) => {
      server = fakeDeepgram({ scheduler });
      const audio = cold('a 19ms a 19ms a 200ms a 200ms a|', { a: chunk(10) });
      let subscription: Subscription | undefined;
      scheduler.schedule(() => {
        subscription = audio
          .pipe(
            transcribeOnFake(server, scheduler, {
              keepAlive: { idleMs: 100 },
              finalize$: cold('300ms x', { x: undefined }),
              backpressure: { pollMs: 10 },
              ...extra,
            }),
          )
          .subscribe();
      }, 0);
      scheduler.schedule(() => subscription?.unsubscribe(), 150);
      scheduler.schedule(() => (remaining = liveActions()), 151);
    });
    const connection = server.connections[0]!;
    expect(connection.closed).toEqual({ by: 'client', code: 1000, reason: '', time: 150 });
    expect(connection.listenerCount()).toBe(0);
    expect(remaining).toBe(0);
    expect(connection.sent.every((frame) => frame.time < 150)).toBe(true);
  });

  it('closes a socket that is still connecting when unsubscribed before it opened', () => {
    let server = fakeDeepgram();
    let remaining = -1;
    scheduler.run(({ cold, expectObservable }) => {
      server = fakeDeepgram({ scheduler, openDelayMs: false });
      const events = cold('a', { a: chunk(10) }).pipe(transcribeOnFake(server, scheduler, { ...extra }));
      expectObservable(events, '^ 49ms !').toBe('');
      scheduler.schedule(() => (remaining = liveActions()), 51);
    });
    expect(server.connections[0]?.closed).toMatchObject({ by: 'client', time: 50 });
    expect(server.connections[0]?.listenerCount()).toBe(0);
    expect(server.connections[0]?.sent).toEqual([]);
    expect(remaining).toBe(0);
  });

  it('leaves no scheduled action once the session completed after CloseStream', () => {
    let remaining = -1;
    scheduler.run(({ cold }) => {
      const server = fakeDeepgram({ scheduler, closeStreamDelayMs: 5 });
      cold('a|', { a: chunk(10) })
        .pipe(transcribeOnFake(server, scheduler, { ...extra }))
        .subscribe();
      scheduler.schedule(() => (remaining = liveActions()), 100);
    });
    expect(remaining).toBe(0);
  });
});

describe('unsubscribing from inside next() (take, first, takeWhile downstream)', () => {
  it('on Reconnecting: no retry stays scheduled and no new connection opens', () => {
    let server = fakeDeepgram();
    let remaining = -1;
    scheduler.run(({ cold }) => {
      server = fakeDeepgram({ scheduler, onConnection: (c) => c.open(0).drop(25) });
      cold('a 9ms a 9ms a 9ms a 9ms a 9ms |', { a: chunk(10) })
        .pipe(
          transcribeOnFake(server, scheduler, { reconnect: { jitter: 0 } }),
          takeWhile((event) => event.type !== 'Reconnecting'),
        )
        .subscribe();
      scheduler.schedule(() => (remaining = liveActions()), 26);
    });
    expect([remaining, server.connections.length]).toEqual([0, 1]);
  });

  it('on Open: the health timer is not armed', () => {
    let remaining = -1;
    scheduler.run(({ cold }) => {
      const server = fakeDeepgram({ scheduler, openDelayMs: 5 });
      cold('a 9ms a 9ms |', { a: chunk(10) })
        .pipe(
          transcribeOnFake(server, scheduler, {}),
          takeWhile((event) => event.type !== 'Open'),
        )
        .subscribe();
      scheduler.schedule(() => (remaining = liveActions()), 6);
    });
    expect(remaining).toBe(0);
  });

  it('on Results with interim results: the server-silence timer is not armed', () => {
    let remaining = -1;
    scheduler.run(({ cold }) => {
      const interim = fakeResults({ transcript: 'hello', start: 0, duration: 0.01, is_final: false });
      const server = fakeDeepgram({ scheduler, onConnection: (c) => c.emit(interim, 35) });
      cold('a 9ms a 9ms a 9ms a 9ms a 9ms |', { a: chunk(10) })
        .pipe(
          transcribeOnFake(server, scheduler, { options: { ...OPTIONS, interim_results: true } }),
          first((event) => event.type === 'Results'),
        )
        .subscribe();
      scheduler.schedule(() => (remaining = liveActions()), 36);
    });
    expect(remaining).toBe(0);
  });
});

describe("the audio's subscription (the session is the audio's subscriber)", () => {
  /** A source that records its subscriber and how often its teardown ran; it emits when told. */
  function handSource(): {
    audio: Observable<Uint8Array>;
    emit: (bytes: Uint8Array) => void;
    end: () => void;
    teardowns: () => number;
  } {
    let subscriber: Subscriber<Uint8Array> | undefined;
    let teardowns = 0;
    const audio = new Observable<Uint8Array>((s) => {
      subscriber = s;
      return () => void teardowns++;
    });
    return {
      audio,
      emit: (bytes) => subscriber?.next(bytes),
      end: () => subscriber?.complete(),
      teardowns: () => teardowns,
    };
  }

  it("runs the audio's teardown once when the session is unsubscribed, and takes no chunk after it", () => {
    const source = handSource();
    let server = fakeDeepgram();
    const teardowns: number[] = [];
    scheduler.run(() => {
      server = fakeDeepgram({ scheduler });
      const subscription = source.audio.pipe(transcribeOnFake(server, scheduler)).subscribe();
      scheduler.schedule(() => source.emit(chunk(10, 1)), 5);
      scheduler.schedule(() => subscription.unsubscribe(), 10);
      scheduler.schedule(() => {
        teardowns.push(source.teardowns());
        source.emit(chunk(10, 2)); // a source that ignores `closed`
      }, 11);
    });
    expect(teardowns).toEqual([1]);
    expect(source.teardowns()).toBe(1);
    const binary = server.connections[0]!.sent.filter((frame) => frame.data instanceof Uint8Array);
    expect(binary.map((frame) => (frame.data as Uint8Array)[0])).toEqual([1]);
  });

  it("runs the audio's teardown when the audio completes, before the session ends, and ignores chunks after it", () => {
    const source = handSource();
    let server = fakeDeepgram();
    let teardownsAtCompletion = -1;
    scheduler.run(() => {
      server = fakeDeepgram({ scheduler, closeStreamDelayMs: 50 });
      source.audio.pipe(transcribeOnFake(server, scheduler)).subscribe();
      scheduler.schedule(() => source.emit(chunk(10, 1)), 5);
      scheduler.schedule(() => {
        source.end();
        teardownsAtCompletion = source.teardowns();
        source.emit(chunk(10, 2));
      }, 10);
    });
    expect(teardownsAtCompletion).toBe(1);
    const sent = server.connections[0]!.sent.map((frame) =>
      frame.data instanceof Uint8Array ? frame.data[0] : frame.data,
    );
    expect(sent).toEqual([1, '{"type":"CloseStream"}']);
  });

  it('stops a synchronous source behind an rxjs operator when the session ends during its emission', () => {
    let pulled = 0;
    const endless = new Observable<Uint8Array>((subscriber) => {
      while (!subscriber.closed) {
        pulled++;
        subscriber.next(new Uint8Array(2));
        if (pulled > 1000) throw new Error('the source was not stopped');
      }
    });
    let error: unknown;
    scheduler.run(() => {
      const server = fakeDeepgram({ scheduler });
      endless
        .pipe(
          map((bytes) => (pulled === 3 ? ('not bytes' as unknown as Uint8Array) : bytes)),
          transcribeOnFake(server, scheduler),
        )
        .subscribe({ error: (e: unknown) => (error = e) });
    });
    expect(error).toBeInstanceOf(TypeError);
    expect(pulled).toBe(3);
  });

  it('runs a teardown that a synchronous source adds after completing at once', () => {
    let tornDown = false;
    const finished = new Observable<Uint8Array>((subscriber) => {
      subscriber.next(chunk(10));
      subscriber.complete();
      return () => (tornDown = true);
    });
    scheduler.run(() => {
      const server = fakeDeepgram({ scheduler });
      finished.pipe(transcribeOnFake(server, scheduler)).subscribe();
    });
    expect(tornDown).toBe(true);
  });
});

describe('an audio producer written in JavaScript that returns null as its teardown', () => {
  it('completes the session as rxjs would, without calling anything on null', () => {
    let server = fakeDeepgram();
    const events: string[] = [];
    scheduler.run(() => {
      server = fakeDeepgram({ scheduler, closeStreamDelayMs: 5 });
      const audio = new Observable<Uint8Array>((subscriber) => {
        subscriber.next(chunk(10));
        subscriber.complete();
        return null as unknown as undefined;
      });
      audio.pipe(transcribeOnFake(server, scheduler)).subscribe({
        next: (event) => events.push(event.type),
        error: (error: unknown) => events.push(`error: ${String(error)}`),
        complete: () => events.push('complete'),
      });
    });
    expect(events[events.length - 1]).toBe('complete');
    expect(events.some((event) => event.startsWith('error'))).toBe(false);
  });
});

describe("the audio's producer unsubscribing the subscriber it was given", () => {
  it('ends the audio subscription only: the session and its connection go on', () => {
    let server = fakeDeepgram();
    let producer: Subscriber<Uint8Array> | undefined;
    let events = 0;
    let ended = false;
    scheduler.run(() => {
      server = fakeDeepgram({ scheduler });
      const audio = new Observable<Uint8Array>((subscriber) => {
        producer = subscriber;
        subscriber.next(chunk(10, 1));
      });
      const subscription = audio
        .pipe(transcribeOnFake(server, scheduler, { keepAlive: false }))
        .subscribe({ next: () => events++, error: () => (ended = true), complete: () => (ended = true) });
      scheduler.schedule(() => {
        producer?.unsubscribe();
        producer?.next(chunk(10, 2));
      }, 20);
      scheduler.schedule(() => subscription.unsubscribe(), 50);
    });
    const connection = server.connections[0]!;
    expect(ended).toBe(false);
    expect(events).toBeGreaterThan(0);
    expect(connection.closed).toMatchObject({ by: 'client', time: 50 });
    const binary = connection.sent.filter((frame) => frame.data instanceof Uint8Array);
    expect(binary.map((frame) => (frame.data as Uint8Array)[0])).toEqual([1]);
  });
});
