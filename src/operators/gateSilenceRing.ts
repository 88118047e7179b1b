/**
 * Fixed-capacity byte ring that remembers the latest bytes of a stream by absolute position
 * (private to `gateSilence`). Writing copies, so a source that reuses its buffers cannot change what
 * the ring holds; writing allocates nothing unless the chunk wraps around the end of the buffer (then
 * up to two short-lived `subarray` views).
 */
export class ByteRing {
  private readonly buffer: Uint8Array;
  /** Absolute stream position of the oldest byte still held. */
  private start = 0;
  /** Absolute stream position just after the newest byte held. */
  private end = 0;

  constructor(readonly capacity: number) {
    this.buffer = new Uint8Array(capacity);
  }

  /** Forgets everything; the next byte written has absolute position `position`. */
  reset(position: number): void {
    this.start = position;
    this.end = position;
  }

  /**
   * Appends a copy of `chunk` (only its last `capacity` bytes can be kept). The kept bytes go in
   * with at most two `set` calls: up to the end of the buffer, then the rest from its start.
   */
  write(chunk: Uint8Array): void {
    const n = chunk.length;
    const capacity = this.capacity;
    const skip = n > capacity ? n - capacity : 0;
    const w = (this.end + skip) % capacity;
    // Bytes that fit before the end of the buffer; the rest (if any) wraps to index 0.
    const first = Math.min(n - skip, capacity - w);
    this.buffer.set(skip === 0 && first === n ? chunk : chunk.subarray(skip, skip + first), w);
    if (skip + first < n) this.buffer.set(chunk.subarray(skip + first), 0);
    this.end += n;
    if (this.end - this.start > capacity) this.start = this.end - capacity;
  }

  /** Copies the bytes at absolute positions `[from, to)` into `target` at `offset`. */
  copyTo(from: number, to: number, target: Uint8Array, offset: number): void {
    if (from < this.start || to > this.end || from > to) {
      throw new RangeError(`ByteRing: [${from}, ${to}) is not within [${this.start}, ${this.end})`);
    }
    const capacity = this.capacity;
    const r = from % capacity;
    // Held bytes are at most `capacity` long: at most one wrap, so two segments.
    const first = Math.min(to - from, capacity - r);
    target.set(this.buffer.subarray(r, r + first), offset);
    if (first < to - from) target.set(this.buffer.subarray(0, to - from - first), offset + first);
  }
}
