/**
 * A FIFO of frames with a running byte count: an array with a moving head, so that taking the
 * first frame is O(1) and a steady stream allocates nothing per frame once the array has grown.
 */
import type { Frame } from '../protocol/frames';

/** Bytes a frame occupies while it waits: its length (text frames are ASCII control messages). */
export function frameBytes(frame: Frame): number {
  return typeof frame === 'string' ? frame.length : frame.byteLength;
}

/** An ordered queue of frames waiting to be sent. */
export class FrameQueue {
  private items: Frame[] = [];
  private head = 0;
  private byteCount = 0;

  /** Frames waiting. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** Bytes waiting (see {@link frameBytes}). */
  get bytes(): number {
    return this.byteCount;
  }

  /** Adds a frame at the end. */
  push(frame: Frame): void {
    this.items.push(frame);
    this.byteCount += frameBytes(frame);
  }

  /** Removes and returns the first frame; `undefined` when empty. */
  shift(): Frame | undefined {
    if (this.head >= this.items.length) return undefined;
    const frame = this.items[this.head]!;
    this.items[this.head] = '';
    this.head++;
    this.byteCount -= frameBytes(frame);
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return frame;
  }

  /** Forgets every frame. */
  clear(): void {
    this.items = [];
    this.head = 0;
    this.byteCount = 0;
  }
}
