/**
 * fromMicrophone's conversion of Web Audio float samples to linear16 (16-bit little-endian PCM).
 */
import { floatToInt16, toLinear16 } from '../../src/audio/pcmLinear16';

function int16s(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.length / 2 }, (_, i) => view.getInt16(i * 2, true));
}

test('full scale maps to the ends of the 16-bit range and zero to zero', () => {
  expect([floatToInt16(-1), floatToInt16(0), floatToInt16(1)]).toEqual([-32768, 0, 32767]);
});

test('values beyond full scale are clipped instead of wrapping around', () => {
  expect([floatToInt16(1.5), floatToInt16(-3), floatToInt16(Infinity), floatToInt16(-Infinity)]).toEqual([
    32767, -32768, 32767, -32768,
  ]);
});

test('NaN becomes silence', () => {
  expect(floatToInt16(NaN)).toBe(0);
});

test('samples in range are scaled and rounded to the nearest integer', () => {
  expect([
    floatToInt16(0.5),
    floatToInt16(-0.5),
    floatToInt16(1 / 32767),
    floatToInt16(-0.25 / 32768),
  ]).toEqual([16384, -16384, 1, -0]);
});

test('toLinear16 writes two bytes per sample, little-endian', () => {
  const bytes = toLinear16(Float32Array.of(1, -1, 0.5, 2));
  expect(Array.from(bytes)).toEqual([0xff, 0x7f, 0x00, 0x80, 0x00, 0x40, 0xff, 0x7f]);
  expect(int16s(bytes)).toEqual([32767, -32768, 16384, 32767]);
});
