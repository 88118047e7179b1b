import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  lastValueFrom,
  map,
  toArray,
  VirtualTimeScheduler,
  type SchedulerAction,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { readWav } from '../../src/audio/readWav';
import { SHARED_AUDIO, countingBytes, tempDir, writeWav } from './wavBytes';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 250 ms of mu-law 8 kHz mono: 100 ms chunks of 800, 800 and 400 bytes. */
const shortWav = writeWav(dir, 'short.wav', {
  audioFormat: 7,
  channels: 1,
  sampleRate: 8000,
  bitsPerSample: 8,
  data: countingBytes(2000),
});

const testScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('readWav pacing', () => {
  it('emits chunk i at i * chunkMs in realtime pace and completes with the last chunk', () => {
    testScheduler().run(({ expectObservable }) => {
      const sizes$ = readWav(shortWav).audio$.pipe(map((chunk) => chunk.length));
      expectObservable(sizes$).toBe('a 99ms b 99ms (c|)', { a: 800, b: 800, c: 400 });
    });
  });

  it('emits every chunk of preamble-websocket.wav at i * chunkMs of virtual time', () => {
    const scheduler = new VirtualTimeScheduler();
    const times: number[] = [];
    const { audio$ } = readWav(join(SHARED_AUDIO, 'preamble-websocket.wav'), { chunkMs: 250, scheduler });
    audio$.subscribe(() => times.push(scheduler.now()));
    scheduler.flush();
    expect(times).toHaveLength(Math.ceil(152784 / 2000));
    expect(times.every((t, i) => t === i * 250)).toBe(true);
  });

  it('does not drift when every timer fires late: each delay is measured from the subscription', () => {
    const virtual = new VirtualTimeScheduler();
    // A scheduler whose timers always fire 7 ms late, like a busy event loop.
    const late: SchedulerLike = {
      now: () => virtual.now(),
      schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
        return virtual.schedule(work, delay + 7, state);
      },
    };
    const times: number[] = [];
    readWav(shortWav, { scheduler: late }).audio$.subscribe(() => times.push(virtual.now()));
    virtual.flush();
    expect(times).toEqual([7, 107, 207]);
  });

  it.each(['realtime', 'fast'] as const)(
    'never emits synchronously during subscribe with %s pace',
    (pace) => {
      const received: Uint8Array[] = [];
      const subscription = readWav(shortWav, { pace }).audio$.subscribe((c) => received.push(c));
      expect(received).toEqual([]);
      subscription.unsubscribe();
    },
  );

  it('stops emitting when unsubscribed', () => {
    testScheduler().run(({ expectObservable }) => {
      const sizes$ = readWav(shortWav).audio$.pipe(map((chunk) => chunk.length));
      expectObservable(sizes$, '^ 150ms !').toBe('a 99ms b', { a: 800, b: 800 });
    });
  });

  it('leaves no timer behind when unsubscribed between chunks', async () => {
    const setIntervalSpy = jest.spyOn(globalThis, 'setInterval');
    const clearIntervalSpy = jest.spyOn(globalThis, 'clearInterval');
    try {
      const received: Uint8Array[] = [];
      const subscription = readWav(shortWav).audio$.subscribe((c) => received.push(c));
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(received).toHaveLength(1);
      subscription.unsubscribe();
      const created = setIntervalSpy.mock.results.map((r) => r.value as unknown);
      const cleared = new Set(clearIntervalSpy.mock.calls.map(([id]) => id as unknown));
      expect(created.length).toBeGreaterThan(0);
      expect(created.filter((id) => !cleared.has(id))).toEqual([]);
    } finally {
      setIntervalSpy.mockRestore();
      clearIntervalSpy.mockRestore();
    }
  });

  it('replays the file with its own clock for every subscription (cold)', () => {
    testScheduler().run(({ expectObservable }) => {
      const { audio$ } = readWav(shortWav);
      const sizes$ = audio$.pipe(map((chunk) => chunk.length));
      expectObservable(sizes$).toBe('a 99ms b 99ms (c|)', { a: 800, b: 800, c: 400 });
      expectObservable(sizes$, '50ms ^').toBe('50ms a 99ms b 99ms (c|)', { a: 800, b: 800, c: 400 });
    });
  });

  it('emits everything at once in virtual time with fast pace', () => {
    testScheduler().run(({ expectObservable }) => {
      const sizes$ = readWav(shortWav, { pace: 'fast' }).audio$.pipe(map((chunk) => chunk.length));
      expectObservable(sizes$).toBe('(abc|)', { a: 800, b: 800, c: 400 });
    });
  });

  it('completes with fast pace on the real clock and delivers the whole file', async () => {
    const chunks = await lastValueFrom(
      readWav(join(SHARED_AUDIO, 'preamble-rest.wav'), { pace: 'fast' }).audio$.pipe(toArray()),
    );
    expect(chunks.reduce((n, c) => n + c.length, 0)).toBe(842220);
  });

  it('yields to the event loop between batches with fast pace', async () => {
    const { audio$ } = readWav(join(SHARED_AUDIO, 'preamble-rest.wav'), { pace: 'fast' });
    let received = 0;
    const done = lastValueFrom(audio$.pipe(map((c) => (received += c.length))));
    const seenByAnotherTask = await new Promise<number>((resolve) => setTimeout(() => resolve(received), 0));
    await done;
    expect(seenByAnotherTask).toBeGreaterThan(0);
    expect(seenByAnotherTask).toBeLessThan(842220);
  });
});
