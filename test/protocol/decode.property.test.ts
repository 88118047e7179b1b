import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { decodeServerMessage } from '../../src/protocol/decode';
import { Results } from '../../src/protocol/messages';
import { mutatedResults, validResults } from './arbitraries';

const KNOWN_TYPES = ['Results', 'Metadata', 'UtteranceEnd', 'SpeechStarted', 'Error'] as const;

/** Decodes without throwing and checks the shape of the answer; returns it. */
function decodeChecked(text: string) {
  const decoded = decodeServerMessage(text);
  if (E.isLeft(decoded)) {
    expect(decoded.left.raw).toBe(text);
    expect(decoded.left.errors.length).toBeGreaterThan(0);
    for (const line of decoded.left.errors) expect(typeof line).toBe('string');
  }
  return decoded;
}

describe('decodeServerMessage properties', () => {
  it('never throws on arbitrary ASCII-grapheme strings', () => {
    fc.assert(fc.property(fc.string(), (text) => void decodeChecked(text)));
  });

  it('never throws on arbitrary strings of any code point, lone surrogates included', () => {
    // A custom unit: fast-check's built-in 'binary' unit takes seconds to set up on first use.
    const anyCodePoint = fc.nat(0x10ffff).map((codePoint) => String.fromCodePoint(codePoint));
    fc.assert(fc.property(fc.string({ unit: anyCodePoint }), (text) => void decodeChecked(text)));
  });

  it('never throws on arbitrary strings of Unicode graphemes', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (text) => void decodeChecked(text)));
  });

  it('never throws on fc.json() texts', () => {
    fc.assert(fc.property(fc.json(), (text) => void decodeChecked(text)));
  });

  it('fails on every JSON value that is not an object, and never throws on the others', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const decoded = decodeChecked(JSON.stringify(value));
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          expect(E.isLeft(decoded)).toBe(true);
        }
      }),
    );
  });

  it('never throws on objects of a known type with arbitrary fields, and keeps the type when it succeeds', () => {
    const message = fc
      .tuple(fc.constantFrom(...KNOWN_TYPES), fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })))
      .map(([type, fields]) => ({ ...fields, type }));
    fc.assert(
      fc.property(message, (object) => {
        const decoded = decodeChecked(JSON.stringify(object));
        if (E.isRight(decoded)) expect(decoded.right.type).toBe(object.type);
      }),
    );
  });

  it('decodes every generated valid Results unchanged', () => {
    fc.assert(
      fc.property(validResults, (results) => {
        const text = JSON.stringify(results);
        expect(decodeChecked(text)).toEqual(E.right(JSON.parse(text)));
      }),
    );
  });

  it('accepts a mutated Results exactly when the io-ts codec does', () => {
    fc.assert(
      fc.property(mutatedResults, (value) => {
        const decoded = decodeChecked(JSON.stringify(value));
        const codecAccepts = E.isRight(Results.decode(value));
        const isObjectWithStringType =
          typeof value === 'object' &&
          value !== null &&
          typeof (value as { type?: unknown }).type === 'string';
        if (isObjectWithStringType && (value as { type: string }).type !== 'Results') {
          expect(decoded).toEqual(E.right({ type: 'Unknown', raw: value }));
        } else {
          expect(E.isRight(decoded)).toBe(codecAccepts);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on deeply nested arrays', () => {
    const depth = 100_000;
    expect(() => decodeChecked(`${'['.repeat(depth)}${']'.repeat(depth)}`)).not.toThrow();
  });

  it('never throws on a Results whose fields are deeply nested', () => {
    const deep = `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`;
    const text = `{"type":"Results","channel":${deep},"metadata":${deep},"extra":${deep}}`;
    expect(E.isLeft(decodeChecked(text))).toBe(true);
  });
});
