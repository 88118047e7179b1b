/**
 * The known audio of a content-aware script: its PCM bytes, its sample-frame layout, and an index
 * from short windows of bytes to the sample frames where they occur (built once per file: by
 * `prepare()`, or else on the first lookup). Used by the per-session follower (contentFollower.ts) to find where in the
 * file the audio a session receives comes from.
 */
import type { RawEncoding } from '../../protocol/audioFormat';
import { lowerBound } from './lowerBound';

/** The format of a known file's PCM data (what its WAV header says). */
export interface ContentFormat {
  readonly encoding: RawEncoding;
  readonly sampleRate: number;
  readonly channels: number;
}

/** Bytes of the window hashed at each sample frame (rounded up to whole frames). */
const WINDOW_BYTES = 32;

/** A window found at more places than this is ambiguous (e.g. a repeated pattern): no lookup result. */
export const MAX_CANDIDATES = 16;

/** What a lookup of a window of received audio found. */
export type ContentLookup =
  /** The window is digital silence: it occurs everywhere there is silence. */
  | { readonly kind: 'silent' }
  /** The window occurs at more than {@link MAX_CANDIDATES} places. */
  | { readonly kind: 'ambiguous' }
  /** The sample frames where the window occurs (possibly none: unrelated audio). */
  | { readonly kind: 'found'; readonly frames: readonly number[] };

const SILENT: ContentLookup = { kind: 'silent' };
const AMBIGUOUS: ContentLookup = { kind: 'ambiguous' };

/** The byte values of digital silence (zero samples) in an encoding. */
function silenceBytes(encoding: RawEncoding): Uint8Array {
  const silent = new Uint8Array(256);
  if (encoding === 'linear16') silent[0x00] = 1;
  else if (encoding === 'mulaw') silent[0xff] = silent[0x7f] = 1;
  else silent[0xd5] = silent[0x55] = 1;
  return silent;
}

const { imul } = Math;

/** Base of the polynomial window hash (odd). */
const BASE = 0x01000193;

/** Mixes the bits of a polynomial hash (MurmurHash3's finalizer). */
function mix(h: number): number {
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The polynomial hash sum(b[at + i] * BASE^(length - 1 - i)) mod 2^32 (before mixing). */
function polynomial(b: Uint8Array, at: number, length: number): number {
  let h = 0;
  for (let i = at, end = at + length; i < end; i++) h = (imul(h, BASE) + b[i]!) | 0;
  return h;
}

/** The PCM data of a known file and a lazily built index of its windows. */
export class ContentIndex {
  /** Bytes per sample frame (all channels). */
  readonly frameBytes: number;
  /** Sample frames in the data. */
  readonly frames: number;
  /** Sample frames per hashed window. */
  readonly windowFrames: number;
  readonly windowBytes: number;
  /** 1 for the byte values of digital silence. */
  private readonly silent: Uint8Array;
  /** Sorted keys `hash * 2^posBits + frame`, built on the first lookup. */
  private keys: Float64Array | undefined;
  /** A view of `data` (for comparing four bytes at a time). */
  readonly view: DataView;
  private readonly posScale: number;
  private readonly hashShift: number;

  constructor(
    readonly data: Uint8Array,
    readonly format: ContentFormat,
  ) {
    if (!Number.isInteger(format.sampleRate) || format.sampleRate < 1) {
      throw new RangeError(`content index: sample rate must be an integer >= 1, got ${format.sampleRate}`);
    }
    if (!Number.isInteger(format.channels) || format.channels < 1) {
      throw new RangeError(`content index: channels must be an integer >= 1, got ${format.channels}`);
    }
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    this.frameBytes = (format.encoding === 'linear16' ? 2 : 1) * format.channels;
    this.frames = Math.floor(data.length / this.frameBytes);
    this.windowFrames = Math.ceil(WINDOW_BYTES / this.frameBytes);
    this.windowBytes = this.windowFrames * this.frameBytes;
    this.silent = silenceBytes(format.encoding);
    const posBits = Math.max(1, Math.ceil(Math.log2(this.frames + 1)));
    this.posScale = 2 ** posBits;
    // hash * 2^posBits + frame must stay an exact integer in a double (53 bits).
    this.hashShift = Math.max(0, 32 - (53 - posBits));
  }

  /** True when every byte of `b[at, at + length)` is digital silence. */
  isSilent(b: Uint8Array, at: number, length: number): boolean {
    const silent = this.silent;
    for (let i = at, end = at + length; i < end; i++) if (silent[b[i]!] === 0) return false;
    return true;
  }

  /** Index of the first byte of `b[from, to)` that is not digital silence, or -1. */
  firstSoundingByte(b: Uint8Array, from: number, to: number): number {
    const silent = this.silent;
    for (let i = from; i < to; i++) if (silent[b[i]!] === 0) return i;
    return -1;
  }

  /** Index of the last byte of `b[from, to)` that is not digital silence, or -1. */
  lastSoundingByte(b: Uint8Array, from: number, to: number): number {
    const silent = this.silent;
    for (let i = to - 1; i >= from; i--) if (silent[b[i]!] === 0) return i;
    return -1;
  }

  /** True when sample frame `frame` of the data is equal to `b[at, at + frameBytes)`. */
  frameEquals(frame: number, b: Uint8Array, at: number): boolean {
    if (frame < 0 || frame >= this.frames) return false;
    const data = this.data;
    const base = frame * this.frameBytes;
    for (let i = 0; i < this.frameBytes; i++) if (data[base + i] !== b[at + i]) return false;
    return true;
  }

  /** Builds the index now (else the first lookup does): about 0.1 s for 40 s of 16 kHz audio. */
  prepare(): void {
    this.keys ??= this.build();
  }

  /** Where the window `b[at, at + windowBytes)` occurs in the data (whole sample frames). */
  lookup(b: Uint8Array, at: number): ContentLookup {
    const length = this.windowBytes;
    if (this.isSilent(b, at, length)) return SILENT;
    const keys = (this.keys ??= this.build());
    const lowKey = (mix(polynomial(b, at, length)) >>> this.hashShift) * this.posScale;
    const lo = lowerBound(keys, lowKey);
    const hi = lowerBound(keys, lowKey + this.posScale);
    if (hi - lo > MAX_CANDIDATES) return AMBIGUOUS;
    const frames: number[] = [];
    const data = this.data;
    for (let k = lo; k < hi; k++) {
      const frame = keys[k]! - lowKey;
      const base = frame * this.frameBytes;
      let equal = true;
      for (let i = 0; i < length && equal; i++) equal = data[base + i] === b[at + i];
      if (equal) frames.push(frame);
    }
    return { kind: 'found', frames };
  }

  /** Hashes the window at every sample frame (except silent ones, rolling) and sorts the keys. */
  private build(): Float64Array {
    const data = this.data;
    const silent = this.silent;
    const F = this.frameBytes;
    const W = this.windowBytes;
    const last = this.frames - this.windowFrames;
    const keys = new Float64Array(Math.max(0, last + 1));
    if (last < 0) return keys;
    let outWeight = 1; // BASE^(W - 1)
    for (let i = 1; i < W; i++) outWeight = imul(outWeight, BASE);
    let h = polynomial(data, 0, W);
    let sounding = 0;
    for (let i = 0; i < W; i++) sounding += 1 - silent[data[i]!]!;
    let count = 0;
    for (let frame = 0; ; frame++) {
      if (sounding > 0) keys[count++] = (mix(h) >>> this.hashShift) * this.posScale + frame;
      if (frame === last) break;
      // Slide the window by one sample frame.
      for (let i = frame * F, end = i + F; i < end; i++) {
        const leaving = data[i]!;
        const entering = data[i + W]!;
        h = (imul((h - imul(leaving, outWeight)) | 0, BASE) + entering) | 0;
        sounding += silent[leaving]! - silent[entering]!;
      }
    }
    return keys.subarray(0, count).sort();
  }
}
