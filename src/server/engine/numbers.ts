/**
 * Number formatting of the emulator's messages: times and confidences are rounded to 6 decimals so
 * that sums of sample counts never print float noise such as `1.0000000000000002`.
 */

/** `x` rounded to 6 decimals. */
export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
