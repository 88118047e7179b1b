import {
  clock,
  formatBanner,
  formatEmulatorNotice,
  formatFinal,
  formatInterim,
  formatKeepAlive,
  formatProgress,
  progressBar,
  seconds,
} from '../../src/cli/format';
import { results } from './results';

describe('transcript lines', () => {
  test('a final result prints its transcript after the time of its first word', () => {
    const line = formatFinal(
      results('Hello from Deepgram RX.', { start: 0.5, words: [{ word: 'hello', start: 1, end: 1.5 }] }),
    );
    expect(line).toBe('[   1.0 s] Hello from Deepgram RX.');
  });

  test('a final result without words uses the start of its window', () => {
    expect(formatFinal(results('Hi.', { start: 12.34 }))).toBe('[  12.3 s] Hi.');
  });

  test('an empty final result (silence) prints nothing', () => {
    expect(formatFinal(results('  '))).toBeUndefined();
  });

  test('multichannel results name their channel', () => {
    expect(formatFinal(results('Left.', { channels: [1, 2] }))).toBe('[   0.0 s] ch1 Left.');
  });

  test('an interim result is shown with an ellipsis, an empty one as nothing', () => {
    expect(formatInterim(results('this sample', { isFinal: false }))).toBe('… this sample');
    expect(formatInterim(results('', { isFinal: false }))).toBe('');
  });

  test('clock right-aligns the seconds', () => {
    expect(clock(3)).toBe('[   3.0 s]');
    expect(clock(1234.56)).toBe('[1234.6 s]');
  });

  test('seconds prints one decimal by default', () => {
    expect(seconds(12)).toBe('12.0 s');
    expect(seconds(0.123, 2)).toBe('0.12 s');
  });
});

describe('KeepAlive lines', () => {
  test('a KeepAlive line says where in the file it was sent and why', () => {
    expect(formatKeepAlive(12, 'pause')).toBe('  · KeepAlive at 12.0 s (pause)');
    expect(formatKeepAlive(3.04, 'no audio')).toBe('  · KeepAlive at 3.0 s (no audio)');
  });
});

describe('banner and notices', () => {
  const info = {
    file: 'samples/pauses-16k.wav',
    fileSeconds: 38.236,
    format: { encoding: 'linear16', sample_rate: 16000, channels: 1 },
    endpoint: 'wss://api.deepgram.com/v1/listen',
    pace: 'realtime' as const,
    gate: true,
    keepAliveMs: 3000 as number | false,
    model: 'nova-3',
  };

  test('the banner names the file, its format, the endpoint and the pace', () => {
    expect(formatBanner(info)[0]).toBe(
      'Streaming samples/pauses-16k.wav (38.2 s, linear16 16000 Hz mono) to wss://api.deepgram.com/v1/listen in real time',
    );
  });

  test('the banner says how gating and KeepAlive are set', () => {
    expect(formatBanner(info)[1]).toBe(
      'model nova-3 · silence gate on · KeepAlive after 3.0 s without audio',
    );
    expect(formatBanner({ ...info, gate: false, keepAliveMs: false, pace: 'fast' })).toEqual([
      expect.stringContaining('as fast as possible (--fast)'),
      'model nova-3 · silence gate off (--no-gate) · KeepAlive off (--no-keepalive)',
    ]);
  });

  test('the emulator notice says it is the emulator and that transcripts come from the script', () => {
    const lines = formatEmulatorNotice(
      'ws://127.0.0.1:1234/v1/listen',
      'samples/a.words.json',
      'samples/a.wav',
    );
    expect(lines[0]).toContain('built-in Deepgram emulator at ws://127.0.0.1:1234/v1/listen');
    expect(lines[1]).toBe(
      'The emulator is not a speech recognizer: its transcripts come from the script samples/a.words.json, not from the audio.',
    );
  });

  test('without a script the emulator notice warns that transcripts will be empty', () => {
    const lines = formatEmulatorNotice('ws://127.0.0.1:1234/v1/listen', undefined, 'b.wav');
    expect(lines[1]).toContain('not a speech recognizer, and b.wav has no script');
    expect(lines[1]).toContain('empty transcripts');
  });
});

describe('progress line', () => {
  test('a bar fills in proportion and clamps out-of-range fractions', () => {
    expect(progressBar(0.5, 10)).toBe('█████░░░░░');
    expect(progressBar(2, 4)).toBe('████');
    expect(progressBar(-1, 4)).toBe('░░░░');
    expect(progressBar(Number.NaN, 4)).toBe('░░░░');
  });

  test('the progress line shows position, sent audio, KeepAlives and a pause', () => {
    expect(
      formatProgress({ position: 19.04, total: 38.236, sent: 11, keepAlives: 1, holding: true }, 4),
    ).toBe('██░░ 19.0 / 38.2 s · sent 11.0 s · 1 KeepAlive · pause');
    expect(formatProgress({ position: 0, total: 10, sent: 0, keepAlives: 2, holding: false }, 4)).toBe(
      '░░░░ 0.0 / 10.0 s · sent 0.0 s · 2 KeepAlives',
    );
  });
});
