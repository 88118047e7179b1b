/**
 * Builds the `/v1/listen` WebSocket URL from {@link LiveOptions} (protocol.md §1.1–1.3).
 */
import { LiveOptionsError, type LiveOptions } from './liveOptions';
import { OPTION_KINDS, validateLiveOptionsIn } from './validateLiveOptions';

/**
 * Deepgram's production live endpoint, the default base of {@link listenUrl}.
 *
 * @example
 * ```ts
 * import { DEFAULT_LISTEN_URL } from 'deepgram-rx';
 * DEFAULT_LISTEN_URL; // 'wss://api.deepgram.com/v1/listen'
 * ```
 */
export const DEFAULT_LISTEN_URL = 'wss://api.deepgram.com/v1/listen';

const BASE_PROTOCOLS: readonly string[] = ['ws:', 'wss:', 'http:', 'https:'];

/** Percent-encodes a key or value; `:` stays readable (`extra=key:value`), it is legal in a query. */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/%3A/g, ':');
}

function valuesOf(value: unknown): string[] {
  if (typeof value === 'boolean') return [value ? 'true' : 'false'];
  if (typeof value === 'number') return [String(value)];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value as string[];
  return Object.entries(value as Record<string, string>).map(([key, item]) => `${key}:${item}`);
}

/** The `[key, value]` pairs of valid options, in URL order (modelled options, then `query`). */
function queryPairs(options: LiveOptions): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const key of Object.keys(OPTION_KINDS) as Array<keyof typeof OPTION_KINDS>) {
    const value = options[key];
    if (value === undefined) continue;
    for (const item of valuesOf(value)) pairs.push([key, item]);
  }
  for (const [key, value] of Object.entries(options.query ?? {})) {
    if (value === undefined) continue;
    for (const item of typeof value === 'string' ? [value] : value) pairs.push([key, item]);
  }
  return pairs;
}

function parseBase(base: unknown): URL {
  if (typeof base !== 'string') {
    throw new LiveOptionsError('base', `Invalid listen URL base: expected a string, got ${typeof base}`);
  }
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new LiveOptionsError('base', 'Invalid listen URL base: not an absolute URL');
  }
  if (!BASE_PROTOCOLS.includes(url.protocol)) {
    throw new LiveOptionsError(
      'base',
      `Invalid listen URL base: protocol must be ws:, wss:, http: or https:, got ${url.protocol}`,
    );
  }
  if (base.includes('#')) {
    throw new LiveOptionsError('base', 'Invalid listen URL base: a WebSocket URL cannot have a #fragment');
  }
  return url;
}

/**
 * Builds the URL of a live session: `base` plus the options as query parameters.
 *
 * - Options go out in a fixed order (protocol.md §1.3 order, then `query` in its own order);
 *   `undefined` options are omitted.
 * - Booleans are `true`/`false`; `endpointing: false` is `endpointing=false`.
 * - Lists (`keyterm`, `keywords`, `search`, `replace`, `tag`, array `redact`) repeat their key;
 *   `extra: { a: 'b' }` is `extra=a:b`; `query` values go out as given (arrays repeat the key).
 * - Values are percent-encoded (a space is `%20`, non-ASCII as UTF-8); `:` is kept as is.
 * - The query already in `base` is kept (as the URL parser normalises it), before the options;
 *   an option that is also in it throws (it would be sent twice). The combination rules count the
 *   parameters in it (`?interim_results=true` allows `utterance_end_ms`, `?model=nova-3` `keyterm`).
 *
 * @param options - the session's options; validated with `validateLiveOptions` first
 * @param base - a `ws:`, `wss:`, `http:` or `https:` URL without `#fragment`; default
 *   `wss://api.deepgram.com/v1/listen` (regional hosts: `wss://api.eu.deepgram.com/v1/listen`…)
 * @returns the URL (no API key in it: authentication goes in a header or subprotocol)
 * @throws LiveOptionsError naming the offending option (`'base'` for the base URL)
 * @example
 * ```ts
 * import { listenUrl } from 'deepgram-rx';
 * listenUrl({ model: 'nova-3', encoding: 'mulaw', sample_rate: 8000, keyterm: ['customer service', 'refund'] });
 * // 'wss://api.deepgram.com/v1/listen?model=nova-3&encoding=mulaw&sample_rate=8000&keyterm=customer%20service&keyterm=refund'
 * ```
 */
export function listenUrl(options: LiveOptions = {}, base: string = DEFAULT_LISTEN_URL): string {
  const url = parseBase(base);
  // The URL is built from what was validated, each field read once.
  const checked = validateLiveOptionsIn(options, url.searchParams);
  const existing = url.search.slice(1);
  for (const key of new Set(url.searchParams.keys())) {
    if (
      Object.prototype.hasOwnProperty.call(checked, key) &&
      (checked as Record<string, unknown>)[key] !== undefined
    ) {
      throw new LiveOptionsError(key, `Invalid LiveOptions.${key}: also set in the base URL's query`);
    }
    if (checked.query?.[key] !== undefined && Object.prototype.hasOwnProperty.call(checked.query, key)) {
      throw new LiveOptionsError(
        'query',
        `Invalid LiveOptions.query: key ${JSON.stringify(key)} is also set in the base URL's query`,
      );
    }
  }
  const added = queryPairs(checked).map(([key, value]) => `${encode(key)}=${encode(value)}`);
  url.search = '';
  const query = [existing, ...added].filter((part) => part.length > 0).join('&');
  return query.length === 0 ? url.href : `${url.href}?${query}`;
}
