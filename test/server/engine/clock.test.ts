import { createHash } from 'node:crypto';
import { createEngine } from '../../../src/server/engine/engine';
import { chunks, config, feed, linear16, mulaw, session, signal } from './synth';

const speechAndPauses = [{ silence: 0.7 }, { tone: 1.3 }, { silence: 0.6 }, { tone: 0.9 }, { silence: 1.2 }];

describe('audio clock', () => {
  test('Metadata.duration is bytes divided by 32000 for linear16 16 kHz fed in odd chunk sizes', () => {
    const audio = linear16(signal(16000, speechAndPauses)).subarray(0, 149_999);
    const { closing } = session(config(), audio, [1, 3, 333, 7, 4001]);
    expect(closing[closing.length - 1]).toMatchObject({ type: 'Metadata', duration: 149_999 / 32000 });
  });

  test('Metadata.duration is bytes divided by 8000 for mulaw 8 kHz fed in odd chunk sizes', () => {
    const audio = mulaw(signal(8000, speechAndPauses)).subarray(0, 37_577);
    const { closing } = session(config({ encoding: 'mulaw', sampleRate: 8000 }), audio, [5, 799, 1, 160]);
    expect(closing[closing.length - 1]).toMatchObject({ type: 'Metadata', duration: 37_577 / 8000 });
  });

  test('audioSeconds and audioBytes follow every chunk, including one that ends inside a sample', () => {
    const engine = createEngine(config());
    engine.pushAudio(new Uint8Array(3201));
    expect([engine.audioBytes, engine.audioSeconds]).toEqual([3201, 3201 / 32000]);
  });

  test('linear16 results do not depend on where chunks split the 16-bit samples', () => {
    const audio = linear16(signal(16000, speechAndPauses));
    const cfg = config({ interimResults: true, vadEvents: true });
    const whole = session(cfg, audio, [audio.length]).all;
    const split = session(cfg, audio, [1, 2, 3, 641, 3199]).all;
    expect(split).toEqual(whole);
  });

  test('mulaw results do not depend on the chunk sizes', () => {
    const audio = mulaw(signal(8000, speechAndPauses));
    const cfg = config({ encoding: 'mulaw', sampleRate: 8000, interimResults: true, vadEvents: true });
    expect(session(cfg, audio, [7, 13, 1601]).all).toEqual(session(cfg, audio, [audio.length]).all);
  });

  test('stereo linear16 carries partial sample frames across chunks', () => {
    const mono = linear16(signal(16000, speechAndPauses));
    const stereo = new Uint8Array(mono.length * 2);
    for (let i = 0; i < mono.length; i += 2) stereo.set(mono.subarray(i, i + 2), i * 2);
    const cfg = config({ channels: 2, multichannel: true, vadEvents: true, interimResults: true });
    expect(session(cfg, stereo, [3, 5, 1001]).all).toEqual(session(cfg, stereo, [stereo.length]).all);
  });
});

describe('Metadata', () => {
  test('sha256 is the hex digest of every byte received', () => {
    const audio = linear16(signal(16000, [{ tone: 0.5 }]));
    const engine = createEngine(config());
    feed(engine, chunks(audio, [999]));
    const expected = createHash('sha256').update(audio).digest('hex');
    expect(engine.metadata()).toMatchObject({ sha256: expected });
  });

  test('metadata() can be asked twice and still covers later audio', () => {
    const engine = createEngine(config());
    engine.pushAudio(new Uint8Array(100));
    engine.metadata();
    engine.pushAudio(new Uint8Array(100));
    const expected = createHash('sha256').update(new Uint8Array(200)).digest('hex');
    expect(engine.metadata()).toMatchObject({ sha256: expected, duration: 200 / 32000 });
  });

  test("sha256 is the literal 'incomplete' when configured so", () => {
    const engine = createEngine(config({ sha256: 'incomplete' }));
    engine.pushAudio(new Uint8Array(320));
    expect(engine.metadata()).toMatchObject({ sha256: 'incomplete' });
  });

  test('without audio it reports duration 0, channels 0, the empty digest and no models', () => {
    const metadata = createEngine(config()).metadata();
    expect(metadata).toEqual({
      type: 'Metadata',
      transaction_key: 'deprecated',
      request_id: '0caee309-30e3-4bf1-9bcc-478437df5c9d',
      sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      created: '2025-01-02T03:04:05.678Z',
      duration: 0,
      channels: 0,
    });
  });

  test('with audio it lists the model and the channels, keys in wire order', () => {
    const engine = createEngine(config({ extra: { team: 'a' } }));
    engine.pushAudio(new Uint8Array(320));
    const metadata = engine.metadata();
    expect(Object.keys(metadata)).toEqual([
      'type',
      'transaction_key',
      'request_id',
      'sha256',
      'created',
      'duration',
      'channels',
      'models',
      'model_info',
      'extra',
    ]);
    expect(metadata).toMatchObject({
      channels: 1,
      models: ['c0d1a568-ce81-4fea-97e7-bd45cb1fdf3c'],
      model_info: {
        'c0d1a568-ce81-4fea-97e7-bd45cb1fdf3c': {
          name: '2-general-nova',
          version: '2024-01-18.26916',
          arch: 'nova-2',
        },
      },
      extra: { team: 'a' },
    });
  });
});
