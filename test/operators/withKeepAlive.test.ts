import {
  firstValueFrom,
  NEVER,
  Observable,
  of,
  type SchedulerLike,
  Subject,
  throwError,
  VirtualTimeScheduler,
} from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { KEEP_ALIVE, type Frame } from '../../src/protocol/frames';
import { withKeepAlive } from '../../src/operators/withKeepAlive';

const k = KEEP_ALIVE;
const a = Uint8Array.of(1, 2, 3);
const b = Uint8Array.of(4, 5);
const c = Uint8Array.of(6);
const d = Uint8Array.of(7, 8, 9, 10);
const audio = { a, b, c, d };
const frames = { a, b, c, d, k };

function newTestScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('withKeepAlive timing (marble tests)', () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = newTestScheduler();
  });

  it('audio with no gaps emits no KeepAlive', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('a 2s b 2s c 2s d 2s |', audio);
      expectObservable(source.pipe(withKeepAlive({ scheduler: testScheduler }))).toBe(
        'a 2s b 2s c 2s d 2s |',
        frames,
      );
    });
  });

  it('a pause one millisecond shorter than idleMs emits no KeepAlive', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('a 2998ms b |', audio);
      expectObservable(source.pipe(withKeepAlive({ idleMs: 3000, scheduler: testScheduler }))).toBe(
        'a 2998ms b |',
        frames,
      );
    });
  });

  it('a pause emits one KeepAlive exactly idleMs after the last chunk', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('a 3s b |', audio);
      expectObservable(source.pipe(withKeepAlive({ idleMs: 3000, scheduler: testScheduler }))).toBe(
        'a 2999ms k b |',
        frames,
      );
    });
  });

  it('a long pause emits a KeepAlive every idleMs when intervalMs is not given', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('a 10s |', audio);
      expectObservable(source.pipe(withKeepAlive({ idleMs: 3000, scheduler: testScheduler }))).toBe(
        'a 2999ms k 2999ms k 2999ms k 1000ms |',
        frames,
      );
    });
  });

  it('a long pause emits KeepAlives every intervalMs after the first one when intervalMs is shorter than idleMs', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('a 6s |', audio);
      expectObservable(
        source.pipe(withKeepAlive({ idleMs: 3000, intervalMs: 1000, scheduler: testScheduler })),
      ).toBe('a 2999ms k 999ms k 999ms k 999ms k |', frames);
    });
  });

  it('a long pause emits KeepAlives every intervalMs after the first one when intervalMs is longer than idleMs', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('a 9s |', audio);
      expectObservable(
        source.pipe(withKeepAlive({ idleMs: 1000, intervalMs: 4000, scheduler: testScheduler })),
      ).toBe('a 999ms k 3999ms k 3999ms k |', frames);
    });
  });

  it('a chunk during a pause restarts the countdown at idleMs, not intervalMs', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('a 2s b 2s |', audio);
      expectObservable(
        source.pipe(withKeepAlive({ idleMs: 1000, intervalMs: 4000, scheduler: testScheduler })),
      ).toBe('a 999ms k 1000ms b 999ms k 1000ms |', frames);
    });
  });

  it('an empty chunk is passed through and counts like any chunk (the docs say to filter them out first)', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const e = new Uint8Array(0);
      const source = cold('a 1999ms e 3999ms |', { ...audio, e });
      expectObservable(source.pipe(withKeepAlive({ idleMs: 3000, scheduler: testScheduler }))).toBe(
        'a 1999ms e 2999ms k 999ms |',
        { ...frames, e },
      );
    });
  });

  it('a KeepAlive comes idleMs after subscription when no audio comes', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold<Uint8Array>('-');
      expectObservable(
        source.pipe(withKeepAlive({ idleMs: 3000, scheduler: testScheduler })),
        '^ 6500ms !',
      ).toBe('3s k 2999ms k', frames);
    });
  });

  it('the idle time counts from the moment of subscription, not from time zero', () => {
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot<Uint8Array>('-');
      expectObservable(
        source.pipe(withKeepAlive({ idleMs: 3000, scheduler: testScheduler })),
        '2s ^ 3500ms !',
      ).toBe('5s k', frames);
    });
  });

  it('the api.md example holds: a 4s b 9s | gives KeepAlive at 3000, 7001, 10001, 13001 and completes at 13002', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('a 4s b 9s |', audio);
      expectObservable(source.pipe(withKeepAlive({ idleMs: 3000, scheduler: testScheduler }))).toBe(
        'a 2999ms k 1000ms b 2999ms k 2999ms k 2999ms k |',
        frames,
      );
    });
  });

  it('idleMs defaults to 3000 and intervalMs to idleMs', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold<Uint8Array>('-');
      expectObservable(source.pipe(withKeepAlive({ scheduler: testScheduler })), '^ 9500ms !').toBe(
        '3s k 2999ms k 2999ms k',
        frames,
      );
    });
  });

  it('the default scheduler (asyncScheduler) follows virtual time inside TestScheduler.run', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('a 4s b 9s |', audio);
      expectObservable(source.pipe(withKeepAlive())).toBe(
        'a 2999ms k 1000ms b 2999ms k 2999ms k 2999ms k |',
        frames,
      );
    });
  });

  it('completion ends the KeepAlives: nothing is emitted after the source completes', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('a 4s |', audio);
      expectObservable(
        source.pipe(withKeepAlive({ idleMs: 1000, scheduler: testScheduler })),
        '^ 20s !',
      ).toBe('a 999ms k 999ms k 999ms k 999ms k |', frames);
    });
  });

  it('completion at the instant a KeepAlive is due emits no KeepAlive', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('a 2999ms |', audio);
      expectObservable(
        source.pipe(withKeepAlive({ idleMs: 3000, scheduler: testScheduler })),
        '^ 20s !',
      ).toBe('a 2999ms |', frames);
    });
  });

  it('an error of the source ends the KeepAlives and is propagated', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a 2500ms #', audio, new Error('mic unplugged'));
      expectObservable(
        source.pipe(withKeepAlive({ idleMs: 1000, scheduler: testScheduler })),
        '^ 20s !',
      ).toBe('a 999ms k 999ms k 500ms #', frames, new Error('mic unplugged'));
      expectSubscriptions(source.subscriptions).toBe('^ 2500ms !');
    });
  });

  it('unsubscribing unsubscribes the source and stops the KeepAlives', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a 5s b', audio);
      expectObservable(
        source.pipe(withKeepAlive({ idleMs: 3000, scheduler: testScheduler })),
        '^ 3500ms !',
      ).toBe('a 2999ms k', frames);
      expectSubscriptions(source.subscriptions).toBe('^ 3500ms !');
    });
  });

  it('a wall clock stepping backwards postpones a KeepAlive by at most one period', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      let skew = 0;
      const steppingClock: SchedulerLike = {
        now: () => testScheduler.now() - skew,
        schedule: testScheduler.schedule.bind(testScheduler),
      };
      testScheduler.schedule(() => {
        skew = 60_000; // the system clock is set back one minute at 1500 ms
      }, 1500);
      const source = cold('a 5s |', audio);
      expectObservable(source.pipe(withKeepAlive({ idleMs: 1000, scheduler: steppingClock }))).toBe(
        'a 999ms k 1999ms k 999ms k 999ms k |',
        frames,
      );
    });
  });
});

describe('withKeepAlive pass-through', () => {
  it('passes every chunk through synchronously as the same Uint8Array reference', () => {
    const received: Frame[] = [];
    of(a, b)
      .pipe(withKeepAlive({ scheduler: new VirtualTimeScheduler() }))
      .subscribe((frame) => received.push(frame));
    expect(received).toHaveLength(2);
    expect(received[0]).toBe(a);
    expect(received[1]).toBe(b);
  });

  it('a source that completes synchronously leaves no timer scheduled', () => {
    const scheduler = new VirtualTimeScheduler();
    let completed = false;
    of(a)
      .pipe(withKeepAlive({ idleMs: 100, scheduler }))
      .subscribe({ complete: () => (completed = true) });
    expect(completed).toBe(true);
    expect(scheduler.actions).toHaveLength(0);
  });
  it('a source that errors synchronously leaves no timer scheduled and propagates the error', () => {
    const scheduler = new VirtualTimeScheduler();
    const failure = new Error('no microphone');
    let received: unknown;
    throwError(() => failure)
      .pipe(withKeepAlive({ idleMs: 100, scheduler }))
      .subscribe({ error: (error: unknown) => (received = error) });
    expect(received).toBe(failure);
    expect(scheduler.actions).toHaveLength(0);
  });

  it('an error of the source after a KeepAlive cancels the pending one', () => {
    const scheduler = new VirtualTimeScheduler();
    const audio$ = new Subject<Uint8Array>();
    const received: Frame[] = [];
    audio$.pipe(withKeepAlive({ idleMs: 100, scheduler })).subscribe({
      next: (frame) => received.push(frame),
      error: () => undefined,
    });
    scheduler.maxFrames = 150;
    scheduler.flush(); // the KeepAlive at 100, the next one pending at 200
    expect(received).toEqual([k]);
    audio$.error(new Error('gone'));
    expect(scheduler.actions).toHaveLength(0);
  });
});

describe('withKeepAlive teardown', () => {
  it('unsubscribing leaves no action scheduled and nothing is emitted afterwards', () => {
    const scheduler = new VirtualTimeScheduler(undefined, 250);
    let sourceTornDown = false;
    const silence$ = new Observable<Uint8Array>(() => () => {
      sourceTornDown = true;
    });
    const received: Frame[] = [];
    const subscription = silence$
      .pipe(withKeepAlive({ idleMs: 100, scheduler }))
      .subscribe((frame) => received.push(frame));

    scheduler.flush(); // runs up to frame 250: KeepAlives at 100 and 200, the next one pending at 300
    expect(received).toEqual([k, k]);
    expect(scheduler.actions).toHaveLength(1);

    subscription.unsubscribe();
    expect(sourceTornDown).toBe(true);
    expect(scheduler.actions).toHaveLength(0);

    scheduler.maxFrames = Number.POSITIVE_INFINITY;
    scheduler.flush();
    expect(scheduler.frame).toBe(200);
    expect(received).toEqual([k, k]);
  });
});

describe('withKeepAlive re-entrancy', () => {
  it('a chunk sent synchronously in reaction to a KeepAlive restarts the idle countdown', () => {
    const scheduler = new VirtualTimeScheduler(undefined, 1000);
    const audio$ = new Subject<Uint8Array>();
    const received: [number, Frame][] = [];
    const subscription = audio$
      .pipe(withKeepAlive({ idleMs: 100, intervalMs: 300, scheduler }))
      .subscribe((frame) => {
        received.push([scheduler.now(), frame]);
        if (frame === KEEP_ALIVE && received.length === 1) audio$.next(a);
      });
    scheduler.flush();
    subscription.unsubscribe();
    expect(received).toEqual([
      [100, k],
      [100, a],
      [200, k],
      [500, k],
      [800, k],
    ]);
  });
});

describe('withKeepAlive validation', () => {
  const invalid = [0, -1, -0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 10000, 10001];

  it.each(invalid)('idleMs %p throws a RangeError when withKeepAlive is called', (idleMs) => {
    expect(() => withKeepAlive({ idleMs })).toThrow(RangeError);
  });

  it.each(invalid)('intervalMs %p throws a RangeError when withKeepAlive is called', (intervalMs) => {
    expect(() => withKeepAlive({ intervalMs })).toThrow(RangeError);
  });

  it('a non-number idleMs throws a RangeError', () => {
    expect(() => withKeepAlive({ idleMs: '3000' as unknown as number })).toThrow(RangeError);
  });

  it('a null idleMs or intervalMs throws a RangeError (it is not a request for the default)', () => {
    expect(() => withKeepAlive({ idleMs: null as unknown as number })).toThrow(/idleMs .*got null/);
    expect(() => withKeepAlive({ intervalMs: null as unknown as number })).toThrow(RangeError);
  });

  it('the RangeError names the invalid option and its value', () => {
    expect(() => withKeepAlive({ idleMs: 3000, intervalMs: 10000 })).toThrow(/intervalMs .*got 10000/);
  });

  it('idleMs and intervalMs just inside the bounds are accepted', () => {
    expect(typeof withKeepAlive({ idleMs: 9999, intervalMs: 0.5 })).toBe('function');
  });
});

describe('withKeepAlive with real timers', () => {
  it('uses the asyncScheduler when no scheduler is given', async () => {
    const startedAt = Date.now();
    const first = await firstValueFrom(NEVER.pipe(withKeepAlive({ idleMs: 30 })));
    expect(first).toBe(KEEP_ALIVE);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(29);
  });
});
