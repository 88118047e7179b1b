import { createEngine } from '../../../src/server/engine/engine';
import { parseWavHeader } from '../../../src/server/engine/wavHeader';
import { chunks, concat, config, feed, linear16, mulaw, results, session, signal, wavHeader } from './synth';

const containerized = config({ encoding: undefined, sampleRate: undefined });

describe('WAV audio without encoding', () => {
  test('a mu-law WAV header split byte by byte gives the format and a clock that excludes it', () => {
    const data = mulaw(signal(8000, [{ silence: 0.5 }, { tone: 1 }, { silence: 0.5 }]));
    const wav = concat(wavHeader(7, 8000, 1, 8, data.length), data);
    const engine = createEngine(containerized);
    feed(engine, chunks(wav, [1]));
    expect([engine.fatal, engine.audioBytes, engine.audioSeconds]).toEqual([undefined, wav.length, 2]);
  });

  test('a 16-bit PCM WAV gives the same results as the raw audio with encoding given', () => {
    const data = linear16(signal(16000, [{ silence: 0.5 }, { tone: 1.2 }, { silence: 1.5 }]));
    const wav = concat(wavHeader(1, 16000, 1, 16, data.length), data);
    const fromWav = results(session({ ...containerized, interimResults: true }, wav, [1000]).all);
    const fromRaw = results(session(config({ interimResults: true }), data, [1000]).all);
    expect(fromWav).toEqual(fromRaw);
  });

  test('the Metadata of a WAV stream reports the channels of its header', () => {
    const data = linear16(signal(8000, [{ tone: 0.5 }, { tone: 0.5 }]));
    const wav = concat(wavHeader(1, 8000, 2, 16, data.length), data);
    const { closing } = session({ ...containerized, channels: 1 }, wav);
    expect(closing[closing.length - 1]).toMatchObject({ channels: 2, duration: data.length / 32000 });
  });

  test('bytes after the data chunk are not audio', () => {
    const data = mulaw(signal(8000, [{ tone: 1 }]));
    const wav = concat(wavHeader(7, 8000, 1, 8, data.length), data, new Uint8Array(800));
    const engine = createEngine(containerized);
    engine.pushAudio(wav);
    expect(engine.audioSeconds).toBe(1);
  });

  test('skips chunks (fact, LIST) between fmt and data', () => {
    const header = wavHeader(7, 8000, 1, 8, 8000);
    const list = concat(new TextEncoder().encode('LIST'), new Uint8Array([5, 0, 0, 0, 1, 2, 3, 4, 5, 0]));
    const wav = concat(header.subarray(0, 36), list, header.subarray(36), new Uint8Array(8000).fill(0xff));
    const parsed = parseWavHeader(wav, wav.length);
    expect(parsed).toEqual({
      kind: 'ok',
      format: { encoding: 'mulaw', sampleRate: 8000, channels: 1 },
      dataOffset: 58,
      dataBytes: 8000,
    });
  });

  test('a streaming placeholder data size (0) means all following bytes are audio', () => {
    const wav = concat(wavHeader(1, 16000, 1, 16, 0), new Uint8Array(64000));
    const engine = createEngine(containerized);
    engine.pushAudio(wav);
    expect(engine.audioSeconds).toBe(2);
  });
});

describe('undecodable audio', () => {
  test('raw PCM without encoding is transcribed as nothing: no messages, no close, a Metadata of no audio', () => {
    // protocol.md §2.1: no transcripts, and only a Metadata with duration 0 and channels 0.
    const engine = createEngine(containerized);
    const messages = engine.pushAudio(linear16(signal(16000, [{ tone: 1 }])));
    expect([messages, engine.fatal]).toEqual([[], undefined]);
    const closing = engine.close();
    expect(closing).toEqual([expect.objectContaining({ type: 'Metadata', duration: 0, channels: 0 })]);
    expect(engine.audioBytes).toBe(32000);
  });

  test.each([
    ['OggS', 0, 'an Ogg stream (Opus, Vorbis)'],
    ['fLaC', 0, 'a FLAC stream'],
    ['ID3', 0, 'an MP3 stream (ID3)'],
    ['ftyp', 4, 'an MP4/M4A stream'],
  ])(
    'a %s container without encoding is DATA-0000 naming it (the emulator decodes only WAV)',
    (magic, at, name) => {
      const bytes = new Uint8Array(64);
      bytes.set(new TextEncoder().encode(magic), at);
      const engine = createEngine(containerized);
      engine.pushAudio(bytes);
      expect(engine.fatal).toEqual({ code: 'DATA-0000', detail: `${name}: the emulator decodes only WAV` });
    },
  );

  test('audio after DATA-0000 is ignored by the clock and the Metadata reports no audio', () => {
    const engine = createEngine(containerized);
    const ogg = new Uint8Array(4000);
    ogg.set(new TextEncoder().encode('OggS'));
    engine.pushAudio(ogg);
    engine.pushAudio(new Uint8Array(4000).fill(7));
    expect(engine.fatal?.code).toBe('DATA-0000');
    expect(engine.metadata()).toMatchObject({ duration: 0, channels: 0 });
    expect(engine.metadata().models).toBeUndefined();
  });

  test('a WAV with 24-bit samples is DATA-0000 naming the format', () => {
    const engine = createEngine(containerized);
    engine.pushAudio(concat(wavHeader(1, 16000, 1, 24, 0), new Uint8Array(300)));
    expect(engine.fatal).toEqual({
      code: 'DATA-0000',
      detail: 'unsupported WAV format (format tag 1, 24 bits per sample)',
    });
  });

  test('an encoding the emulator cannot decode is DATA-0000 at the first audio byte', () => {
    const engine = createEngine(config({ encoding: 'opus', sampleRate: 48000 }));
    expect(engine.fatal).toBeUndefined();
    engine.pushAudio(new Uint8Array(10));
    expect(engine.fatal?.code).toBe('DATA-0000');
  });

  test('an encoding without sample_rate is DATA-0000 at the first audio byte', () => {
    const engine = createEngine(config({ sampleRate: undefined }));
    engine.pushAudio(new Uint8Array(10));
    expect(engine.fatal?.detail).toMatch(/sample_rate/);
  });

  test('a RIFF stream without a data chunk in the first 64 KiB is DATA-0000', () => {
    const header = wavHeader(1, 16000, 1, 16, 0).subarray(0, 36);
    const junk = concat(new TextEncoder().encode('junk'), new Uint8Array([0xf0, 0xff, 0, 0]));
    const engine = createEngine(containerized);
    feed(engine, [header, junk, new Uint8Array(70000)]);
    expect(engine.fatal?.code).toBe('DATA-0000');
  });

  test('a 0-byte frame is a no-op', () => {
    const engine = createEngine(containerized);
    expect([engine.pushAudio(new Uint8Array(0)), engine.fatal, engine.audioBytes]).toEqual([
      [],
      undefined,
      0,
    ]);
  });
});
