/**
 * Frame-based energy detector behind `gateSilence` (private: not exported from the package).
 *
 * The byte stream is cut into fixed analysis frames of `frameSamples` sample frames (all channels)
 * counted from byte 0, whatever the chunk boundaries: a chunk may end in the middle of a 16-bit
 * sample or of a multi-channel frame, and the next chunk continues it. A frame is speech when the
 * mean square of ANY channel reaches the threshold (levels are RMS relative to 32768, as `rmsDbfs`).
 * `analyze` allocates nothing: the per-channel sums live in one array made by the constructor.
 *
 * Mono streams (the common case) take a fast path per encoding that keeps the running sum in a local
 * between frame boundaries; two or more channels take the general per-sample, per-channel path. Both
 * add the squares in stream order from the same carried-over sum, so their results are identical.
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
    // A threshold above the loudest frame the encoding can carry (0 dBFS: a full-scale square
    // wave of ±32767 is -0.0003 dBFS against 32768, mu-law's loudest -0.17) is taken as that frame.
    const loudestPower = Math.pow(this.table === undefined ? 32767 : loudestOf(this.table), 2);
    const power = Math.min(FULL_SCALE_POWER * Math.pow(10, thresholdDbfs / 10), loudestPower);
    this.thresholdSum = power * this.frameSamples;
    this.onFrame = onFrame;
  }

  /**
   * Where the frame still incomplete at the end of the stream starts, when the samples it has
   * reach the threshold (their mean, as a whole frame's); -1 when it is silent or empty.
   */
  partialSpeechStart(): number {
    const samples = this.samplesInFrame;
    if (samples === 0) return -1;
    let loudest = 0;
    for (let c = 0; c < this.channels; c++) loudest = Math.max(loudest, this.sums[c]!);
    return loudest >= (this.thresholdSum / this.frameSamples) * samples
      ? this.framesDone * this.frameBytes
      : -1;
  }

  /** Feeds the next chunk of the stream; updates `lastSpeechEnd` and `firstSpeechStart`. */
  analyze(chunk: Uint8Array): void {
    this.firstSpeechStart = -1;
    if (chunk.length === 0) return;
    const table = this.table;
    if (this.channels > 1) this.analyzeInterleaved(chunk, table);
    else if (table === undefined) this.analyzeLinear16Mono(chunk);
    else this.analyzeTableMono(chunk, table);
  }

  /**
   * Mono linear16 fast path. The running sum of squares and the sample count of the current frame
   * live in locals while the loop runs up to the next frame boundary (or the end of the chunk), and
   * go back to `sums[0]` / `samplesInFrame` when the chunk ends. The samples are added one by one
   * in stream order starting from the carried-over sum, exactly as the general path adds them, so
   * the sums, levels and decisions are bit-for-bit the same.
   */
  private analyzeLinear16Mono(chunk: Uint8Array): void {
    const n = chunk.length;
    const frameSamples = this.frameSamples;
    let sum = this.sums[0]!;
    let count = this.samplesInFrame;
    let i = 0;
    if (this.pendingLow >= 0) {
      // The previous chunk ended between the two bytes of a sample: finish that sample first.
      const sample = toInt16(this.pendingLow | (chunk[0]! << 8));
      this.pendingLow = -1;
      sum += sample * sample;
      i = 1;
      if (++count === frameSamples) {
        this.endFrame(sum);
        sum = 0;
        count = 0;
      }
    }
    // Byte index just past the last whole sample of the chunk (i and whole stay the same parity).
    const whole = n - ((n - i) & 1);
    while (i < whole) {
      // Stop at the frame boundary or at the last whole sample, whichever comes first.
      const stop = Math.min(whole, i + 2 * (frameSamples - count));
      count += (stop - i) >> 1;
      for (; i < stop; i += 2) {
        // Little-endian 16-bit sample; `<< 16 >> 16` sign-extends it like toInt16.
        const sample = ((chunk[i]! | (chunk[i + 1]! << 8)) << 16) >> 16;
        sum += sample * sample;
      }
      if (count === frameSamples) {
        this.endFrame(sum);
        sum = 0;
        count = 0;
      }
    }
    if (i < n) this.pendingLow = chunk[i]!;
    this.sums[0] = sum;
    this.samplesInFrame = count;
  }

  /** Mono mu-law / A-law fast path: as {@link analyzeLinear16Mono}, one byte per sample. */
  private analyzeTableMono(chunk: Uint8Array, table: Int16Array): void {
    const n = chunk.length;
    const frameSamples = this.frameSamples;
    let sum = this.sums[0]!;
    let count = this.samplesInFrame;
    let i = 0;
    while (i < n) {
      const stop = Math.min(n, i + (frameSamples - count));
      count += stop - i;
      for (; i < stop; i++) {
        const sample = table[chunk[i]!]!;
        sum += sample * sample;
      }
      if (count === frameSamples) {
        this.endFrame(sum);
        sum = 0;
        count = 0;
      }
    }
    this.sums[0] = sum;
    this.samplesInFrame = count;
  }

  /** General path for two or more interleaved channels: one sum per channel in `sums`. */
  private analyzeInterleaved(chunk: Uint8Array, table: Int16Array | undefined): void {
    const n = chunk.length;
    if (table !== undefined) {
      for (let i = 0; i < n; i++) this.add(table[chunk[i]!]!);
      return;
    }
    let i = 0;
    if (this.pendingLow >= 0) {
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

  /** Interleaved path: a frame is as loud as its loudest channel. */
  private completeFrame(): void {
    let loudest = 0;
    for (let c = 0; c < this.channels; c++) {
      const sum = this.sums[c]!;
      if (sum > loudest) loudest = sum;
    }
    this.endFrame(loudest);
  }

  /**
   * Records a completed frame whose loudest channel's sum of squares is `loudest` and starts the
   * next frame (sums 0, no samples) before calling the listener.
   */
  private endFrame(loudest: number): void {
    this.sums.fill(0);
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

/** The largest magnitude in a G.711 expansion table. */
function loudestOf(table: Int16Array): number {
  let loudest = 0;
  for (const sample of table) loudest = Math.max(loudest, Math.abs(sample));
  return loudest;
}

function toInt16(value: number): number {
  return value & 0x8000 ? value - 0x10000 : value;
}
