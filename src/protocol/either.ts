/**
 * The constructors and the test of fp-ts's `Either` that the isomorphic code uses at run time.
 *
 * They are written out rather than imported: `fp-ts/lib` is CommonJS, and a run-time import of it
 * put a second, CommonJS copy of fp-ts into browser bundles (27 KB of 127 KB minified), next to
 * the ES modules that io-ts brings (`fp-ts/es6`); and under native ESM in Node only `fp-ts/lib`
 * resolves. The values are fp-ts's own `Either` (plain `{ _tag, left }` / `{ _tag, right }`
 * objects), so every fp-ts function accepts them. Types still come from fp-ts.
 */
import type { Either, Right } from 'fp-ts/lib/Either.js';

/** fp-ts's `left`: a failure. */
export function left<E, A = never>(e: E): Either<E, A> {
  return { _tag: 'Left', left: e };
}

/** fp-ts's `right`: a success. */
export function right<A, E = never>(a: A): Either<E, A> {
  return { _tag: 'Right', right: a };
}

/** fp-ts's `isRight`. */
export function isRight<E, A>(value: Either<E, A>): value is Right<A> {
  return value._tag === 'Right';
}
