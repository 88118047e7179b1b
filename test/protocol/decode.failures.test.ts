import * as E from 'fp-ts/lib/Either.js';
import { decodeServerMessage, type DecodeFailure } from '../../src/protocol/decode';

const RESULTS = {
  type: 'Results',
  channel_index: [0, 1],
  duration: 1.5,
  start: 0,
  channel: { alternatives: [{ transcript: 'hi', confidence: 0.9, words: [] as unknown[] }] },
  metadata: { request_id: 'r', model_info: { name: 'n', version: 'v', arch: 'a' }, model_uuid: 'u' },
};

function failure(text: string): DecodeFailure {
  const decoded = decodeServerMessage(text);
  if (E.isRight(decoded)) throw new Error(`expected a DecodeFailure, got ${JSON.stringify(decoded.right)}`);
  return decoded.left;
}

function resultsWith(patch: Record<string, unknown>): string {
  return JSON.stringify({ ...RESULTS, ...patch });
}

describe('decodeServerMessage failures', () => {
  it('reports malformed JSON with the parser message and keeps the raw text', () => {
    const result = failure('{"type":"Results",');
    expect(result.raw).toBe('{"type":"Results",');
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^invalid JSON: /);
  });

  it('reports an empty frame as malformed JSON', () => {
    expect(failure('').errors[0]).toMatch(/^invalid JSON: /);
  });

  it.each([
    ['a number', '42', 'number 42'],
    ['an array', '[{"type":"Results"}]', 'array (1 item)'],
    ['null', 'null', 'null'],
    ['a string', '"Results"', 'string "Results"'],
    ['a boolean', 'true', 'boolean true'],
  ])('rejects JSON that is %s at the root', (_kind, text, found) => {
    expect(failure(text).errors).toEqual([`(root): expected object with a string "type", found ${found}`]);
  });

  it('rejects an object without a type', () => {
    expect(failure('{"channel":[0,1]}').errors).toEqual(['type: expected string, but the field is missing']);
  });

  it('rejects an object whose type is not a string', () => {
    expect(failure('{"type":5}').errors).toEqual(['type: expected string, found number 5']);
  });

  it('names the path of a wrong field type deep inside a Results', () => {
    const text = resultsWith({
      channel: { alternatives: [{ transcript: 'hi', confidence: 0.9, words: 'x' }] },
    });
    expect(failure(text).errors).toEqual(['channel.alternatives.0.words: expected array, found string "x"']);
  });

  it('names the path of a wrong field inside a word', () => {
    const word = { word: 'hi', start: '0.1', end: 0.4, confidence: 0.9 };
    const text = resultsWith({
      channel: { alternatives: [{ transcript: 'hi', confidence: 0.9, words: [word] }] },
    });
    expect(failure(text).errors).toEqual([
      'channel.alternatives.0.words.0.start: expected number, found string "0.1"',
    ]);
  });

  it('names a missing required field', () => {
    const { duration: _omitted, ...withoutDuration } = RESULTS;
    expect(failure(JSON.stringify(withoutDuration)).errors).toEqual([
      'duration: expected number, but the field is missing',
    ]);
  });

  it.each([
    ['a Results time', resultsWith({ start: 0 }).replace('"start":0', '"start":1e999'), 'start', 'Infinity'],
    [
      'a Metadata duration',
      '{"type":"Metadata","transaction_key":"k","request_id":"r","sha256":"s","created":"c","duration":-1e999,"channels":1}',
      'duration',
      '-Infinity',
    ],
    [
      'an UtteranceEnd channel',
      '{"type":"UtteranceEnd","channel":[0,1e400],"last_word_end":1}',
      'channel.1',
      'Infinity',
    ],
  ])('rejects %s that overflows a double (JSON.parse makes it infinite)', (_kind, text, path, found) => {
    expect(text).toMatch(/e(999|400)/);
    expect(failure(text).errors).toEqual([`${path}: expected a finite number, found number ${found}`]);
  });

  it('reports an optional field of the wrong type', () => {
    expect(failure(resultsWith({ is_final: 'yes' })).errors).toEqual([
      'is_final: expected boolean, found string "yes"',
    ]);
  });

  it('reports a wrong object once, not once per intersection member', () => {
    expect(failure(resultsWith({ channel: 'x' })).errors).toEqual([
      'channel: expected object, found string "x"',
    ]);
  });

  it('quotes record keys that are not plain identifiers', () => {
    const metadata = { ...RESULTS.metadata, extra: { 'call id': 7 } };
    expect(failure(resultsWith({ metadata })).errors).toEqual([
      'metadata.extra."call id": expected string, found number 7',
    ]);
  });

  it('reports only the codec of the message type, not every member of the union', () => {
    const errors = failure('{"type":"Metadata","channels":"1"}').errors;
    expect(errors).toContain('channels: expected number, found string "1"');
    expect(errors.every((line) => !/channel_index|last_word_end|timestamp/.test(line))).toBe(true);
  });

  it('reports every problem of an UtteranceEnd', () => {
    expect(failure('{"type":"UtteranceEnd","channel":[0,"1"],"last_word_end":null}').errors).toEqual([
      'channel.1: expected number, found string "1"',
      'last_word_end: expected number, found null',
    ]);
  });

  it('reports a SpeechStarted without timestamp', () => {
    expect(failure('{"type":"SpeechStarted","channel":[0,1]}').errors).toEqual([
      'timestamp: expected number, but the field is missing',
    ]);
  });

  it('reports an Error whose optional code is not a string', () => {
    expect(failure('{"type":"Error","code":1011}').errors).toEqual([
      'code: expected string, found number 1011',
    ]);
  });

  it('shows at most 20 error lines and counts the rest', () => {
    const alternatives = Array.from({ length: 30 }, () => ({}));
    const errors = failure(resultsWith({ channel: { alternatives } })).errors;
    expect(errors).toHaveLength(21);
    expect(errors[20]).toBe('… 70 further errors not shown');
  });

  it('cuts long strings in error lines to 40 characters', () => {
    const errors = failure(resultsWith({ duration: 'x'.repeat(1000) })).errors;
    expect(errors).toEqual([`duration: expected number, found string "${'x'.repeat(40)}…"`]);
  });

  it('returns a failure instead of throwing when called with a non-string', () => {
    const decoded = decodeServerMessage(new Uint8Array([123, 125]) as unknown as string);
    expect(decoded).toEqual(
      E.left({ raw: '', errors: ['(frame): expected a text frame (string), found object'] }),
    );
  });
});
