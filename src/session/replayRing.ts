/**
 * The audio a session may have to send again after a reconnect: every chunk sent on the current
 * connection that is not yet covered by a final result, bounded by `reconnect.replayMs`.
 */
import type { AudioSpan } from './timelineTypes';

/** One chunk of sent audio and where it lies on the original audio (seconds). */
export interface SentChunk {
  readonly bytes: Uint8Array;
  readonly from: number;
  readonly seconds: number;
}

const EPSILON = 1e-6;

/**
 * A bounded FIFO of sent chunks.
 *
 * - `add` keeps a chunk; past `maxSeconds` of audio the oldest chunks are evicted, and their
 *   span is remembered as at risk (sent once, not final yet).
 * - `trim(finalizedUpTo)` forgets chunks that end at or before the finalized position (their
 *   words are final; replaying them would only be deduplicated), and the risk they covered.
 * - `take()` empties the ring for a replay, with the span that can no longer be replayed (the
 *   evicted, not final audio), if any.
 */
export class ReplayRing {
  private chunks: SentChunk[] = [];
  private head = 0;
  private totalSeconds = 0;
  private lost: { from: number; to: number } | undefined;

  constructor(private readonly maxSeconds: number) {}

  /** Seconds of audio held. */
  get seconds(): number {
    return this.totalSeconds;
  }

  add(chunk: SentChunk): void {
    this.chunks.push(chunk);
    this.totalSeconds += chunk.seconds;
    while (this.totalSeconds > this.maxSeconds + EPSILON && this.head < this.chunks.length) {
      const evicted = this.chunks[this.head]!;
      this.chunks[this.head] = undefined as unknown as SentChunk;
      this.head++;
      this.totalSeconds -= evicted.seconds;
      const to = evicted.from + evicted.seconds;
      this.lost = this.lost === undefined ? { from: evicted.from, to } : { from: this.lost.from, to };
    }
    this.compact();
  }

  trim(finalizedUpTo: number): void {
    while (this.head < this.chunks.length) {
      const first = this.chunks[this.head]!;
      if (first.from + first.seconds > finalizedUpTo + EPSILON) break;
      this.chunks[this.head] = undefined as unknown as SentChunk;
      this.head++;
      this.totalSeconds -= first.seconds;
    }
    if (this.lost !== undefined) {
      if (this.lost.to <= finalizedUpTo + EPSILON) this.lost = undefined;
      else if (this.lost.from < finalizedUpTo) this.lost = { from: finalizedUpTo, to: this.lost.to };
    }
    this.compact();
  }

  /** Removes and returns every chunk, oldest first, and the evicted span not yet final. */
  take(): { chunks: SentChunk[]; lost: AudioSpan | undefined } {
    const chunks = this.chunks.slice(this.head);
    const lost = this.lost;
    this.chunks = [];
    this.head = 0;
    this.totalSeconds = 0;
    this.lost = undefined;
    return { chunks, lost };
  }

  private compact(): void {
    if (this.head === this.chunks.length) {
      this.chunks = [];
      this.head = 0;
      this.totalSeconds = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }
}
