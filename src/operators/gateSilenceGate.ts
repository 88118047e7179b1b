/**
 * The state machine of `gateSilence` (private), in byte positions of the source stream.
 *
 * A chunk is sent whole (same reference) when a speech frame completes in it or when it starts less
 * than `hangoverBytes` after the end of the latest speech frame; otherwise it is held: copied into a
 * ring of the latest `prerollBytes + frameBytes + blockAlign` bytes. At an onset (a kept chunk after
 * held ones) the held bytes from `prerollBytes` before the first speech frame up to the chunk are
 * emitted first, as one new `Uint8Array`, then the chunk. Everything held before that is dropped and
 * reported to `sink.gated`. A dropped span is always a whole number of sample frames (`blockAlign`
 * bytes), so the audio that goes out keeps its sample and channel alignment even when chunks split
 * samples: if the gate closed in the middle of a sample frame, the rest of that frame is sent too.
 */
import { ByteRing } from './gateSilenceRing';
import type { SilenceDetector } from './silenceDetector';

/** Where the gate's decisions go. */
export interface GateSink {
  /** A chunk to send: a source chunk (same reference) or a new preroll chunk. */
  emit(chunk: Uint8Array): void;
  /** Bytes `[from, to)` of the source were dropped (never called with an empty span). */
  gated(from: number, to: number): void;
}

/** Gate lengths in bytes, whole sample frames. */
export interface GateLengths {
  readonly prerollBytes: number;
  readonly hangoverBytes: number;
  /** Bytes per sample frame: bytes per sample × channels. */
  readonly blockAlign: number;
}

/** Silence gate over a byte stream, fed chunk by chunk. */
export class SilenceGate {
  private readonly ring: ByteRing;
  /** Bytes right after the close position up to the next sample-frame boundary (always sent). */
  private readonly head: Uint8Array;
  private headLength = 0;
  /** Bytes of the source seen so far. */
  private position = 0;
  private open = false;
  /** Start of the bytes held since the gate closed (everything before it was sent or reported). */
  private closedAt = 0;

  constructor(
    private readonly detector: SilenceDetector,
    private readonly lengths: GateLengths,
    private readonly sink: GateSink,
  ) {
    this.ring = new ByteRing(lengths.prerollBytes + detector.frameBytes + lengths.blockAlign);
    this.head = new Uint8Array(lengths.blockAlign);
  }

  /** Processes the next chunk of the source. Zero-length chunks carry no audio and are ignored. */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    const detector = this.detector;
    const chunkStart = this.position;
    detector.analyze(chunk);
    this.position += chunk.length;
    const keep =
      detector.lastSpeechEnd >= 0 && detector.lastSpeechEnd + this.lengths.hangoverBytes > chunkStart;
    if (keep) {
      if (!this.open) {
        this.open = true;
        this.releasePreroll(chunkStart, detector.firstSpeechStart);
      }
      this.sink.emit(chunk);
      return;
    }
    if (this.open) {
      this.open = false;
      this.closedAt = chunkStart;
      this.headLength = 0;
      this.ring.reset(chunkStart);
    }
    this.hold(chunk);
  }

  /**
   * Called when the source ends: held bytes are silence, so they are dropped and reported, unless
   * the last analysis frame, cut short by the end, is speech: then it is sent with its preroll.
   */
  finish(): void {
    if (!this.open && this.position > this.closedAt) {
      const speechStart = this.detector.partialSpeechStart();
      if (speechStart >= 0) {
        this.releasePreroll(this.position, speechStart);
        return;
      }
      const from = this.closedAt;
      this.closedAt = this.position;
      this.sink.gated(from, this.position);
    }
  }

  private hold(chunk: Uint8Array): void {
    const headWanted = this.alignUp(this.closedAt) - this.closedAt;
    for (let i = 0; this.headLength < headWanted && i < chunk.length; i++) {
      this.head[this.headLength++] = chunk[i]!;
    }
    this.ring.write(chunk);
  }

  /** Emits the held bytes that precede an onset (see the file comment); reports what is dropped. */
  private releasePreroll(chunkStart: number, speechStart: number): void {
    const { prerollBytes, blockAlign } = this.lengths;
    const closedAt = this.closedAt;
    // [closedAt, headEnd): the rest of the sample frame the gate closed in; always sent.
    const headEnd = Math.min(this.alignUp(closedAt), chunkStart);
    const wanted = Math.min(speechStart - prerollBytes, chunkStart);
    const dropEnd =
      wanted > headEnd ? headEnd + Math.floor((wanted - headEnd) / blockAlign) * blockAlign : headEnd;
    if (dropEnd > headEnd) this.sink.gated(headEnd, dropEnd);
    const headBytes = headEnd - closedAt;
    const length = headBytes + chunkStart - dropEnd;
    this.closedAt = chunkStart;
    if (length === 0) return;
    const preroll = new Uint8Array(length);
    preroll.set(this.head.subarray(0, headBytes));
    this.ring.copyTo(dropEnd, chunkStart, preroll, headBytes);
    this.sink.emit(preroll);
  }

  private alignUp(position: number): number {
    const blockAlign = this.lengths.blockAlign;
    return Math.ceil(position / blockAlign) * blockAlign;
  }
}
