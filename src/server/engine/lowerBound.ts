/** Binary search over the emulator's sorted time tables. */

/** Index of the first element of `sorted` (ascending) that is `>= x`; `sorted.length` if none. */
export function lowerBound(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
