/**
 * Choosing the recognizer of each emulator session: one for all sessions, a callback on the query,
 * or a script named in the query.
 */
import { silentRecognizer } from './recognizers';
import type { Recognizer, RecognizerFactory, RecognizerQuery, RecognizerSource } from './types';

/** The query parameter that names a script by default: `?emulator_script=preamble-websocket`. */
export const SCRIPT_QUERY_PARAM = 'emulator_script';

/** Options of {@link recognizerFromQuery}. */
export interface RecognizerFromQueryOptions {
  /** Query parameter naming the script [`emulator_script`]. */
  param?: string;
  /** Recognizer when the query names no script or an unknown one [silentRecognizer]. */
  fallback?: Recognizer;
}

function firstValue(value: string | readonly string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value[0];
}

/**
 * A recognizer factory that picks a script by name from the query: `?emulator_script=<name>`, or,
 * for clients that can only send Deepgram's own parameters, a `tag` of the form
 * `emulator_script:<name>` (tags are usage labels: Deepgram ignores them in transcripts). Unknown
 * or missing names get the fallback.
 *
 * @param scripts - recognizers by name (e.g. from `loadScriptDirectory('samples')`)
 * @example
 * ```ts
 * import { loadScriptDirectory, recognizerFromQuery, startEmulator } from 'deepgram-rx/node';
 * const emulator = await startEmulator({ recognizer: recognizerFromQuery(loadScriptDirectory('samples')) });
 * // wss://…/v1/listen?encoding=mulaw&sample_rate=8000&tag=emulator_script:preamble-websocket
 * ```
 */
export function recognizerFromQuery(
  scripts: ReadonlyMap<string, Recognizer> | Readonly<Record<string, Recognizer>>,
  options: RecognizerFromQueryOptions = {},
): RecognizerFactory {
  const param = options.param ?? SCRIPT_QUERY_PARAM;
  const fallback = options.fallback ?? silentRecognizer;
  const lookup = (name: string): Recognizer | undefined =>
    scripts instanceof Map
      ? (scripts as ReadonlyMap<string, Recognizer>).get(name)
      : Object.prototype.hasOwnProperty.call(scripts, name)
        ? (scripts as Readonly<Record<string, Recognizer>>)[name]
        : undefined;
  const prefix = `${param}:`;
  return (query: RecognizerQuery): Recognizer => {
    const named = firstValue(query[param]);
    if (named !== undefined) return lookup(named) ?? fallback;
    const tags = query.tag;
    for (const tag of tags === undefined ? [] : typeof tags === 'string' ? [tags] : tags) {
      if (tag.startsWith(prefix)) return lookup(tag.slice(prefix.length)) ?? fallback;
    }
    return fallback;
  };
}

/**
 * The recognizer for one session: `source` itself when it is a recognizer, `source(query)` when it
 * is a factory, `silentRecognizer` when there is none. When that recognizer keeps per-connection
 * state (it has `forSession`, like `contentRecognizer`), the session gets `forSession()`'s fresh one.
 *
 * @example
 * ```ts
 * import { resolveRecognizer, scriptRecognizer } from 'deepgram-rx/node';
 * const recognizer = resolveRecognizer((query) => scriptRecognizer([]), { model: 'nova-3' });
 * ```
 */
export function resolveRecognizer(source: RecognizerSource | undefined, query: RecognizerQuery): Recognizer {
  if (source === undefined) return silentRecognizer;
  const recognizer = typeof source === 'function' ? source(query) : source;
  return recognizer.forSession?.() ?? recognizer;
}
