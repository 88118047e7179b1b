/**
 * fromMicrophone's resampler: device rate → the chosen rate, streaming, band-limited, drift-free.
 */
import fc from 'fast-check';
import { createResampler } from '../../src/audio/pcmResampler';

function sine(rate: number, hz: number, seconds: number, amplitude = 0.5): Float32Array {
  return Float32Array.from(
    { length: Math.round(rate * seconds) },
    (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / rate),
  );
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function rms(samples: Float32Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}

/** Largest difference between the output and the ideal sine at the output rate, ignoring the start-up transient. */
function maxErrorAgainstSine(out: Float32Array, rate: number, hz: number, skip: number): number {
  let worst = 0;
  for (let n = skip; n < out.length; n++) {
    worst = Math.max(worst, Math.abs(out[n]! - 0.5 * Math.sin((2 * Math.PI * hz * n) / rate)));
  }
  return worst;
}

test('equal rates pass the samples through unchanged', () => {
  const input = Float32Array.of(0.1, -0.2, 0.3);
  expect(Array.from(createResampler(16000, 16000).push(input))).toEqual(Array.from(input));
});

test('48 kHz to 16 kHz keeps a 440 Hz tone at the same times and amplitude', () => {
  const out = createResampler(48000, 16000).push(sine(48000, 440, 1));
  expect(maxErrorAgainstSine(out, 16000, 440, 32)).toBeLessThan(2e-3);
});

test('44.1 kHz to 16 kHz (a non-integer ratio) keeps a 1 kHz tone', () => {
  const out = createResampler(44100, 16000).push(sine(44100, 1000, 1));
  expect(maxErrorAgainstSine(out, 16000, 1000, 32)).toBeLessThan(2e-3);
});

test('16 kHz to 48 kHz (upsampling) keeps a 440 Hz tone', () => {
  const out = createResampler(16000, 48000).push(sine(16000, 440, 1));
  expect(maxErrorAgainstSine(out, 48000, 440, 96)).toBeLessThan(2e-3);
});

test('a tone above the target Nyquist frequency is filtered out instead of aliasing', () => {
  // 12 kHz at 48 kHz would alias to 4 kHz at 16 kHz without the low-pass.
  const out = createResampler(48000, 16000).push(sine(48000, 12000, 1));
  expect(rms(out.subarray(32))).toBeLessThan(0.5 * 0.01); // more than 40 dB down
});

test('digital silence stays exactly zero and a constant stays constant', () => {
  expect(
    createResampler(48000, 16000)
      .push(new Float32Array(4800))
      .every((s) => s === 0),
  ).toBe(true);
  const constant = createResampler(48000, 16000).push(new Float32Array(4800).fill(0.25)).subarray(16);
  expect(Math.max(...Array.from(constant, (s) => Math.abs(s - 0.25)))).toBeLessThan(1e-6);
});

test('the output count follows the rate ratio without drift over a long stream', () => {
  const resampler = createResampler(48000, 16000);
  let produced = 0;
  const block = new Float32Array(128);
  const checkpoints: number[] = [];
  for (let second = 1; second <= 20; second++) {
    for (let i = 0; i < 48000 / 128; i++) produced += resampler.push(block).length;
    checkpoints.push(second * 16000 - produced);
  }
  // Every second: the exact count, less the filter's look-ahead of 40 input samples (13 output samples).
  expect(checkpoints).toEqual(new Array<number>(20).fill(13));
});

test('the output does not depend on how the input is split across callbacks', () => {
  const input = sine(48000, 700, 0.05);
  const whole = createResampler(48000, 16000).push(input);
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 500 }), { maxLength: 12 }), (cuts) => {
      const resampler = createResampler(48000, 16000);
      const parts: Float32Array[] = [];
      let from = 0;
      for (const cut of cuts) {
        const to = Math.min(input.length, from + cut);
        parts.push(resampler.push(input.subarray(from, to)));
        from = to;
      }
      parts.push(resampler.push(input.subarray(from)));
      expect(Buffer.from(concat(parts).buffer).equals(Buffer.from(whole.buffer))).toBe(true);
    }),
    { numRuns: 30 },
  );
});

test('a rate that is not a positive finite number is refused', () => {
  expect(() => createResampler(0, 16000)).toThrow(RangeError);
  expect(() => createResampler(48000, NaN)).toThrow(/outputRate/);
});
