import { createEngine } from '../../../src/server/engine/engine';
import { scriptRecognizer } from '../../../src/server/engine/recognizers';
import type { OutboundMessage } from '../../../src/server/engine/types';
import {
  chunks,
  config,
  decodedType,
  feed,
  interleave,
  linear16,
  mulaw,
  results,
  session,
  signal,
  wordsOf,
} from './synth';

/** A final Results Deepgram really sent (deepgram-python-sdk daily test, nova-2, smart_format). */
const recorded = {
  type: 'Results',
  channel_index: [0, 1],
  duration: 1.6599998,
  start: 17.0,
  is_final: true,
  speech_final: true,
  channel: {
    alternatives: [
      {
        transcript: 'For the',
        confidence: 0.9990865,
        words: [{ word: 'for', start: 17.56, end: 17.72, confidence: 0.9873626, punctuated_word: 'For' }],
      },
    ],
  },
  metadata: {
    request_id: 'e1985d01-b8bc-42ab-a16a-e7a8419c07f2',
    model_info: { name: '2-general-nova', version: '2024-01-18.26916', arch: 'nova-2' },
    model_uuid: 'c0d1a568-ce81-4fea-97e7-bd45cb1fdf3c',
  },
  from_finalize: false,
};

/** Every key path of a JSON value (array items collapsed to `[]`). */
function shape(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return [path, ...value.flatMap((v) => shape(v, `${path}[]`))];
  if (typeof value === 'object' && value !== null) {
    return [path, ...Object.entries(value).flatMap(([k, v]) => shape(v, `${path}.${k}`))];
  }
  return [`${path}:${typeof value}`];
}

function richSession(): OutboundMessage[] {
  const words = [
    { word: 'for', start: 0.6, end: 0.9, punctuated_word: 'For' },
    { word: 'the', start: 0.9, end: 1.2 },
  ];
  const tone = signal(8000, [{ silence: 0.6 }, { tone: 0.8 }, { silence: 2.5 }, { tone: 0.5 }]);
  const quiet = signal(8000, [{ silence: 4.4 }]);
  const engine = createEngine(
    config({
      encoding: 'mulaw',
      sampleRate: 8000,
      channels: 2,
      multichannel: true,
      interimResults: true,
      vadEvents: true,
      utteranceEndMs: 1000,
      punctuate: true,
      extra: { team: 'rx' },
      recognizer: scriptRecognizer(words),
    }),
  );
  const out = feed(engine, chunks(mulaw(interleave([tone, quiet])), [800]));
  out.push(...engine.finalize(0));
  out.push(
    ...feed(engine, [mulaw(interleave([signal(8000, [{ tone: 0.3 }]), signal(8000, [{ tone: 0.3 }])]))]),
  );
  out.push(...engine.close());
  return out;
}

describe('wire shape', () => {
  const messages = richSession();

  test('a rich session sends every kind of message', () => {
    expect(new Set(messages.map((m) => m.type))).toEqual(
      new Set(['Results', 'SpeechStarted', 'UtteranceEnd', 'Metadata']),
    );
  });

  test('every message decodes with decodeServerMessage as its own type', () => {
    expect(messages.map(decodedType)).toEqual(messages.map((m) => m.type));
  });

  test('Results keys are in the wire order', () => {
    for (const r of messages.filter((m) => m.type === 'Results')) {
      expect(Object.keys(r)).toEqual(Object.keys(recorded));
    }
  });

  test('Results metadata carries request_id, model_info, model_uuid and extra, in that order', () => {
    const first = messages.find((m) => m.type === 'Results')!;
    expect(first.metadata).toEqual({
      request_id: '0caee309-30e3-4bf1-9bcc-478437df5c9d',
      model_info: { name: '2-general-nova', version: '2024-01-18.26916', arch: 'nova-2' },
      model_uuid: 'c0d1a568-ce81-4fea-97e7-bd45cb1fdf3c',
      extra: { team: 'rx' },
    });
    expect(Object.keys(first.metadata as object)).toEqual([
      'request_id',
      'model_info',
      'model_uuid',
      'extra',
    ]);
  });

  test('a final with words has the same shape as a final Deepgram sent', () => {
    const final = results(messages, 'final').find((r) => wordsOf(r).length > 0)!;
    const withoutExtra = { ...final, metadata: { ...(final as unknown as typeof recorded).metadata } };
    delete (withoutExtra.metadata as { extra?: unknown }).extra;
    expect(new Set(shape(withoutExtra))).toEqual(new Set(shape(recorded)));
  });

  test('the Metadata is the last message', () => {
    expect(messages[messages.length - 1]!.type).toBe('Metadata');
  });

  test('times in Results carry at most 6 decimals', () => {
    const engine = createEngine(config({ sampleRate: 12345, interimResults: true, vadEvents: true }));
    const out = feed(engine, chunks(linear16(signal(12345, [{ silence: 1.01 }, { tone: 1.3 }])), [1001]));
    out.push(...engine.finalize());
    const flushed = results(out, 'final').pop()!;
    // The onset frame starts at sample 12350 (frames of 247 samples); the audio ends at sample 28517.
    expect([flushed.start, flushed.duration]).toEqual([1.000405, 1.309599]);
    expect(JSON.stringify(out)).not.toMatch(/\d\.\d{7,}/);
  });
});

describe('multichannel', () => {
  test('each channel has its own Results with channel_index [i, n]', () => {
    const tone = signal(16000, [{ tone: 1.5 }]);
    const cfg = config({ channels: 2, multichannel: true, interimResults: true });
    const all = results(session(cfg, linear16(interleave([tone, tone]))).all);
    expect(new Set(all.map((r) => r.channel_index.join('/')))).toEqual(new Set(['0/2', '1/2']));
  });

  test('a script gives the same words on every channel', () => {
    const recognizer = scriptRecognizer([{ word: 'both', start: 0.2, end: 0.6 }]);
    const tone = signal(16000, [{ tone: 1 }]);
    const cfg = config({ channels: 2, multichannel: true, recognizer });
    const finals = results(session(cfg, linear16(interleave([tone, tone]))).all, 'final');
    expect(finals.map((r) => [r.channel_index, wordsOf(r).map((w) => w.word)])).toEqual([
      [[0, 2], ['both']],
      [[1, 2], ['both']],
    ]);
  });

  test('the Metadata reports every channel', () => {
    const tone = signal(16000, [{ tone: 0.2 }]);
    const { closing } = session(
      config({ channels: 3, multichannel: true }),
      linear16(interleave([tone, tone, tone])),
    );
    expect(closing[closing.length - 1]).toMatchObject({ channels: 3, duration: 0.2 });
  });

  test('without multichannel, stereo gives one stream of Results on channel [0, 1]', () => {
    const tone = signal(16000, [{ tone: 1.5 }]);
    const all = results(
      session(config({ channels: 2, interimResults: true }), linear16(interleave([tone, tone]))).all,
    );
    expect(new Set(all.map((r) => r.channel_index.join('/')))).toEqual(new Set(['0/1']));
  });
});
