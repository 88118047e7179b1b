import * as E from 'fp-ts/lib/Either.js';
import { decodeServerMessage } from '../../src/protocol/decode';

// Verbatim captures quoted in protocol.md §2.6 and §3.
const RESULTS_INTERIM_SILENCE =
  '{"type":"Results","channel_index":[0,1],"duration":1.0799375,"start":0.0,"is_final":false,"speech_final":false,"channel":{"alternatives":[{"transcript":"","confidence":0.0,"words":[]}]},"metadata":{"request_id":"01a03ac3-92a1-79f0-ad85-2cee59754422","model_info":{"name":"2-phonecall-nova","version":"2024-02-07.20824","arch":"nova-2"},"model_uuid":"7e3b5bdf-85ed-4fd2-9f7a-7721bbcad97b"},"from_finalize":false}';
const RESULTS_INTERIM_WORDS =
  '{"type":"Results","channel_index":[0,1],"duration":3.119938,"start":12.08,"is_final":false,"speech_final":false,"channel":{"alternatives":[{"transcript":"This is the","confidence":0.95703125,"words":[{"word":"this","start":14.08,"end":14.4,"confidence":0.95703125,"punctuated_word":"This"},{"word":"is","start":14.4,"end":14.8,"confidence":0.9970703,"punctuated_word":"is"},{"word":"the","start":14.8,"end":15.199938,"confidence":0.43286133,"punctuated_word":"the"}]}]},"metadata":{"request_id":"01a03ac2-b34c-7433-9df5-62b0600b10bf","model_info":{"name":"2-phonecall-nova","version":"2024-02-07.20824","arch":"nova-2"},"model_uuid":"7e3b5bdf-85ed-4fd2-9f7a-7721bbcad97b"},"from_finalize":false}';
const METADATA_NO_AUDIO =
  '{"type":"Metadata","transaction_key":"deprecated","request_id":"01a03ac2-4f93-7d63-8729-c20d350e2f6e","sha256":"incomplete","created":"2026-08-25T21:10:20.046Z","duration":0.0,"channels":1}';
const METADATA_WITH_MODELS =
  '{"type":"Metadata","transaction_key":"deprecated","request_id":"01a03ac3-92a1-79f0-ad85-2cee59754422","sha256":"incomplete","created":"2026-08-25T21:11:31.685Z","duration":44.259937,"channels":1,"models":["7e3b5bdf-85ed-4fd2-9f7a-7721bbcad97b"],"model_info":{"7e3b5bdf-85ed-4fd2-9f7a-7721bbcad97b":{"name":"2-phonecall-nova","version":"2024-02-07.20824","arch":"nova-2"}}}';
const METADATA_2024_CHANNELS_0 =
  '{"type":"Metadata","transaction_key":"deprecated","request_id":"deda472a-6bf0-4ea4-88c5-0d235032c6f4","sha256":"fc4ef741527af4eb3e4d0d7c81b8685111ac40c6fa806491a86c2b5ac137463f","created":"2024-10-23T14:57:23.420Z","duration":0.0,"channels":0}';
const UTTERANCE_END = '{"type":"UtteranceEnd","channel":[0,1],"last_word_end":2.395}';
const SPEECH_STARTED = '{"type":"SpeechStarted","channel":[0,1],"timestamp":9.54}';
const SCHEMA_ERROR =
  '{"type":"Error","variant":"SchemaError","description":"Could not deserialize last text message: unknown variant `KeepAlive `, expected one of `CloseStream`, `Configure`, `Sync`, `KeepAlive`, `Finalize` at line 1 column 22","message":"{ \\"type\\": \\"KeepAlive \\"}"}';
const CONFIGURE_SUCCESS =
  '{"type":"ConfigureSuccess","request_id":"550e8400-e29b-41d4-a716-446655440000","keyterms":["Deepgram","customer service"]}';

function decodedRight(text: string) {
  const decoded = decodeServerMessage(text);
  if (E.isLeft(decoded)) throw new Error(`expected Right, got errors: ${decoded.left.errors.join('; ')}`);
  return decoded.right;
}

describe('decodeServerMessage on the protocol.md examples', () => {
  it('decodes an interim Results during silence with its empty transcript', () => {
    expect(decodedRight(RESULTS_INTERIM_SILENCE)).toMatchObject({
      type: 'Results',
      is_final: false,
      channel: { alternatives: [{ transcript: '', words: [] }] },
    });
  });

  it('decodes an interim Results with words and punctuated words', () => {
    const message = decodedRight(RESULTS_INTERIM_WORDS);
    if (message.type !== 'Results') throw new Error(`got ${message.type}`);
    expect(message.channel.alternatives[0]!.words.map((word) => word.punctuated_word)).toEqual([
      'This',
      'is',
      'the',
    ]);
  });

  it('decodes the session Metadata without models (sha256 "incomplete", no audio)', () => {
    expect(decodedRight(METADATA_NO_AUDIO)).toEqual(JSON.parse(METADATA_NO_AUDIO));
  });

  it('decodes the session Metadata with models and model_info', () => {
    expect(decodedRight(METADATA_WITH_MODELS)).toMatchObject({
      type: 'Metadata',
      models: ['7e3b5bdf-85ed-4fd2-9f7a-7721bbcad97b'],
      duration: 44.259937,
    });
  });

  it('decodes the 2024 Metadata with a hex sha256 and channels 0', () => {
    expect(decodedRight(METADATA_2024_CHANNELS_0)).toMatchObject({ type: 'Metadata', channels: 0 });
  });

  it('decodes UtteranceEnd', () => {
    expect(decodedRight(UTTERANCE_END)).toEqual({
      type: 'UtteranceEnd',
      channel: [0, 1],
      last_word_end: 2.395,
    });
  });

  it('decodes SpeechStarted', () => {
    expect(decodedRight(SPEECH_STARTED)).toEqual({ type: 'SpeechStarted', channel: [0, 1], timestamp: 9.54 });
  });

  it('decodes the SchemaError Error message with the echoed client text', () => {
    expect(decodedRight(SCHEMA_ERROR)).toMatchObject({
      type: 'Error',
      variant: 'SchemaError',
      message: '{ "type": "KeepAlive "}',
    });
  });

  it('decodes ConfigureSuccess as Unknown holding the parsed object', () => {
    expect(decodedRight(CONFIGURE_SUCCESS)).toEqual({ type: 'Unknown', raw: JSON.parse(CONFIGURE_SUCCESS) });
  });

  it('decodes the undocumented Sync echo as Unknown', () => {
    expect(decodedRight('{"type":"Sync","id":7}')).toEqual({ type: 'Unknown', raw: { type: 'Sync', id: 7 } });
  });

  it('decodes an Error with only its type (every other field is optional)', () => {
    expect(decodedRight('{"type":"Error"}')).toEqual({ type: 'Error' });
  });
});
