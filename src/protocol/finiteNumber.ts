/** The io-ts codec for the numbers of Deepgram's messages. */
import * as t from 'io-ts';

/**
 * A number JSON can carry: finite. `JSON.parse` turns a literal too large for a double (`1e999`)
 * into `Infinity`; a time that is not finite would poison every computation it enters (the
 * session's timeline, its repeat filter), so such a message fails to decode instead. Every number
 * of every message is one of these.
 */
export const FiniteNumber = new t.Type<number, number, unknown>(
  'FiniteNumber',
  (u): u is number => typeof u === 'number' && Number.isFinite(u),
  (u, c) => (typeof u === 'number' && Number.isFinite(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);
