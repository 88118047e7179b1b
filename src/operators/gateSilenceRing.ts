/**
 * Fixed-capacity byte ring that remembers the latest bytes of a stream by absolute position
 * (private to `gateSilence`). Writing copies, so a source that reuses its buffers cannot change what
 * the ring holds; writing allocates nothing.
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

  /** Appends a copy of `chunk` (only its last `capacity` bytes can be kept). */
  write(chunk: Uint8Array): void {
    const n = chunk.length;
    const capacity = this.capacity;
    const skip = n > capacity ? n - capacity : 0;
    let w = (this.end + skip) % capacity;
    for (let i = skip; i < n; i++) {
      this.buffer[w] = chunk[i]!;
      if (++w === capacity) w = 0;
    }
    this.end += n;
    if (this.end - this.start > capacity) this.start = this.end - capacity;
  }

  /** Copies the bytes at absolute positions `[from, to)` into `target` at `offset`. */
  copyTo(from: number, to: number, target: Uint8Array, offset: number): void {
    if (from < this.start || to > this.end || from > to) {
      throw new RangeError(`ByteRing: [${from}, ${to}) is not within [${this.start}, ${this.end})`);
    }
    const capacity = this.capacity;
    let r = from % capacity;
    for (let p = from, o = offset; p < to; p++, o++) {
      target[o] = this.buffer[r]!;
      if (++r === capacity) r = 0;
    }
  }
}
