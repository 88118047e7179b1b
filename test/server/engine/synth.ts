/**
 * Synthetic audio and small drivers for the engine tests: silence and tones at a given level,
 * encoded as linear16 or mu-law, optionally wrapped in a WAV header.
 */
import * as E from 'fp-ts/lib/Either.js';
import { decodeServerMessage } from '../../../src/protocol/decode';
import { createEngine } from '../../../src/server/engine/engine';
import { silentRecognizer } from '../../../src/server/engine/recognizers';
import type { EngineConfig, OutboundMessage, TranscriptionEngine } from '../../../src/server/engine/types';

// Module-scope copies: global lookups (Math.*) are slow inside jest's vm context.
const { round, sin } = Math;
const TWO_PI = 2 * Math.PI;

/** A piece of a test signal: a 440 Hz tone at `dbfs` (RMS, as rmsDbfs measures it) or silence. */
export type Piece = { tone: number; dbfs?: number } | { silence: number };

/** Default tone level: well above the detector's -45 dBFS. */
export const SPEECH_DBFS = -20;

/** Mono samples (Int16) of the pieces at `rate`. */
export function signal(rate: number, pieces: readonly Piece[]): Int16Array {
  const total = pieces.reduce((n, p) => n + Math.round(('tone' in p ? p.tone : p.silence) * rate), 0);
  const out = new Int16Array(total);
  let at = 0;
  for (const p of pieces) {
    const n = Math.round(('tone' in p ? p.tone : p.silence) * rate);
    if ('tone' in p) {
      const amplitude = 32768 * Math.pow(10, (p.dbfs ?? SPEECH_DBFS) / 20) * Math.SQRT2;
      for (let i = 0; i < n; i++) out[at + i] = round(amplitude * sin((TWO_PI * 440 * i) / rate));
    }
    at += n;
  }
  return out;
}

/** Interleaves mono signals into one multichannel signal (all the same length). */
export function interleave(channels: readonly Int16Array[]): Int16Array {
  const n = channels[0]!.length;
  const out = new Int16Array(n * channels.length);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < channels.length; c++) out[i * channels.length + c] = channels[c]![i]!;
  return out;
}

/** 16-bit little-endian PCM bytes. */
export function linear16(samples: Int16Array): Uint8Array {
  const out = new Uint8Array(samples.length * 2);
  const view = new DataView(out.buffer);
  samples.forEach((s, i) => view.setInt16(i * 2, s, true));
  return out;
}

function linearToMulaw(sample: number): number {
  const BIAS = 0x84;
  const CLIP = 32635;
  const sign = sample < 0 ? 0x80 : 0;
  let magnitude = (sample < 0 ? (-sample > CLIP ? CLIP : -sample) : sample > CLIP ? CLIP : sample) + BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; exponent--, mask >>= 1);
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  magnitude = sign | (exponent << 4) | mantissa;
  return ~magnitude & 0xff;
}

/** G.711 mu-law bytes. */
export function mulaw(samples: Int16Array): Uint8Array {
  return Uint8Array.from(samples, linearToMulaw);
}

/** A canonical 44-byte WAV header (format tag 1 = PCM, 7 = mu-law) for `dataBytes` of audio. */
export function wavHeader(
  tag: 1 | 7 | 6,
  sampleRate: number,
  channels: number,
  bits: number,
  dataBytes: number,
): Uint8Array {
  const out = new Uint8Array(44);
  const view = new DataView(out.buffer);
  const ascii = (at: number, s: string): void =>
    [...s].forEach((c, i) => view.setUint8(at + i, c.charCodeAt(0)));
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, tag, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, (sampleRate * channels * bits) / 8, true);
  view.setUint16(32, (channels * bits) / 8, true);
  view.setUint16(34, bits, true);
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  return out;
}

/** Concatenates byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Splits `bytes` into chunks whose sizes cycle through `sizes`. */
export function chunks(bytes: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length]!;
    out.push(bytes.subarray(at, at + size));
    at += size;
  }
  return out;
}

/** A mono linear16 16 kHz session config; `overrides` win. */
export function config(overrides: Partial<EngineConfig> = {}): EngineConfig {
  return {
    requestId: '0caee309-30e3-4bf1-9bcc-478437df5c9d',
    encoding: 'linear16',
    sampleRate: 16000,
    channels: 1,
    multichannel: false,
    interimResults: false,
    endpointing: 10,
    vadEvents: false,
    punctuate: false,
    model: 'nova-2',
    recognizer: silentRecognizer,
    created: '2025-01-02T03:04:05.678Z',
    ...overrides,
  };
}

/** Feeds every chunk to the engine and returns all messages pushAudio returned, in order. */
export function feed(engine: TranscriptionEngine, parts: readonly Uint8Array[]): OutboundMessage[] {
  const out: OutboundMessage[] = [];
  for (const part of parts) out.push(...engine.pushAudio(part));
  return out;
}

/** Runs a whole session: creates the engine, feeds the audio in chunks of `sizes`, closes it. */
export function session(
  cfg: EngineConfig,
  audio: Uint8Array,
  sizes: readonly number[] = [3200],
): {
  engine: TranscriptionEngine;
  streamed: OutboundMessage[];
  closing: OutboundMessage[];
  all: OutboundMessage[];
} {
  const engine = createEngine(cfg);
  const streamed = feed(engine, chunks(audio, sizes));
  const closing = engine.close();
  return { engine, streamed, closing, all: [...streamed, ...closing] };
}

/** The messages of a `type`. */
export function ofType(messages: readonly OutboundMessage[], type: string): OutboundMessage[] {
  return messages.filter((m) => m.type === type);
}

/** A Results message seen through its codec type, for reading fields in tests. */
export interface ResultsView {
  channel_index: number[];
  start: number;
  duration: number;
  is_final: boolean;
  speech_final: boolean;
  from_finalize: boolean;
  channel: {
    alternatives: {
      transcript: string;
      confidence: number;
      words: {
        word: string;
        start: number;
        end: number;
        confidence: number;
        punctuated_word?: string;
        speaker?: number;
      }[];
    }[];
  };
}

/** The Results among `messages` (optionally only finals or only interims). */
export function results(messages: readonly OutboundMessage[], which?: 'final' | 'interim'): ResultsView[] {
  return (ofType(messages, 'Results') as unknown as ResultsView[]).filter(
    (r) => which === undefined || r.is_final === (which === 'final'),
  );
}

/** The words of a Results. */
export function wordsOf(r: ResultsView): ResultsView['channel']['alternatives'][number]['words'] {
  return r.channel.alternatives[0]!.words;
}

/** Decodes a message's JSON text with the project's decoder; returns the decoded type or the errors. */
export function decodedType(message: OutboundMessage): string {
  const decoded = decodeServerMessage(JSON.stringify(message));
  return E.isRight(decoded) ? decoded.right.type : `failed: ${decoded.left.errors.join('; ')}`;
}
