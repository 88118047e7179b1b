/**
 * Test-side signal generators, encoders and runners for the gateSilence tests (not a test file).
 */
import { readFileSync } from 'node:fs';
import { from, type Observable } from 'rxjs';
import { ALAW_TO_LINEAR, MULAW_TO_LINEAR, type RawEncoding } from '../../src/protocol/audioFormat';
import { gateSilence, type GateSilenceConfig, type GatedSpan } from '../../src/operators/gateSilence';

/** Seeded PRNG (mulberry32): the same seed gives the same sequence in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const clamp = (x: number): number => Math.max(-32768, Math.min(32767, Math.round(x)));

/** Samples of digital silence. */
export function silence(sampleRate: number, seconds: number): Int16Array {
  return new Int16Array(Math.round(sampleRate * seconds));
}

/** A sine whose RMS level is `dbfs` (RMS relative to 32768, as rmsDbfs measures it). */
export function tone(sampleRate: number, seconds: number, dbfs: number, hz = 500): Int16Array {
  const amplitude = 32768 * Math.pow(10, dbfs / 20) * Math.SQRT2;
  const out = new Int16Array(Math.round(sampleRate * seconds));
  for (let i = 0; i < out.length; i++)
    out[i] = clamp(amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRate));
  return out;
}

/** Uniform white noise whose RMS level is `dbfs`, from a seeded PRNG. */
export function noise(sampleRate: number, seconds: number, dbfs: number, seed: number): Int16Array {
  const random = prng(seed);
  const amplitude = 32768 * Math.pow(10, dbfs / 20) * Math.sqrt(3);
  const out = new Int16Array(Math.round(sampleRate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = clamp(amplitude * (2 * random() - 1));
  return out;
}

/** Concatenates sample arrays. */
export function join(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Interleaves equally long channels into one sample array. */
export function interleave(...channels: Int16Array[]): Int16Array {
  const frames = channels[0]!.length;
  const out = new Int16Array(frames * channels.length);
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels.length; c++) out[i * channels.length + c] = channels[c]![i]!;
  }
  return out;
}

const nearestByte = new Map<Int16Array, Uint8Array>();

/** 16-bit sample → the G.711 byte whose expansion (from the library's table) is nearest. */
function encoderFor(table: Int16Array): Uint8Array {
  let lookup = nearestByte.get(table);
  if (lookup !== undefined) return lookup;
  const bytes = [...Array(256).keys()].sort((a, b) => table[a]! - table[b]!);
  lookup = new Uint8Array(65536);
  let k = 0;
  for (let s = -32768; s <= 32767; s++) {
    while (k + 1 < 256 && Math.abs(table[bytes[k + 1]!]! - s) <= Math.abs(table[bytes[k]!]! - s)) k++;
    lookup[s + 32768] = bytes[k]!;
  }
  nearestByte.set(table, lookup);
  return lookup;
}

/** Encodes 16-bit samples as raw bytes of `encoding` (linear16 little-endian, or G.711). */
export function encode(samples: Int16Array, encoding: RawEncoding): Uint8Array {
  if (encoding === 'linear16') {
    const out = new Uint8Array(samples.length * 2);
    for (let i = 0; i < samples.length; i++) {
      out[2 * i] = samples[i]! & 0xff;
      out[2 * i + 1] = (samples[i]! >> 8) & 0xff;
    }
    return out;
  }
  const lookup = encoderFor(encoding === 'mulaw' ? MULAW_TO_LINEAR : ALAW_TO_LINEAR);
  return Uint8Array.from(samples, (s) => lookup[s + 32768]!);
}

/** Cuts bytes into chunks of `size` (the last one may be shorter); each chunk is a copy. */
export function chunk(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.slice(i, i + size));
  return out;
}

/** Concatenates byte chunks. */
export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** What a synchronous run of gateSilence produced. */
export interface GateRun {
  output: Uint8Array[];
  spans: GatedSpan[];
  completed: boolean;
  error?: unknown;
}

/** Runs gateSilence over `chunks` (synchronously) and records the output and the spans. */
export function runGate(chunks: readonly Uint8Array[], config: GateSilenceConfig): GateRun {
  const run: GateRun = { output: [], spans: [], completed: false };
  const audio$: Observable<Uint8Array> = from(chunks);
  audio$.pipe(gateSilence({ ...config, onGate: (span) => run.spans.push(span) })).subscribe({
    next: (c) => run.output.push(c),
    complete: () => (run.completed = true),
    error: (error: unknown) => (run.error = error),
  });
  return run;
}

/** The source bytes with the gated spans (seconds) removed: what the output must equal. */
export function withoutSpans(
  bytes: Uint8Array,
  spans: readonly GatedSpan[],
  bytesPerSecond: number,
): Uint8Array {
  const kept: Uint8Array[] = [];
  let at = 0;
  for (const span of spans) {
    const from = Math.round(span.from * bytesPerSecond);
    kept.push(bytes.subarray(at, from));
    at = Math.round(span.to * bytesPerSecond);
  }
  kept.push(bytes.subarray(at));
  return concat(kept);
}

/** A WAV file's format and its data chunk (minimal RIFF parser: PCM 16-bit, mu-law, A-law). */
export function readWavFile(path: string): {
  encoding: RawEncoding;
  sample_rate: number;
  channels: number;
  data: Uint8Array;
} {
  const file = readFileSync(path);
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const id = (at: number): string => file.toString('ascii', at, at + 4);
  if (id(0) !== 'RIFF' || id(8) !== 'WAVE') throw new Error(`${path}: not a RIFF/WAVE file`);
  let encoding: RawEncoding | undefined;
  let sampleRate = 0;
  let channels = 0;
  for (let at = 12; at + 8 <= file.length;) {
    const size = view.getUint32(at + 4, true);
    if (id(at) === 'fmt ') {
      const tag = view.getUint16(at + 8, true);
      channels = view.getUint16(at + 10, true);
      sampleRate = view.getUint32(at + 12, true);
      encoding = tag === 1 ? 'linear16' : tag === 7 ? 'mulaw' : tag === 6 ? 'alaw' : undefined;
    } else if (id(at) === 'data') {
      if (encoding === undefined) throw new Error(`${path}: unsupported or missing fmt chunk`);
      return {
        encoding,
        sample_rate: sampleRate,
        channels,
        data: new Uint8Array(file.subarray(at + 8, at + 8 + size)),
      };
    }
    at += 8 + size + (size & 1);
  }
  throw new Error(`${path}: no data chunk`);
}
