/**
 * Builders of well-formed server messages for tests (they decode with `decodeServerMessage`).
 */
import type { Results } from '../protocol/messages';

/** What {@link fakeResults} needs; everything but `transcript` has a default. */
export interface FakeResultsInit {
  /** The words, separated by spaces; `''` for an empty result. */
  readonly transcript: string;
  /** Seconds on the connection's audio timeline (default 0). */
  readonly start?: number;
  /** Seconds covered (default 1); the words are spread evenly over it. */
  readonly duration?: number;
  /** Default true. */
  readonly is_final?: boolean;
  /** Default: `is_final`. */
  readonly speech_final?: boolean;
  /** `[index, total]`, default `[0, 1]`. */
  readonly channel_index?: number[];
  /** Default `00000000-0000-4000-8000-000000000001` (the fake's first connection). */
  readonly request_id?: string;
  /** Set only when given. */
  readonly from_finalize?: boolean;
}

/**
 * A `Results` message as Deepgram sends it, with one alternative whose words are spread evenly
 * over `[start, start + duration]` (confidence 0.99), for scripting a fake server.
 *
 * @example
 * ```ts
 * import { fakeDeepgram, fakeResults } from 'deepgram-rx/testing';
 * fakeDeepgram({ scheduler, onConnection: (c) => c.emit(fakeResults({ transcript: 'hello world', start: 0, duration: 1 }), 1200) });
 * ```
 */
export function fakeResults(init: FakeResultsInit): Results {
  const start = init.start ?? 0;
  const duration = init.duration ?? 1;
  const isFinal = init.is_final ?? true;
  const tokens = init.transcript.split(/\s+/).filter((word) => word !== '');
  const step = tokens.length === 0 ? 0 : duration / tokens.length;
  const round = (seconds: number): number => Math.round(seconds * 1000) / 1000;
  const words = tokens.map((word, i) => ({
    word: word.toLowerCase(),
    start: round(start + i * step),
    end: round(start + (i + 1) * step),
    confidence: 0.99,
    punctuated_word: word,
  }));
  return {
    type: 'Results',
    channel_index: init.channel_index ?? [0, 1],
    duration,
    start,
    is_final: isFinal,
    speech_final: init.speech_final ?? isFinal,
    channel: {
      alternatives: [{ transcript: tokens.join(' '), confidence: tokens.length === 0 ? 0 : 0.99, words }],
    },
    metadata: {
      request_id: init.request_id ?? '00000000-0000-4000-8000-000000000001',
      model_info: { name: 'general-nova-3', version: '2025-01-01.0', arch: 'nova-3' },
      model_uuid: '00000000-0000-4000-8000-00000000f4ce',
    },
    ...(init.from_finalize === undefined ? {} : { from_finalize: init.from_finalize }),
  };
}
