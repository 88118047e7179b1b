import type { RawEncoding } from '../../src/protocol/audioFormat';
import { SilenceDetector } from '../../src/operators/silenceDetector';
import { chunk, encode, interleave, join, noise, silence, tone } from './gateSilenceSignals';

interface FrameRecord {
  end: number;
  level: number;
  speech: boolean;
}

interface Format {
  encoding: RawEncoding;
  sampleRate: number;
  channels?: number;
  thresholdDbfs?: number;
}

function analyze(bytes: Uint8Array, chunkSize: number, format: Format): FrameRecord[] {
  const frames: FrameRecord[] = [];
  const detector = new SilenceDetector(
    {
      encoding: format.encoding,
      sampleRate: format.sampleRate,
      channels: format.channels ?? 1,
      thresholdDbfs: format.thresholdDbfs ?? -50,
      frameMs: 10,
    },
    (end, level, speech) => frames.push({ end, level, speech }),
  );
  for (const c of chunk(bytes, chunkSize)) detector.analyze(c);
  return frames;
}

const L16 = { encoding: 'linear16', sampleRate: 16000 } as const;
const TWENTY_MS_L16 = 640;

test('digital silence gives no speech frame and a level of -Infinity', () => {
  const frames = analyze(encode(silence(16000, 1), 'linear16'), TWENTY_MS_L16, L16);
  expect(frames).toHaveLength(100);
  expect(frames.every((f) => !f.speech && f.level === -Infinity)).toBe(true);
});

test('a tone at -20 dBFS is speech in every frame and measures -20 dBFS', () => {
  const frames = analyze(encode(tone(16000, 1, -20), 'linear16'), TWENTY_MS_L16, L16);
  expect(frames.every((f) => f.speech)).toBe(true);
  for (const f of frames) expect(f.level).toBeCloseTo(-20, 1);
});

test('a tone at -60 dBFS stays below the default -50 dBFS threshold in every frame', () => {
  const frames = analyze(encode(tone(16000, 1, -60), 'linear16'), TWENTY_MS_L16, L16);
  expect(frames.some((f) => f.speech)).toBe(false);
  for (const f of frames) expect(f.level).toBeCloseTo(-60, 0);
});

test('white noise at -30 dBFS from a seeded PRNG is speech and measures about -30 dBFS', () => {
  const frames = analyze(encode(noise(16000, 1, -30, 7), 'linear16'), TWENTY_MS_L16, L16);
  expect(frames.every((f) => f.speech)).toBe(true);
  for (const f of frames) expect(Math.abs(f.level + 30)).toBeLessThan(1.5);
});

test('white noise at -65 dBFS is silence at the default threshold', () => {
  const frames = analyze(encode(noise(16000, 1, -65, 11), 'linear16'), TWENTY_MS_L16, L16);
  expect(frames.some((f) => f.speech)).toBe(false);
});

test('a threshold of -70 dBFS turns -65 dBFS noise into speech', () => {
  const frames = analyze(encode(noise(16000, 1, -65, 11), 'linear16'), TWENTY_MS_L16, {
    ...L16,
    thresholdDbfs: -70,
  });
  expect(frames.every((f) => f.speech)).toBe(true);
});

test('analysis frames are 10 ms of audio of every channel', () => {
  const detector = (encoding: RawEncoding, sampleRate: number, channels: number): number =>
    new SilenceDetector({ encoding, sampleRate, channels, thresholdDbfs: -50, frameMs: 10 }).frameBytes;
  expect(detector('linear16', 16000, 1)).toBe(320);
  expect(detector('linear16', 22050, 1)).toBe(442);
  expect(detector('linear16', 48000, 2)).toBe(1920);
  expect(detector('mulaw', 8000, 1)).toBe(80);
});

test('the detector reports the first speech frame of a chunk and the end of the latest one in bytes', () => {
  const detector = new SilenceDetector({
    encoding: 'linear16',
    sampleRate: 16000,
    channels: 1,
    thresholdDbfs: -50,
    frameMs: 10,
  });
  // 100 ms silence, 50 ms tone, 50 ms silence in one chunk: frames 10..14 are speech.
  detector.analyze(
    encode(join(silence(16000, 0.1), tone(16000, 0.05, -20), silence(16000, 0.05)), 'linear16'),
  );
  expect(detector.firstSpeechStart).toBe(3200);
  expect(detector.lastSpeechEnd).toBe(4800);
  detector.analyze(encode(silence(16000, 0.1), 'linear16'));
  expect(detector.firstSpeechStart).toBe(-1);
  expect(detector.lastSpeechEnd).toBe(4800);
});

const mixed = join(
  silence(16000, 0.3),
  tone(16000, 0.25, -20),
  noise(16000, 0.3, -62, 3),
  tone(16000, 0.123, -45),
  noise(16000, 0.2, -30, 5),
  silence(16000, 0.2),
);

test.each([1, 3, 1001])('%i-byte chunks give the same frames as 20 ms chunks', (size) => {
  const bytes = encode(mixed, 'linear16');
  const reference = analyze(bytes, TWENTY_MS_L16, L16);
  expect(reference.filter((f) => f.speech).length).toBeGreaterThan(10);
  expect(analyze(bytes, size, L16)).toEqual(reference);
});

test.each(['mulaw', 'alaw'] as const)(
  '%s: a -20 dBFS tone is speech and a -60 dBFS tone is not',
  (encoding) => {
    const format = { encoding, sampleRate: 8000 };
    const loud = analyze(encode(tone(8000, 0.5, -20), encoding), 160, format);
    const quiet = analyze(encode(tone(8000, 0.5, -60), encoding), 160, format);
    expect(loud.every((f) => f.speech && Math.abs(f.level + 20) < 0.5)).toBe(true);
    expect(quiet.some((f) => f.speech)).toBe(false);
  },
);

test.each(['mulaw', 'alaw'] as const)('%s: encoded digital silence is silence', (encoding) => {
  const frames = analyze(encode(silence(8000, 0.5), encoding), 160, { encoding, sampleRate: 8000 });
  expect(frames).toHaveLength(50);
  expect(frames.some((f) => f.speech)).toBe(false);
});

test('mu-law: 1-byte chunks give the same frames as 20 ms chunks', () => {
  const bytes = encode(join(silence(8000, 0.2), tone(8000, 0.2, -25), noise(8000, 0.2, -70, 9)), 'mulaw');
  const format = { encoding: 'mulaw', sampleRate: 8000 } as const;
  expect(analyze(bytes, 1, format)).toEqual(analyze(bytes, 160, format));
});

test('stereo: speech in the right channel alone makes the frame speech', () => {
  const left = silence(16000, 0.5);
  const right = join(silence(16000, 0.2), tone(16000, 0.1, -30), silence(16000, 0.2));
  const frames = analyze(encode(interleave(left, right), 'linear16'), 1280, { ...L16, channels: 2 });
  expect(frames.map((f) => f.speech)).toEqual(Array.from({ length: 50 }, (_, i) => i >= 20 && i < 30));
});

test('stereo: the level of a frame is that of its loudest channel', () => {
  const left = tone(16000, 0.1, -40);
  const right = tone(16000, 0.1, -25, 300);
  const frames = analyze(encode(interleave(left, right), 'linear16'), 1280, { ...L16, channels: 2 });
  for (const f of frames) expect(f.level).toBeCloseTo(-25, 1);
});

test('stereo: 3-byte chunks that split samples and frames give the same frames as 20 ms chunks', () => {
  const left = join(tone(16000, 0.2, -20), silence(16000, 0.3));
  const right = join(silence(16000, 0.25), noise(16000, 0.25, -35, 1));
  const bytes = encode(interleave(left, right), 'linear16');
  const format = { ...L16, channels: 2 };
  const reference = analyze(bytes, 1280, format);
  expect(reference.filter((f) => !f.speech)).toHaveLength(5);
  expect(analyze(bytes, 3, format)).toEqual(reference);
});
