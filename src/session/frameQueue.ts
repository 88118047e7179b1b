/**
 * A FIFO of frames with a running byte count: an array with a moving head, so that taking the
 * first frame is O(1) and a steady stream allocates nothing per frame once the array has grown.
 */
import type { Frame } from '../protocol/frames';

/** Bytes a frame occupies while it waits: its length (text frames are ASCII control messages). */
export function frameBytes(frame: Frame): number {
  return typeof frame === 'string' ? frame.length : frame.byteLength;
}

const NO_FRAMES: readonly Frame[] = Object.freeze([]);
const NO_TAGS: readonly number[] = Object.freeze([]);

/**
 * An ordered queue of frames waiting to be sent. While empty it holds the shared frozen empty
 * arrays (a session's queue is empty nearly all its life; its own empty arrays would cost 64 B).
 */
export class FrameQueue {
  private items: Frame[] = NO_FRAMES as Frame[];
  /** A number per item (the audio's original position), parallel to `items`; NaN when none. */
  private tags: number[] = NO_TAGS as number[];
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

  /** Adds a frame at the end, with an optional tag (read back with {@link headTag}). */
  push(frame: Frame, tag = Number.NaN): void {
    if (this.items === NO_FRAMES) {
      this.items = [frame];
      this.tags = [tag];
    } else {
      this.items.push(frame);
      this.tags.push(tag);
    }
    this.byteCount += frameBytes(frame);
  }

  /** The first frame, without removing it. */
  peek(): Frame | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  /** The tag of the first frame (NaN when it has none or the queue is empty). */
  headTag(): number {
    return this.head < this.tags.length ? this.tags[this.head]! : Number.NaN;
  }

  /** Puts frames (with their tags) before every waiting frame, in the given order. */
  prepend(frames: readonly Frame[], tags: readonly number[]): void {
    const rest = this.items.slice(this.head);
    const restTags = this.tags.slice(this.head);
    this.items = [...frames, ...rest];
    this.tags = [...frames.map((_, i) => tags[i] ?? Number.NaN), ...restTags];
    this.head = 0;
    for (const frame of frames) this.byteCount += frameBytes(frame);
  }

  /** Removes the oldest binary frame (text frames stay) and returns it with its tag. */
  dropOldestBinary(): { frame: Uint8Array; tag: number } | undefined {
    for (let i = this.head; i < this.items.length; i++) {
      const frame = this.items[i]!;
      if (typeof frame === 'string') continue;
      const tag = this.tags[i]!;
      this.items.splice(i, 1);
      this.tags.splice(i, 1);
      this.byteCount -= frame.byteLength;
      return { frame, tag };
    }
    return undefined;
  }

  /** Removes and returns the first frame; `undefined` when empty. */
  shift(): Frame | undefined {
    if (this.head >= this.items.length) return undefined;
    const frame = this.items[this.head]!;
    this.items[this.head] = '';
    this.head++;
    this.byteCount -= frameBytes(frame);
    if (this.head === this.items.length) {
      this.items = NO_FRAMES as Frame[];
      this.tags = NO_TAGS as number[];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.tags = this.tags.slice(this.head);
      this.head = 0;
    }
    return frame;
  }

  /** Forgets every frame. */
  clear(): void {
    this.items = NO_FRAMES as Frame[];
    this.tags = NO_TAGS as number[];
    this.head = 0;
    this.byteCount = 0;
  }
}
