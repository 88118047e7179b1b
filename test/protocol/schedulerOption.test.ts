/**
 * Every function with a `scheduler` option checks it when it is called, not at its first timer
 * (inside a subscription, far from the call that passed it).
 */
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { readWav } from '../../src/audio/readWav';
import { withKeepAlive } from '../../src/operators/withKeepAlive';
import { schedulerOption } from '../../src/protocol/schedulerOption';
import { transcribe } from '../../src/session/transcribe';
import { fakeDeepgram } from '../../src/testing/fakeDeepgram';

const notAScheduler = 42 as unknown as SchedulerLike;

it('defaults to asyncScheduler', () => {
  expect(schedulerOption('withKeepAlive', undefined)).toBe(asyncScheduler);
});

it('returns a TestScheduler it is given', () => {
  const scheduler = new TestScheduler(() => undefined);
  expect(schedulerOption('withKeepAlive', scheduler)).toBe(scheduler);
});

it.each([
  [null, 'null'],
  [{ now: () => 0 }, 'an object without them'],
  ['async', 'string'],
])('refuses %p, saying what it got', (value, found) => {
  expect(() => schedulerOption('transcribe', value as unknown as SchedulerLike)).toThrow(
    new TypeError(`transcribe: scheduler must be an rxjs SchedulerLike (now() and schedule()), got ${found}`),
  );
});

it('withKeepAlive checks its scheduler when called', () => {
  expect(() => withKeepAlive({ scheduler: notAScheduler })).toThrow(/^withKeepAlive: scheduler must be/);
});

it('transcribe checks its scheduler when called', () => {
  expect(() => transcribe({ scheduler: notAScheduler })).toThrow(/^transcribe: scheduler must be/);
});

it('readWav checks its scheduler when called, before reading the file', () => {
  expect(() => readWav('/nonexistent/never-read.wav', { scheduler: notAScheduler })).toThrow(
    /^readWav: scheduler must be/,
  );
});

it('fakeDeepgram checks its scheduler when called', () => {
  expect(() => fakeDeepgram({ scheduler: notAScheduler })).toThrow(/^fakeDeepgram: scheduler must be/);
});
