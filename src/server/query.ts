/**
 * Server-side parsing and validation of the `/v1/listen` query string, written independently of
 * the client's `listenUrl` so that the emulator can act as a test oracle for it. Invalid values are
 * refused like Deepgram refuses them: HTTP 400, `INVALID_QUERY_PARAMETER`,
 * `Invalid '<name>' value of '<value>'.` (protocol.md §1.2–§1.3, §5.4).
 */
import * as E from 'fp-ts/lib/Either.js';
import type { HandshakeError } from './httpResponses';

/** A parsed query: one string per key, an array of strings for a key given more than once. */
export type ListenQuery = Record<string, string | string[]>;

/** The encodings `/v1/listen` accepts (protocol.md §1.3). */
export const LISTEN_ENCODINGS = [
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
] as const;

/** What the emulator reads from a valid query, with Deepgram's defaults applied. */
export interface ListenParams {
  readonly model: string;
  readonly language: string;
  /** Undefined: containerized audio (no `encoding` given). */
  readonly encoding?: string;
  /** Undefined when not given (or given without `encoding`, where Deepgram does not read it). */
  readonly sampleRate?: number;
  readonly channels: number;
  readonly multichannel: boolean;
  readonly interimResults: boolean;
  /** ms, or false for `endpointing=false`. Default 10. */
  readonly endpointing: number | false;
  /** Only set when `interim_results=true` (the feature requires it). */
  readonly utteranceEndMs?: number;
  readonly vadEvents: boolean;
  /** `punctuate=true` or `smart_format=true` (smart formatting implies punctuation). */
  readonly punctuate: boolean;
  readonly smartFormat: boolean;
  /** `diarize=true` or any `diarize_model`. */
  readonly diarize: boolean;
  /** `detect_entities=true`: final Results carry `entities` (always empty: the emulator finds none). */
  readonly detectEntities: boolean;
  /** `debug=true`: an `Error` message with variant `Closing` precedes every server-initiated close. */
  readonly debug: boolean;
  readonly extra?: Readonly<Record<string, string>>;
  readonly keyterms: readonly string[];
  /** Things the query asked for that the server silently ignores (e.g. utterance_end_ms without interim results). */
  readonly warnings: readonly string[];
}

type Rule =
  | { readonly kind: 'bool' }
  | { readonly kind: 'int'; readonly min: number; readonly max?: number }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'endpointing' }
  | { readonly kind: 'string' };

const bool: Rule = { kind: 'bool' };
const text: Rule = { kind: 'string' };

/** Single-valued parameters and the form of their value. Anything not listed is accepted and ignored. */
const SCALAR_RULES: Readonly<Record<string, Rule>> = {
  model: text,
  language: text,
  version: text,
  encoding: { kind: 'enum', values: LISTEN_ENCODINGS },
  sample_rate: { kind: 'int', min: 1 },
  // An emulator limit (Deepgram states none): each channel has its own recognizer state.
  channels: { kind: 'int', min: 1, max: 255 },
  multichannel: bool,
  interim_results: bool,
  endpointing: { kind: 'endpointing' },
  utterance_end_ms: { kind: 'int', min: 1000, max: 5000 },
  vad_events: bool,
  punctuate: bool,
  smart_format: bool,
  no_delay: bool,
  diarize: bool,
  dictation: bool,
  filler_words: bool,
  numerals: bool,
  profanity_filter: bool,
  mip_opt_out: bool,
  detect_entities: bool,
  alternatives: { kind: 'int', min: 1 },
  callback_method: { kind: 'enum', values: ['POST', 'GET', 'PUT', 'DELETE'] },
  debug: bool,
};

const REDACT_VALUES = ['true', 'false', 'pci', 'numbers', 'aggressive_numbers', 'ssn'];

/**
 * Parses a query string (with or without the leading `?`) into a {@link ListenQuery}: `+` and
 * percent-escapes are decoded; a key given once maps to a string, a repeated key to an array of its
 * values in order.
 */
export function parseQuery(search: string): ListenQuery {
  const values = new Map<string, string[]>();
  for (const [key, value] of new URLSearchParams(search)) {
    const list = values.get(key);
    if (list) list.push(value);
    else values.set(key, [value]);
  }
  return Object.fromEntries<string | string[]>(
    [...values].map(([key, list]) => [key, list.length === 1 ? list[0]! : list]),
  );
}

function invalid(name: string, value: string): HandshakeError {
  return {
    status: 400,
    errCode: 'INVALID_QUERY_PARAMETER',
    errMsg: `Invalid '${name}' value of '${value}'.`,
  };
}

function valuesOf(query: ListenQuery, name: string): readonly string[] {
  const value = query[name];
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

function checkScalar(name: string, value: string, rule: Rule): boolean {
  switch (rule.kind) {
    case 'bool':
      return value === 'true' || value === 'false';
    case 'string':
      return value.length > 0;
    case 'enum':
      return rule.values.includes(value);
    case 'int': {
      if (!/^\d{1,9}$/.test(value)) return false;
      const n = Number(value);
      return n >= rule.min && (rule.max === undefined || n <= rule.max);
    }
    case 'endpointing':
      return value === 'false' || /^\d{1,9}$/.test(value);
  }
}

/** One value of a scalar parameter, or undefined when absent. */
function scalar(query: ListenQuery, name: string): string | undefined {
  return valuesOf(query, name)[0];
}

function flag(query: ListenQuery, name: string): boolean {
  return scalar(query, name) === 'true';
}

function isFluxModel(model: string): boolean {
  return model.startsWith('flux');
}

function isNova3(model: string): boolean {
  return model === 'nova-3' || model.startsWith('nova-3-');
}

/**
 * Validates a parsed query the way Deepgram's `/v1/listen` does at upgrade time and returns what
 * the emulator needs, or the 400 to answer.
 *
 * Rules: booleans are exactly `true`/`false`; `encoding` is one of {@link LISTEN_ENCODINGS};
 * `sample_rate`, `channels`, `alternatives` are positive decimal integers; `endpointing` is an
 * integer ≥ 0 or `false`; `utterance_end_ms` is an integer in 1000–5000; a single-valued parameter
 * given twice is invalid; `redact` values come from Deepgram's list; `extra` values are `key:value`;
 * `keywords` with a Nova-3 model and any Flux model are refused as Deepgram refuses them. Unknown
 * parameters are accepted and ignored. Accepted but ignored, with a warning in the session record:
 * `utterance_end_ms` without `interim_results=true`, `encoding` without `sample_rate` (the audio
 * cannot be decoded), `sample_rate`/`channels` without `encoding` (not read).
 */
export function validateListenQuery(
  query: ListenQuery,
  defaultModel = 'base',
): E.Either<HandshakeError, ListenParams> {
  for (const [name, rule] of Object.entries(SCALAR_RULES)) {
    const values = valuesOf(query, name);
    if (values.length > 1) return E.left(invalid(name, values.join(',')));
    const value = values[0];
    if (value !== undefined && !checkScalar(name, value, rule)) return E.left(invalid(name, value));
  }
  for (const value of valuesOf(query, 'redact')) {
    if (!REDACT_VALUES.includes(value)) return E.left(invalid('redact', value));
  }
  const extra: Record<string, string> = {};
  for (const value of valuesOf(query, 'extra')) {
    const colon = value.indexOf(':');
    if (colon <= 0) return E.left(invalid('extra', value));
    extra[value.slice(0, colon)] = value.slice(colon + 1);
  }

  const model = scalar(query, 'model') ?? defaultModel;
  if (isFluxModel(model)) {
    return E.left({
      status: 400,
      errCode: 'V2_MODEL_ON_V1_LISTEN_ENDPOINT',
      errMsg: `Model '${model}' is only available on /v2/listen.`,
    });
  }
  const keywords = valuesOf(query, 'keywords');
  if (isNova3(model) && keywords.some((k) => k.trim().length > 0)) {
    return E.left({
      status: 400,
      errCode: 'INVALID_QUERY_PARAMETER',
      errMsg: 'Keywords are not supported for Nova-3. Please use `keyterm` instead.',
    });
  }

  const warnings: string[] = [];
  const encoding = scalar(query, 'encoding');
  const sampleRateText = scalar(query, 'sample_rate');
  const channelsText = scalar(query, 'channels');
  if (encoding !== undefined && sampleRateText === undefined) {
    warnings.push(`'encoding' without 'sample_rate': Deepgram cannot decode this audio`);
  }
  if (encoding === undefined && (sampleRateText !== undefined || channelsText !== undefined)) {
    warnings.push(`'sample_rate' and 'channels' are only read together with 'encoding'`);
  }
  const interimResults = flag(query, 'interim_results');
  const utteranceEndText = scalar(query, 'utterance_end_ms');
  if (utteranceEndText !== undefined && !interimResults) {
    warnings.push(`'utterance_end_ms' requires 'interim_results=true': no UtteranceEnd will be sent`);
  }
  const endpointingText = scalar(query, 'endpointing');

  return E.right({
    model,
    language: scalar(query, 'language') ?? 'en',
    ...(encoding !== undefined ? { encoding } : {}),
    ...(encoding !== undefined && sampleRateText !== undefined ? { sampleRate: Number(sampleRateText) } : {}),
    channels: encoding !== undefined && channelsText !== undefined ? Number(channelsText) : 1,
    multichannel: flag(query, 'multichannel'),
    interimResults,
    endpointing:
      endpointingText === undefined ? 10 : endpointingText === 'false' ? false : Number(endpointingText),
    ...(utteranceEndText !== undefined && interimResults ? { utteranceEndMs: Number(utteranceEndText) } : {}),
    vadEvents: flag(query, 'vad_events'),
    punctuate: flag(query, 'punctuate') || flag(query, 'smart_format'),
    smartFormat: flag(query, 'smart_format'),
    diarize: flag(query, 'diarize') || scalar(query, 'diarize_model') !== undefined,
    detectEntities: flag(query, 'detect_entities'),
    debug: flag(query, 'debug'),
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
    keyterms: valuesOf(query, 'keyterm'),
    warnings,
  });
}
