/**
 * The reconnect policy as pure functions: what is retried, and the backoff schedule.
 */
import { LiveError } from '../../src/socket/liveError';
import { backoffDelay, retryDecision } from '../../src/session/reconnectPolicy';

const settings = { initialDelayMs: 100, maxDelayMs: 1000, jitter: 0 };

function error(init: Partial<ConstructorParameters<typeof LiveError>[0]>): LiveError {
  return new LiveError({ kind: 'network', message: 'test', ...init });
}

it('doubles the delay with each attempt up to maxDelayMs', () => {
  expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, settings))).toEqual([
    100, 200, 400, 800, 1000, 1000,
  ]);
});

it('takes at most the jitter fraction off a delay, at random', () => {
  const jittered = { ...settings, jitter: 0.5 };
  expect(backoffDelay(3, jittered, 0, () => 0)).toBe(400);
  expect(backoffDelay(3, jittered, 0, () => 0.5)).toBe(300);
  expect(backoffDelay(3, jittered, 0, () => 0.999999)).toBe(200);
});

it('never waits less than a Retry-After', () => {
  expect(backoffDelay(1, settings, 2000)).toBe(2000);
});

it('waits at most the longest timer, whatever the Retry-After (a longer timer would fire after 1 ms)', () => {
  expect(backoffDelay(1, settings, 30 * 24 * 3600 * 1000)).toBe(2 ** 31 - 1);
});

it.each([
  ['a dropped connection (1006)', error({ closeCode: 1006 })],
  ['a refused connection', error({ message: 'could not connect' })],
  ['1011 NET-0000', error({ kind: 'timeout', code: 'NET-0000', closeCode: 1011 })],
  ['1012 service restart', error({ closeCode: 1012 })],
  ['1013 try again later', error({ closeCode: 1013 })],
  ['a 503 handshake', error({ kind: 'http', status: 503 })],
  ['a first NET-0001', error({ kind: 'timeout', code: 'NET-0001', closeCode: 1011 })],
])('retries %s', (_name, failure) => {
  expect(retryDecision(failure, false)).toEqual({ retry: true, minDelayMs: 0 });
});

it('retries a 429 no sooner than its Retry-After', () => {
  expect(retryDecision(error({ kind: 'rate-limit', status: 429, retryAfterMs: 3000 }), false)).toEqual({
    retry: true,
    minDelayMs: 3000,
  });
});

it.each([
  ['401', error({ kind: 'auth', status: 401 })],
  ['403', error({ kind: 'auth', status: 403 })],
  ['400 (bad options)', error({ kind: 'http', status: 400 })],
  ['DATA-0000', error({ kind: 'bad-audio', code: 'DATA-0000', closeCode: 1008 })],
  ['a second NET-0001 in a row', error({ kind: 'timeout', code: 'NET-0001', closeCode: 1011 })],
  ['an error that is not a LiveError', new TypeError('bad chunk')],
])('does not retry %s', (_name, failure) => {
  const afterNet0001 = failure instanceof LiveError && failure.code === 'NET-0001';
  expect(retryDecision(failure, afterNet0001).retry).toBe(false);
});
