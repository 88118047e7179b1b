import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Results } from '../../src/protocol/messages';
import { isResultsFast } from '../../src/protocol/resultsGuard';
import { mutatedResults, validResults } from './arbitraries';

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
