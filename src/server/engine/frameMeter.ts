/**
 * The energy detector's front end: decodes raw samples (linear16, mulaw, alaw; interleaved
 * channels) incrementally and reports, at the end of every detector frame, which detector channels
 * heard speech (RMS at or above a dBFS threshold). Sample frames split across chunks are carried
 * over; nothing is allocated per chunk.
 */
import { ALAW_TO_LINEAR, MULAW_TO_LINEAR, rmsDbfs, type RawEncoding } from '../../protocol/audioFormat';

/** Meter setup. */
export interface FrameMeterConfig {
  readonly encoding: RawEncoding;
  readonly channels: number;
  /** One detector per channel (multichannel) or one over all channels mixed. */
  readonly perChannel: boolean;
  /** Sample frames (one sample of every channel) per detector frame. */
  readonly frameLength: number;
  readonly thresholdDbfs: number;
}

/** Incremental sample decoder and per-frame speech detector. */
export class FrameMeter {
  /** Speech flag of each detector for the frame just completed (valid inside the callback). */
  readonly speech: Uint8Array;
  /** Complete sample frames received so far (the audio clock in samples per channel). */
  totalFrames = 0;

  private readonly bytesPerFrame: number;
  private readonly table: Int16Array | undefined;
  private readonly sums: Float64Array;
  private readonly samplesPerDetector: number;
  private readonly carry: Uint8Array;
  private carryLength = 0;
  private frameFill = 0;

  constructor(private readonly config: FrameMeterConfig) {
    const detectors = config.perChannel ? config.channels : 1;
    this.speech = new Uint8Array(detectors);
    this.sums = new Float64Array(detectors);
    this.samplesPerDetector = config.frameLength * (config.perChannel ? 1 : config.channels);
    this.table =
      config.encoding === 'mulaw' ? MULAW_TO_LINEAR : config.encoding === 'alaw' ? ALAW_TO_LINEAR : undefined;
    this.bytesPerFrame = (this.table === undefined ? 2 : 1) * config.channels;
    this.carry = new Uint8Array(this.bytesPerFrame);
  }

  /**
   * Consumes `bytes[offset, offset + length)`; calls `onFrame` at the end of every detector frame
   * (with `speech` and `totalFrames` up to date). A trailing partial sample frame is kept for the
   * next call.
   */
  push(bytes: Uint8Array, offset: number, length: number, onFrame: () => void): void {
    let pos = offset;
    const end = offset + length;
    const bpf = this.bytesPerFrame;
    if (this.carryLength > 0) {
      while (this.carryLength < bpf && pos < end) this.carry[this.carryLength++] = bytes[pos++]!;
      if (this.carryLength < bpf) return;
      this.carryLength = 0;
      this.accumulate(this.carry, 0, 1, onFrame);
    }
    const whole = Math.floor((end - pos) / bpf);
    if (whole > 0) {
      this.accumulate(bytes, pos, whole, onFrame);
      pos += whole * bpf;
    }
    while (pos < end) this.carry[this.carryLength++] = bytes[pos++]!;
  }

  /** Adds `frames` whole sample frames starting at `pos`, closing detector frames as they fill. */
  private accumulate(src: Uint8Array, pos: number, frames: number, onFrame: () => void): void {
    const frameLength = this.config.frameLength;
    while (frames > 0) {
      const n = Math.min(frames, frameLength - this.frameFill);
      pos = this.config.channels === 1 ? this.addMono(src, pos, n) : this.addInterleaved(src, pos, n);
      frames -= n;
      this.frameFill += n;
      this.totalFrames += n;
      if (this.frameFill === frameLength) {
        this.frameFill = 0;
        this.closeFrame();
        onFrame();
      }
    }
  }

  private addMono(src: Uint8Array, pos: number, n: number): number {
    let sum = 0;
    const table = this.table;
    if (table === undefined) {
      for (let i = 0; i < n; i++, pos += 2) {
        const s = ((src[pos]! | (src[pos + 1]! << 8)) << 16) >> 16;
        sum += s * s;
      }
    } else {
      for (let i = 0; i < n; i++, pos++) {
        const s = table[src[pos]!]!;
        sum += s * s;
      }
    }
    this.sums[0] = this.sums[0]! + sum;
    return pos;
  }

  private addInterleaved(src: Uint8Array, pos: number, n: number): number {
    const channels = this.config.channels;
    const perChannel = this.config.perChannel;
    const sums = this.sums;
    const table = this.table;
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < channels; c++) {
        let s: number;
        if (table === undefined) {
          s = ((src[pos]! | (src[pos + 1]! << 8)) << 16) >> 16;
          pos += 2;
        } else {
          s = table[src[pos]!]!;
          pos++;
        }
        const d = perChannel ? c : 0;
        sums[d] = sums[d]! + s * s;
      }
    }
    return pos;
  }

  private closeFrame(): void {
    const threshold = this.config.thresholdDbfs;
    for (let d = 0; d < this.sums.length; d++) {
      this.speech[d] = rmsDbfs(this.sums[d]!, this.samplesPerDetector) >= threshold ? 1 : 0;
      this.sums[d] = 0;
    }
  }
}
