/**
 * The engine's queue of received audio that waits for a listening recognizer to decide its words
 * (`Recognizer.settledSeconds`): bytes in, the oldest bytes out, in order.
 */
export class HeldAudio {
  private buffer = new Uint8Array(4096);
  private head = 0;
  private tail = 0;

  /** Bytes waiting. */
  get length(): number {
    return this.tail - this.head;
  }

  /** The waiting bytes are `bytes[offset, offset + length)`. */
  get bytes(): Uint8Array {
    return this.buffer;
  }

  get offset(): number {
    return this.head;
  }

  append(bytes: Uint8Array, offset: number, length: number): void {
    if (this.tail + length > this.buffer.length) {
      const waiting = this.length;
      if (waiting + length <= this.buffer.length / 2) {
        this.buffer.copyWithin(0, this.head, this.tail);
      } else {
        const grown = new Uint8Array(Math.max(this.buffer.length * 2, waiting + length));
        grown.set(this.buffer.subarray(this.head, this.tail));
        this.buffer = grown;
      }
      this.head = 0;
      this.tail = waiting;
    }
    this.buffer.set(bytes.subarray(offset, offset + length), this.tail);
    this.tail += length;
  }

  /** Drops the `count` oldest bytes. */
  consume(count: number): void {
    this.head += count;
    if (this.head === this.tail) this.head = this.tail = 0;
  }
}
