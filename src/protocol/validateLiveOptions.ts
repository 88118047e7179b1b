/**
 * Validation of {@link LiveOptions} (protocol.md §1.3): types of every field and the rules the
 * server enforces at upgrade time (HTTP 400) or silently (ignored parameters).
 */
import { ENCODINGS, LiveOptionsError, type LiveOptions } from './liveOptions';
import { describeLiveOptionValue } from './validationErrors';

/** How an option is checked and written to the query string. */
export type OptionKind =
  | 'string'
  | 'boolean'
  | 'positiveInt'
  | 'nonNegativeInt'
  | 'list'
  | 'encoding'
  | 'endpointing'
  | 'utteranceEnd'
  | 'redact'
  | 'extra'
  | 'callbackMethod'
  | 'url';

/** The modelled options in the order they appear in a URL (protocol.md §1.3 order). */
export const OPTION_KINDS = {
  model: 'string',
  language: 'string',
  version: 'string',
  encoding: 'encoding',
  sample_rate: 'positiveInt',
  channels: 'positiveInt',
  multichannel: 'boolean',
  interim_results: 'boolean',
  endpointing: 'endpointing',
  utterance_end_ms: 'utteranceEnd',
  vad_events: 'boolean',
  punctuate: 'boolean',
  smart_format: 'boolean',
  no_delay: 'boolean',
  diarize: 'boolean',
  diarize_model: 'string',
  dictation: 'boolean',
  filler_words: 'boolean',
  numerals: 'boolean',
  profanity_filter: 'boolean',
  redact: 'redact',
  keyterm: 'list',
  keywords: 'list',
  search: 'list',
  replace: 'list',
  tag: 'list',
  extra: 'extra',
  mip_opt_out: 'boolean',
  detect_entities: 'boolean',
  callback: 'url',
  callback_method: 'callbackMethod',
  alternatives: 'positiveInt',
  tier: 'string',
  vad_turnoff: 'nonNegativeInt',
} as const satisfies Record<Exclude<keyof LiveOptions, 'query'>, OptionKind>;

/** A modelled option sent as a query parameter. */
export type ModelledOption = keyof typeof OPTION_KINDS;

/** True when `key` is a modelled option (an own key of the table, never an inherited one). */
export function isModelledOption(key: string): key is ModelledOption {
  return Object.prototype.hasOwnProperty.call(OPTION_KINDS, key);
}

/** Utterance-end gap bounds in ms (protocol.md §1.3; `999` → HTTP 400). */
export const UTTERANCE_END_MIN_MS = 1000;
export const UTTERANCE_END_MAX_MS = 5000;
/** Longest `key:value` pair Deepgram accepts for `extra`. */
export const EXTRA_PAIR_MAX_CHARS = 2048;

const CALLBACK_METHODS: readonly string[] = ['POST', 'GET', 'PUT', 'DELETE'];

/** Model names of families older than Nova-3 (keyterm is not supported there). */
const PRE_NOVA_3_MODEL =
  /^(nova(-2)?(-[a-z]+)?|enhanced(-[a-z]+)?|base(-[a-z]+)?|general|meeting|phonecall|finance|conversationalai|voicemail|video)$/;

/** Flux models are served on /v2/listen; /v1/listen answers 400 V2_MODEL_ON_V1_LISTEN_ENDPOINT. */
const FLUX_MODEL = /^flux(-|$)/;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function invalid(option: string, problem: string): LiveOptionsError {
  return new LiveOptionsError(option, `Invalid LiveOptions.${option}: ${problem}`);
}

/** Throws unless `value` is a non-empty string that can be percent-encoded (no lone surrogate). */
function checkText(option: string, value: unknown, what = 'a non-empty string'): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw invalid(option, `must be ${what}, got ${describeLiveOptionValue(value)}`);
  }
  if (LONE_SURROGATE.test(value)) {
    throw invalid(option, 'contains a lone UTF-16 surrogate, which cannot be sent in a URL');
  }
}

function checkInteger(option: string, value: unknown, min: number, what: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw invalid(option, `must be ${what}, got ${describeLiveOptionValue(value)}`);
  }
}

function checkList(option: string, value: unknown): void {
  if (!Array.isArray(value)) {
    throw invalid(option, `must be an array of non-empty strings, got ${describeLiveOptionValue(value)}`);
  }
  // Indexed: a hole is an item too (`undefined`), where `forEach` would skip it.
  for (let index = 0; index < value.length; index++) {
    checkText(option, value[index], `an array of non-empty strings (item ${index})`);
  }
}

function checkExtra(value: unknown): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('extra', `must be an object of string values, got ${describeLiveOptionValue(value)}`);
  }
  for (const [key, item] of Object.entries(value)) {
    checkText('extra', key, 'an object with non-empty keys');
    if (key.includes(':')) throw invalid('extra', `key ${JSON.stringify(key)} must not contain ":"`);
    if (typeof item !== 'string' || LONE_SURROGATE.test(item)) {
      throw invalid('extra', `value of ${JSON.stringify(key)} must be a string without lone surrogates`);
    }
    const pair = key.length + 1 + item.length;
    if (pair > EXTRA_PAIR_MAX_CHARS) {
      throw invalid(
        'extra',
        `pair ${JSON.stringify(key)}:… is ${pair} characters; Deepgram accepts at most ${EXTRA_PAIR_MAX_CHARS}`,
      );
    }
  }
}

function checkQuery(value: unknown): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(
      'query',
      `must be an object of strings or string arrays, got ${describeLiveOptionValue(value)}`,
    );
  }
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    checkText('query', key, 'an object with non-empty keys');
    if (isModelledOption(key) || key === 'query') {
      throw invalid(
        'query',
        `key ${JSON.stringify(key)} is a modelled option: set LiveOptions.${key} instead`,
      );
    }
    const items: unknown[] = Array.isArray(item) ? item : [item];
    for (const one of items) {
      if (typeof one !== 'string') {
        throw invalid('query', `value of ${JSON.stringify(key)} must be a string or string array`);
      }
      if (LONE_SURROGATE.test(one)) {
        throw invalid('query', `value of ${JSON.stringify(key)} contains a lone UTF-16 surrogate`);
      }
    }
  }
}

function urlProtocol(text: string): string | undefined {
  try {
    return new URL(text).protocol;
  } catch {
    return undefined;
  }
}

function checkKind(option: ModelledOption, value: unknown): void {
  const kind: OptionKind = OPTION_KINDS[option];
  switch (kind) {
    case 'string':
      return checkText(option, value);
    case 'boolean':
      if (typeof value !== 'boolean')
        throw invalid(option, `must be true or false, got ${describeLiveOptionValue(value)}`);
      return;
    case 'positiveInt':
      return checkInteger(option, value, 1, 'a positive integer');
    case 'nonNegativeInt':
      return checkInteger(option, value, 0, 'a non-negative integer');
    case 'list':
      return checkList(option, value);
    case 'encoding':
      if (typeof value !== 'string' || !ENCODINGS.includes(value as never)) {
        throw invalid(
          option,
          `must be one of ${ENCODINGS.join(', ')}; got ${describeLiveOptionValue(value)}`,
        );
      }
      return;
    case 'endpointing':
      if (value === false) return;
      return checkInteger(option, value, 0, 'a non-negative integer (ms) or false');
    case 'utteranceEnd':
      if (
        typeof value !== 'number' ||
        !Number.isInteger(value) ||
        value < UTTERANCE_END_MIN_MS ||
        value > UTTERANCE_END_MAX_MS
      ) {
        throw invalid(
          option,
          `must be an integer from ${UTTERANCE_END_MIN_MS} to ${UTTERANCE_END_MAX_MS} (ms), got ${describeLiveOptionValue(value)}`,
        );
      }
      return;
    case 'redact':
      if (typeof value === 'boolean') return;
      if (Array.isArray(value)) return checkList(option, value);
      return checkText(option, value, 'true, false, a redaction name or an array of them');
    case 'extra':
      return checkExtra(value);
    case 'callbackMethod':
      if (typeof value !== 'string' || !CALLBACK_METHODS.includes(value)) {
        throw invalid(
          option,
          `must be one of ${CALLBACK_METHODS.join(', ')}; got ${describeLiveOptionValue(value)}`,
        );
      }
      return;
    case 'url': {
      checkText(option, value);
      const protocol = urlProtocol(value as string);
      if (protocol === undefined) throw invalid(option, 'must be an absolute http or https URL');
      if (protocol !== 'http:' && protocol !== 'https:') {
        throw invalid(option, `must be an http or https URL, got protocol ${protocol}`);
      }
      return;
    }
  }
}

/** The options the combination rules read: from `LiveOptions`, or from a base URL's query. */
interface CombinationView {
  readonly model?: string | undefined;
  readonly encoding?: string | undefined;
  readonly sample_rate?: unknown;
  readonly channels?: unknown;
  readonly utterance_end_ms?: unknown;
  readonly interim_results?: boolean | undefined;
  readonly keyterm?: unknown;
  readonly vad_turnoff?: unknown;
  readonly endpointing?: unknown;
}

/**
 * The options, each one that is undefined taken from `baseQuery` when it has it (as its text;
 * `interim_results` as `=== 'true'`): a parameter already in the base URL counts for the rules.
 */
function combinationView(options: LiveOptions, baseQuery: URLSearchParams | undefined): CombinationView {
  if (baseQuery === undefined) return options;
  const from = <T>(value: T | undefined, key: string): T | string | undefined =>
    value !== undefined ? value : (baseQuery.get(key) ?? undefined);
  const interim = baseQuery.get('interim_results');
  return {
    model: from(options.model, 'model'),
    encoding: from(options.encoding, 'encoding'),
    sample_rate: from(options.sample_rate, 'sample_rate'),
    channels: from(options.channels, 'channels'),
    utterance_end_ms: from(options.utterance_end_ms, 'utterance_end_ms'),
    interim_results: options.interim_results ?? (interim === null ? undefined : interim === 'true'),
    keyterm: from(options.keyterm, 'keyterm'),
    vad_turnoff: from(options.vad_turnoff, 'vad_turnoff'),
    endpointing: from(options.endpointing, 'endpointing'),
  };
}

function checkCombinations(options: CombinationView): void {
  if (options.model !== undefined && FLUX_MODEL.test(options.model)) {
    throw invalid(
      'model',
      `'${options.model}' is a Flux model, served on /v2/listen only (HTTP 400 on /v1/listen)`,
    );
  }
  const hasEncoding = options.encoding !== undefined;
  if (hasEncoding && options.sample_rate === undefined) {
    throw invalid('sample_rate', `is required when encoding is given (encoding: ${options.encoding})`);
  }
  if (!hasEncoding && options.sample_rate !== undefined) {
    throw invalid(
      'sample_rate',
      'is only read together with encoding: set encoding for raw audio, or omit sample_rate for containerized audio (WAV, Ogg, WebM…)',
    );
  }
  if (!hasEncoding && options.channels !== undefined) {
    throw invalid(
      'channels',
      'is only read together with encoding: set encoding for raw audio, or omit channels for containerized audio (WAV, Ogg, WebM…)',
    );
  }
  if (options.utterance_end_ms !== undefined && options.interim_results !== true) {
    throw invalid('utterance_end_ms', 'requires interim_results: true (Deepgram answers HTTP 400 otherwise)');
  }
  if (
    options.keyterm !== undefined &&
    (options.model === undefined || PRE_NOVA_3_MODEL.test(options.model))
  ) {
    const model = options.model === undefined ? 'not set (the server default, base)' : `'${options.model}'`;
    throw invalid(
      'keyterm',
      `works only with Nova-3 models (e.g. model: 'nova-3'); model is ${model}. Use keywords for older models`,
    );
  }
  if (options.vad_turnoff !== undefined && options.endpointing !== undefined) {
    throw invalid('vad_turnoff', 'is the deprecated form of endpointing; set only endpointing');
  }
}

/**
 * Checks live options and throws {@link LiveOptionsError} naming the first offending option.
 * `listenUrl` calls it; call it yourself to validate options early (e.g. from a config file).
 *
 * Rules: every field has its documented type; `utterance_end_ms` is an integer from 1000 to 5000
 * and requires `interim_results: true`; `encoding` is an {@link Encoding} and requires
 * `sample_rate`; `sample_rate` and `channels` are positive integers allowed only with `encoding`;
 * `endpointing` is a non-negative integer or `false`; `model` is not a Flux model (`/v2/listen`);
 * `keyterm` needs a Nova-3 model (any model not known to be older); `vad_turnoff` is not combined
 * with `endpointing`; `extra` keys are non-empty without `:`, values strings, and each `key:value` is
 * at most 2048 characters; `query` keys do not name modelled options; unknown keys are rejected (use
 * `query` for parameters deepgram-rx does not model). `undefined` fields are ignored.
 *
 * @throws LiveOptionsError when an option is invalid
 * @example
 * ```ts
 * import { validateLiveOptions } from 'deepgram-rx';
 * validateLiveOptions({ encoding: 'mulaw', sample_rate: 8000 }); // ok
 * validateLiveOptions({ encoding: 'mulaw' }); // throws: err.option === 'sample_rate'
 * ```
 */
export function validateLiveOptions(options: LiveOptions): void {
  validateLiveOptionsIn(options, undefined);
}

/** The modelled options and `query`: the fields read even when not the object's own. */
const READ_KEYS: readonly string[] = [...Object.keys(OPTION_KINDS), 'query'];

/**
 * A plain copy of `options`: its own enumerable fields, and each modelled option or `query` read as
 * a property (inherited, or a class getter), as TypeScript and the rest of the session read them.
 * Every field is read once, so that a getter cannot give validation one value and the URL another
 * (internal: `transcribe` reads the options it sends, validates and meters from one such copy).
 * Call it on an object only.
 */
export function readOnce(options: LiveOptions): LiveOptions {
  const copy: Record<string, unknown> = { ...options };
  for (const key of READ_KEYS) {
    if (Object.prototype.hasOwnProperty.call(copy, key)) continue;
    const value = (options as Record<string, unknown>)[key];
    if (value !== undefined) copy[key] = value;
  }
  return copy;
}

/**
 * {@link validateLiveOptions} for options that join the query of a base URL (`listenUrl`): the
 * combination rules also read the parameters already in `baseQuery` (internal).
 *
 * @returns the options as validated: a copy in which each field was read once. Build the URL from
 *   it, so that what is sent is what was checked.
 */
export function validateLiveOptionsIn(
  options: LiveOptions,
  baseQuery: URLSearchParams | undefined,
): LiveOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new LiveOptionsError(
      'options',
      `Invalid LiveOptions: expected an object, got ${describeLiveOptionValue(options)}`,
    );
  }
  const own = readOnce(options);
  for (const [key, value] of Object.entries(own)) {
    if (value === undefined) continue;
    if (key === 'query') checkQuery(value);
    else if (isModelledOption(key)) checkKind(key, value);
    else {
      throw new LiveOptionsError(
        key,
        `Unknown LiveOptions key ${JSON.stringify(key)}: check the spelling, or pass a parameter deepgram-rx does not model in LiveOptions.query`,
      );
    }
  }
  checkCombinations(combinationView(own, baseQuery));
  return own;
}
