/**
 * The query parameters of a live session (protocol.md §1.3), typed, and the error thrown when
 * they are invalid. Validation is in `validateLiveOptions.ts`, the URL in `listenUrl.ts`.
 */
import { brandErrorClass } from './errorBrand';

/**
 * The `encoding` of raw (headerless) audio. Omit `encoding` for containerized audio (WAV, Ogg,
 * WebM…): Deepgram detects the format from the header.
 *
 * @example
 * ```ts
 * import type { Encoding } from 'deepgram-rx';
 * const encoding: Encoding = 'linear16';
 * ```
 */
export type Encoding =
  | 'linear16'
  | 'linear32'
  | 'flac'
  | 'alaw'
  | 'mulaw'
  | 'amr-nb'
  | 'amr-wb'
  | 'opus'
  | 'ogg-opus'
  | 'speex'
  | 'g729';

/**
 * Every {@link Encoding}, in protocol.md order (for validating user input, e.g. a CLI flag).
 *
 * @example
 * ```ts
 * import { ENCODINGS } from 'deepgram-rx';
 * ENCODINGS.includes('mulaw'); // true
 * ```
 */
export const ENCODINGS: readonly Encoding[] = [
  'linear16',
  'linear32',
  'flac',
  'alaw',
  'mulaw',
  'amr-nb',
  'amr-wb',
  'opus',
  'ogg-opus',
  'speex',
  'g729',
];

/** The HTTP method of a `callback`. */
export type CallbackMethod = 'POST' | 'GET' | 'PUT' | 'DELETE';

/**
 * The query parameters of a `/v1/listen` session (protocol.md §1.3), snake_case as on the wire.
 * An `undefined` field is left out of the URL (the server default applies). `listenUrl` turns the
 * options into a URL and throws {@link LiveOptionsError} for invalid ones.
 *
 * @example
 * ```ts
 * import { listenUrl, type LiveOptions } from 'deepgram-rx';
 * const options: LiveOptions = {
 *   model: 'nova-3',
 *   encoding: 'linear16',
 *   sample_rate: 16000,
 *   interim_results: true,
 *   utterance_end_ms: 1000,
 *   keyterm: ['deepgram'],
 * };
 * const url = listenUrl(options);
 * ```
 */
export interface LiveOptions {
  /** Model, e.g. `nova-3`, `nova-2-phonecall`, `base` (the server default when omitted). */
  model?: string;
  /** BCP-47 language, e.g. `en`, `en-US`; `multi` for Nova-3 code-switching. Default `en`. */
  language?: string;
  /** Model version. Default `latest`. */
  version?: string;
  /** Encoding of raw audio; requires `sample_rate`. Omit for containerized audio. */
  encoding?: Encoding;
  /** Sample rate in Hz (positive integer); required with `encoding`, only allowed with it. */
  sample_rate?: number;
  /** Interleaved channels of raw audio (positive integer; default 1); only allowed with `encoding`. */
  channels?: number;
  /** Transcribe each channel independently (one `Results` per channel). */
  multichannel?: boolean;
  /** Send interim (`is_final: false`) results. */
  interim_results?: boolean;
  /** Silence in ms (non-negative integer) that sets `speech_final`; `false` disables. Default 10. */
  endpointing?: number | false;
  /** Enables `UtteranceEnd`: gap in ms, integer from 1000 to 5000; requires `interim_results: true`. */
  utterance_end_ms?: number;
  /** Enables `SpeechStarted` messages. */
  vad_events?: boolean;
  /** Adds punctuation and capitalisation (`punctuated_word`). */
  punctuate?: boolean;
  /** Formats entities (dates, numbers…); implies punctuation. */
  smart_format?: boolean;
  /** With `smart_format`: finalise immediately instead of waiting for entity formatting. */
  no_delay?: boolean;
  /** Adds a `speaker` (from 0) to every word. */
  diarize?: boolean;
  /** Diarization model, e.g. `latest`, `v1`. */
  diarize_model?: string;
  /** Turns spoken punctuation commands into symbols. */
  dictation?: boolean;
  /** Keeps filler words such as "uh" and "um". */
  filler_words?: boolean;
  /** Writes numbers as digits. */
  numerals?: boolean;
  /** Masks profanity. */
  profanity_filter?: boolean;
  /** Redaction: `true`/`false`, or one or more of `pci`, `numbers`, `aggressive_numbers`, `ssn`. */
  redact?: boolean | string | readonly string[];
  /** Key terms to boost (Nova-3 models only); each is sent as its own `keyterm=`. */
  keyterm?: readonly string[];
  /** Legacy boosting for Nova-2 and older: `word` or `word:intensifier`. */
  keywords?: readonly string[];
  /** Terms to search for; hits arrive in `channel.search`. */
  search?: readonly string[];
  /** Replacements, each `find:replace`. */
  replace?: readonly string[];
  /** Usage-report labels. */
  tag?: readonly string[];
  /** Metadata echoed in every message's `metadata.extra`; sent as `extra=key:value` (≤ 2048 chars). */
  extra?: Readonly<Record<string, string>>;
  /** Opt out of the Model Improvement Program (pricing impact). */
  mip_opt_out?: boolean;
  /** Adds `entities` to final results. */
  detect_entities?: boolean;
  /** Callback URL (http or https). */
  callback?: string;
  /** HTTP method of the callback. */
  callback_method?: CallbackMethod;
  /** Number of alternatives per result (positive integer). */
  alternatives?: number;
  /** Deprecated legacy tier. */
  tier?: string;
  /** Deprecated predecessor of `endpointing` (ms); not allowed together with `endpointing`. */
  vad_turnoff?: number;
  /**
   * Escape hatch for query parameters deepgram-rx does not model (new or undocumented ones):
   * sent as given, after the modelled ones; an array repeats the key. Keys must not name a
   * modelled option (use the typed field, which is validated).
   */
  query?: Readonly<Record<string, string | readonly string[]>>;
}

/**
 * Thrown at call time (before any socket opens) when {@link LiveOptions} or the base URL are
 * invalid. `option` names the offending option (`'base'` for the base URL, the key itself for an
 * unknown key) so that a caller can point at the input to fix.
 *
 * @example
 * ```ts
 * import { listenUrl, LiveOptionsError } from 'deepgram-rx';
 * try {
 *   listenUrl({ utterance_end_ms: 1000 });
 * } catch (error) {
 *   if (error instanceof LiveOptionsError) console.error(error.option, error.message);
 *   // 'utterance_end_ms', 'Invalid LiveOptions.utterance_end_ms: requires interim_results: true …'
 * }
 * ```
 */
export class LiveOptionsError extends Error {
  override readonly name = 'LiveOptionsError';
  /** The offending option, e.g. `'utterance_end_ms'`, `'base'`. */
  readonly option: string;

  constructor(option: string, message: string) {
    super(message);
    this.option = option;
  }
}
brandErrorClass(LiveOptionsError, 'LiveOptionsError');
