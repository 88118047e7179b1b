/**
 * Frame-based energy detector behind `gateSilence` (private: not exported from the package).
 *
 * The byte stream is cut into fixed analysis frames of `frameSamples` sample frames (all channels)
 * counted from byte 0, whatever the chunk boundaries: a chunk may end in the middle of a 16-bit
 * sample or of a multi-channel frame, and the next chunk continues it. A frame is speech when the
 * mean square of ANY channel reaches the threshold (levels are RMS relative to 32768, as `rmsDbfs`).
 * `analyze` allocates nothing: the per-channel sums live in one array made by the constructor.
 */
import { ALAW_TO_LINEAR, MULAW_TO_LINEAR, bytesPerSample, type RawEncoding } from '../protocol/audioFormat';

/** Called once per completed analysis frame (tests and diagnostics only). */
export type FrameListener = (frameEnd: number, levelDbfs: number, speech: boolean) => void;

/** Format and threshold of a {@link SilenceDetector}; every value already validated. */
export interface SilenceDetectorSettings {
  readonly encoding: RawEncoding;
  readonly sampleRate: number;
  readonly channels: number;
  readonly thresholdDbfs: number;
  /** Length of an analysis frame in milliseconds (rounded to whole samples, at least one). */
  readonly frameMs: number;
}

const FULL_SCALE_POWER = 32768 * 32768;

/** Energy detector over a byte stream of raw audio, fed chunk by chunk. */
export class SilenceDetector {
  /** Sample frames (one sample of every channel) per analysis frame. */
  readonly frameSamples: number;
  /** Bytes per analysis frame. */
  readonly frameBytes: number;
  /** End byte (exclusive) of the latest speech frame in the whole stream; -1 before the first. */
  lastSpeechEnd = -1;
  /** Start byte of the first speech frame that completed during the latest `analyze`; -1 if none. */
  firstSpeechStart = -1;

  private readonly table: Int16Array | undefined;
  private readonly channels: number;
  private readonly sums: Float64Array;
  /** A frame is speech when one channel's sum of squares reaches this. */
  private readonly thresholdSum: number;
  private readonly onFrame: FrameListener | undefined;
  private channel = 0;
  private samplesInFrame = 0;
  private framesDone = 0;
  /** linear16: the low byte of a sample whose high byte is in the next chunk; -1 when none. */
  private pendingLow = -1;

  constructor(settings: SilenceDetectorSettings, onFrame?: FrameListener) {
    const { encoding, sampleRate, channels, thresholdDbfs, frameMs } = settings;
    this.table = encoding === 'mulaw' ? MULAW_TO_LINEAR : encoding === 'alaw' ? ALAW_TO_LINEAR : undefined;
    this.channels = channels;
    this.frameSamples = Math.max(1, Math.round((sampleRate * frameMs) / 1000));
    this.frameBytes = this.frameSamples * channels * bytesPerSample(encoding);
    this.sums = new Float64Array(channels);
    this.thresholdSum = FULL_SCALE_POWER * Math.pow(10, thresholdDbfs / 10) * this.frameSamples;
    this.onFrame = onFrame;
  }

  /** Feeds the next chunk of the stream; updates `lastSpeechEnd` and `firstSpeechStart`. */
  analyze(chunk: Uint8Array): void {
    this.firstSpeechStart = -1;
    const n = chunk.length;
    const table = this.table;
    if (table !== undefined) {
      for (let i = 0; i < n; i++) this.add(table[chunk[i]!]!);
      return;
    }
    let i = 0;
    if (this.pendingLow >= 0 && n > 0) {
      this.add(toInt16(this.pendingLow | (chunk[0]! << 8)));
      this.pendingLow = -1;
      i = 1;
    }
    for (; i + 1 < n; i += 2) this.add(toInt16(chunk[i]! | (chunk[i + 1]! << 8)));
    if (i < n) this.pendingLow = chunk[i]!;
  }

  private add(sample: number): void {
    this.sums[this.channel] = this.sums[this.channel]! + sample * sample;
    if (++this.channel < this.channels) return;
    this.channel = 0;
    if (++this.samplesInFrame === this.frameSamples) this.completeFrame();
  }

  private completeFrame(): void {
    let loudest = 0;
    for (let c = 0; c < this.channels; c++) {
      const sum = this.sums[c]!;
      if (sum > loudest) loudest = sum;
      this.sums[c] = 0;
    }
    this.samplesInFrame = 0;
    this.framesDone++;
    const end = this.framesDone * this.frameBytes;
    const speech = loudest >= this.thresholdSum;
    if (speech) {
      if (this.firstSpeechStart < 0) this.firstSpeechStart = end - this.frameBytes;
      this.lastSpeechEnd = end;
    }
    if (this.onFrame !== undefined) {
      const level =
        loudest === 0 ? -Infinity : 10 * Math.log10(loudest / this.frameSamples / FULL_SCALE_POWER);
      this.onFrame(end, level, speech);
    }
  }
}

function toInt16(value: number): number {
  return value & 0x8000 ? value - 0x10000 : value;
}
