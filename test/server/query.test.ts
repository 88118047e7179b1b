/**
 * Server-side query parsing and validation (no sockets): what the emulator reads from a valid query.
 */
import * as E from 'fp-ts/lib/Either.js';
import { parseQuery, validateListenQuery, type ListenParams } from '../../src/server/query';

function params(search: string): ListenParams {
  const result = validateListenQuery(parseQuery(search));
  if (E.isLeft(result)) throw new Error(result.left.errMsg);
  return result.right;
}

test('an empty query gets Deepgram defaults', () => {
  expect(params('')).toEqual({
    model: 'base',
    language: 'en',
    channels: 1,
    multichannel: false,
    interimResults: false,
    endpointing: 10,
    vadEvents: false,
    punctuate: false,
    smartFormat: false,
    diarize: false,
    detectEntities: false,
    debug: false,
    keyterms: [],
    warnings: [],
  });
});

test('the default model can be configured', () => {
  expect(validateListenQuery({}, 'nova-3')).toEqual(E.right(expect.objectContaining({ model: 'nova-3' })));
});

test('endpointing=false disables endpointing and an integer sets it', () => {
  expect(params('endpointing=false').endpointing).toBe(false);
  expect(params('endpointing=300').endpointing).toBe(300);
});

test('utterance_end_ms is only read together with interim_results=true', () => {
  expect(params('utterance_end_ms=1000&interim_results=true').utteranceEndMs).toBe(1000);
  const without = params('utterance_end_ms=1000');
  expect(without.utteranceEndMs).toBeUndefined();
  expect(without.warnings).toHaveLength(1);
});

test('sample_rate and channels are only read together with encoding', () => {
  expect(params('encoding=linear16&sample_rate=8000&channels=2')).toMatchObject({
    sampleRate: 8000,
    channels: 2,
  });
  const without = params('sample_rate=8000&channels=2');
  expect(without).toMatchObject({ channels: 1 });
  expect(without.sampleRate).toBeUndefined();
  expect(without.warnings).toHaveLength(1);
});

test('encoding without sample_rate is accepted with a warning', () => {
  const p = params('encoding=linear16');
  expect(p.encoding).toBe('linear16');
  expect(p.sampleRate).toBeUndefined();
  expect(p.warnings).toEqual([expect.stringContaining('sample_rate')]);
});

test('smart_format implies punctuation and diarize_model implies diarization', () => {
  expect(params('smart_format=true')).toMatchObject({ punctuate: true, smartFormat: true });
  expect(params('diarize_model=latest').diarize).toBe(true);
});

test('detect_entities=true is read (finals then carry entities)', () => {
  expect(params('detect_entities=true').detectEntities).toBe(true);
});

test('extra pairs and keyterms are collected from repeated keys', () => {
  expect(params('extra=a:1&extra=b:x:y&keyterm=one&keyterm=two')).toMatchObject({
    extra: { a: '1', b: 'x:y' },
    keyterms: ['one', 'two'],
  });
});

test('parseQuery decodes + and percent escapes and keeps repeated keys in order', () => {
  expect(parseQuery('?a=1+2&b=%C3%A9&a=3')).toEqual({ a: ['1 2', '3'], b: 'é' });
});

test('a __proto__ key is an ordinary own key of the parsed query', () => {
  const query = parseQuery('__proto__=x');
  expect(Object.keys(query)).toEqual(['__proto__']);
  expect(Object.getPrototypeOf(query)).toBe(Object.prototype);
});
