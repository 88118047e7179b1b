import * as E from 'fp-ts/lib/Either.js';
import { decodeServerMessage } from '../../src/protocol/decode';
import { ServerMessage } from '../../src/protocol/messages';

const RESULTS = {
  type: 'Results',
  channel_index: [0, 1],
  duration: 1.5,
  start: 0,
  is_final: true,
  speech_final: true,
  channel: {
    alternatives: [
      { transcript: 'hi', confidence: 0.9, words: [{ word: 'hi', start: 0.1, end: 0.4, confidence: 0.9 }] },
    ],
  },
  metadata: {
    request_id: 'r',
    model_info: { name: 'general-nova-3', version: '2025-04-17.21547', arch: 'nova-3' },
    model_uuid: 'u',
  },
};

describe('decodeServerMessage tolerance', () => {
  it('keeps unknown extra fields at every level of a Results', () => {
    const withExtras = {
      ...RESULTS,
      future_top: { a: 1 },
      channel: {
        ...RESULTS.channel,
        future_channel: true,
        alternatives: [{ ...RESULTS.channel.alternatives[0]!, future_alt: 'x' }],
      },
      metadata: { ...RESULTS.metadata, future_meta: [1, 2] },
    };
    expect(decodeServerMessage(JSON.stringify(withExtras))).toEqual(E.right(withExtras));
  });

  it('accepts a Results without the optional is_final, speech_final and from_finalize', () => {
    const { is_final: _f, speech_final: _s, ...minimal } = RESULTS;
    expect(decodeServerMessage(JSON.stringify(minimal))).toEqual(E.right(minimal));
  });

  it('accepts the optional Results fields: entities, search, extra, diarize_info, speakers and languages', () => {
    const rich = {
      ...RESULTS,
      entities: [
        { label: 'NAME', value: 'Ann', raw_value: 'ann', confidence: 0.8, start_word: 0, end_word: 1 },
      ],
      channel: {
        alternatives: [
          {
            transcript: 'hi',
            confidence: 0.9,
            languages: ['en'],
            words: [
              {
                word: 'hi',
                start: 0,
                end: 1,
                confidence: 1,
                speaker: 0,
                language: 'en',
                speaker_confidence: 0.5,
              },
            ],
          },
        ],
        search: [{ query: 'hi', hits: [{ confidence: 1, start: 0, end: 1, snippet: 'hi' }] }],
      },
      metadata: { ...RESULTS.metadata, extra: { call: '42' }, diarize_info: { model_uuid: 'd', arch: 'v2' } },
    };
    expect(decodeServerMessage(JSON.stringify(rich))).toEqual(E.right(rich));
  });

  it('decodes an object with an unmodelled type and any other fields as Unknown', () => {
    const text = '{"type":"ConfigureFailure","code":42,"nested":{"deep":[null]}}';
    expect(decodeServerMessage(text)).toEqual(E.right({ type: 'Unknown', raw: JSON.parse(text) }));
  });

  it('treats type names as case-sensitive: "results" is Unknown, not Results', () => {
    expect(decodeServerMessage('{"type":"results"}')).toEqual(
      E.right({ type: 'Unknown', raw: { type: 'results' } }),
    );
  });

  it('treats Object.prototype names such as "constructor" as unmodelled types', () => {
    expect(decodeServerMessage('{"type":"constructor"}')).toEqual(
      E.right({ type: 'Unknown', raw: { type: 'constructor' } }),
    );
  });
});

describe('the ServerMessage codec', () => {
  it('decodes an unmodelled type as Unknown, as decodeServerMessage does', () => {
    const raw = { type: 'ConfigureSuccess', request_id: 'r', keyterms: ['a'] };
    expect(ServerMessage.decode(raw)).toEqual(E.right({ type: 'Unknown', raw }));
    expect(ServerMessage.encode({ type: 'Unknown', raw })).toBe(raw);
  });

  it('accepts (is) every message decodeServerMessage returns, the Unknown ones included', () => {
    for (const text of [JSON.stringify(RESULTS), '{"type":"Sync","id":1}']) {
      const decoded = decodeServerMessage(text);
      expect([E.isRight(decoded), E.isRight(decoded) && ServerMessage.is(decoded.right)]).toEqual([
        true,
        true,
      ]);
    }
  });

  it('still rejects a modelled type with a wrong field, instead of calling it Unknown', () => {
    expect(E.isLeft(ServerMessage.decode({ ...RESULTS, start: 'soon' }))).toBe(true);
    expect(E.isLeft(ServerMessage.decode({ type: 42 }))).toBe(true);
  });
});
