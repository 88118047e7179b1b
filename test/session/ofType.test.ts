/**
 * ofType(): keeps the LiveEvents of the given types.
 */
import { TestScheduler } from 'rxjs/testing';
import type { LiveEvent } from '../../src/session/liveEvent';
import { ofType } from '../../src/session/ofType';

const open: LiveEvent = { type: 'Open', attempt: 1 };
const keepAlive: LiveEvent = { type: 'KeepAlive', at: 3000 };
const usage: LiveEvent = {
  type: 'Usage',
  audioSeconds: 1,
  keepAlives: 1,
  idleSeconds: 3,
  connections: 1,
  audioBytes: 32000,
  gatedSeconds: 0,
  wallSeconds: 4,
  final: true,
  closeTimedOut: false,
};
const unknown: LiveEvent = { type: 'Unknown', raw: { type: 'ConfigureSuccess' } };

let scheduler: TestScheduler;

beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

it('keeps only the events of one type, completing with the source', () => {
  scheduler.run(({ cold, expectObservable }) => {
    const events = cold<LiveEvent>('o-k-u|', { o: open, k: keepAlive, u: usage });
    expectObservable(events.pipe(ofType('KeepAlive'))).toBe('--k--|', { k: keepAlive });
  });
});

it('keeps the events of several types, in order', () => {
  scheduler.run(({ cold, expectObservable }) => {
    const events = cold<LiveEvent>('o-k-x-u|', { o: open, k: keepAlive, x: unknown, u: usage });
    expectObservable(events.pipe(ofType('Open', 'Usage', 'Unknown'))).toBe('o---x-u|', {
      o: open,
      x: unknown,
      u: usage,
    });
  });
});

it('passes an error of the source on', () => {
  scheduler.run(({ cold, expectObservable }) => {
    const failure = new Error('boom');
    expectObservable(cold<LiveEvent>('o#', { o: open }, failure).pipe(ofType('Usage'))).toBe(
      '-#',
      undefined,
      failure,
    );
  });
});

it('narrows the type of what it keeps', () => {
  const seen: number[] = [];
  scheduler.run(({ cold }) => {
    cold<LiveEvent>('u', { u: usage })
      .pipe(ofType('Usage'))
      .subscribe((event) => seen.push(event.idleSeconds));
  });
  expect(seen).toEqual([3]);
});

it('throws a TypeError when called without a type', () => {
  expect(() => ofType()).toThrow(TypeError);
  expect(() => ofType(7 as unknown as 'Open')).toThrow(TypeError);
});

it('throws a RangeError naming the event types for a misspelt one (it would filter out every event)', () => {
  expect(() => ofType('Reslts' as 'Results')).toThrow(
    new RangeError(
      'ofType: "Reslts" is not an event type (Results, Metadata, UtteranceEnd, SpeechStarted, Error, Unknown, Open, Reconnecting, Gap, DecodeFailure, KeepAlive, Usage)',
    ),
  );
});

it('accepts every event type, the server messages and the session events alike', () => {
  const all = ['Results', 'Metadata', 'UtteranceEnd', 'SpeechStarted', 'Error', 'Unknown'] as const;
  const session = ['Open', 'Reconnecting', 'Gap', 'DecodeFailure', 'KeepAlive', 'Usage'] as const;
  expect(() => ofType(...all, ...session)).not.toThrow();
});
