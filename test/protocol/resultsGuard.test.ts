import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Results } from '../../src/protocol/messages';
import { isResultsFast } from '../../src/protocol/resultsGuard';
import { mutateAt, mutatedResults, pathsOf, validResults } from './arbitraries';

function valueAt(value: unknown, path: readonly string[]): unknown {
  let at = value;
  for (const key of path) at = (at as Record<string, unknown>)[key];
  return at;
}

describe('isResultsFast (the decoder fast path)', () => {
  it('accepts every generated valid Results, as the codec does', () => {
    fc.assert(
      fc.property(validResults, (value) => {
        expect(isResultsFast(value)).toBe(true);
        expect(Results.is(value)).toBe(true);
      }),
    );
  });

  it('gives the same verdict as the io-ts codec on Results with one value replaced or deleted', () => {
    fc.assert(
      fc.property(mutatedResults, (value) => {
        expect(isResultsFast(value)).toBe(Results.is(value));
      }),
      { numRuns: 1000 },
    );
  });

  it('rejects a Results with any one number made Infinity, -Infinity or NaN, as the codec does', () => {
    fc.assert(
      fc.property(
        validResults,
        fc.nat(),
        fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN),
        (results, index, notFinite) => {
          const numbers = pathsOf(results).filter((path) => typeof valueAt(results, path) === 'number');
          const mutated = mutateAt(results, numbers[index % numbers.length]!, notFinite);
          expect(isResultsFast(mutated)).toBe(false);
          expect(Results.is(mutated)).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('gives the same verdict as the io-ts codec on arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(isResultsFast(value)).toBe(Results.is(value));
      }),
    );
  });

  it('accepts every recorded Deepgram response', () => {
    const dir = resolve(__dirname, '../../../shared/fixtures/deepgram-recorded');
    const responses = readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .map((name) => (JSON.parse(readFileSync(join(dir, name), 'utf8')) as { response: unknown }).response);
    expect(responses.length).toBeGreaterThan(0);
    for (const response of responses) expect(isResultsFast(response)).toBe(true);
  });
});
