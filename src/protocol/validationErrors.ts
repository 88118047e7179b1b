/**
 * Renders io-ts validation errors as short readable lines, e.g.
 * `channel.alternatives.0.words: expected array, found string "x"`.
 */
import * as t from 'io-ts';
import { FiniteNumber } from './finiteNumber';

/** At most this many lines are reported for one value; the rest are summarised in a last line. */
export const MAX_REPORTED_ERRORS = 20;

const MAX_SHOWN_STRING = 40;

/**
 * Describes a JSON value briefly for an error line: its kind and, for scalars, the value
 * (strings cut to 40 characters). Never throws and never walks into nested values.
 * Examples: `missing` (undefined), `array (2 items)`, `string "abc"`, `number 1.5`.
 */
export function describeFound(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `array (${value.length} ${value.length === 1 ? 'item' : 'items'})`;
  switch (typeof value) {
    case 'string': {
      const shown = value.length > MAX_SHOWN_STRING ? `${value.slice(0, MAX_SHOWN_STRING)}…` : value;
      return `string ${JSON.stringify(shown)}`;
    }
    case 'number':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    case 'object':
      return 'object';
    default:
      return typeof value;
  }
}

function expectedOf(type: t.Decoder<unknown, unknown>, value: unknown): string {
  if (type === FiniteNumber) return typeof value === 'number' ? 'a finite number' : 'number';
  if (type instanceof t.StringType) return 'string';
  if (type instanceof t.NumberType) return 'number';
  if (type instanceof t.BooleanType) return 'boolean';
  if (type instanceof t.ArrayType) return 'array';
  if (
    type instanceof t.InterfaceType ||
    type instanceof t.PartialType ||
    type instanceof t.IntersectionType ||
    type instanceof t.DictionaryType
  ) {
    return 'object';
  }
  if (type instanceof t.LiteralType) return JSON.stringify((type as t.LiteralType<string>).value);
  return type.name;
}

function isTransparent(type: t.Decoder<unknown, unknown>): boolean {
  // Intersections and unions push their member index onto the context: not a step in the data.
  return type instanceof t.IntersectionType || type instanceof t.UnionType;
}

const PLAIN_KEY = /^[A-Za-z0-9_$-]+$/;

/** The data path of an io-ts context, e.g. `channel.alternatives.0.words`; `(root)` for the value itself. */
export function contextPath(context: t.Context): string {
  const parts: string[] = [];
  for (let i = 1; i < context.length; i++) {
    const parent = context[i - 1];
    const entry = context[i];
    if (parent === undefined || entry === undefined || isTransparent(parent.type)) continue;
    parts.push(PLAIN_KEY.test(entry.key) ? entry.key : JSON.stringify(entry.key));
  }
  return parts.length === 0 ? '(root)' : parts.join('.');
}

/** What was found, after "expected X": `, found string "x"` or `, but the field is missing`. */
export function foundPhrase(value: unknown): string {
  return value === undefined ? ', but the field is missing' : `, found ${describeFound(value)}`;
}

/** One readable line for one io-ts validation error: `path: expected X, found Y`. */
export function formatValidationError(error: t.ValidationError): string {
  const leaf = error.context[error.context.length - 1];
  const expected = leaf === undefined ? 'a valid value' : expectedOf(leaf.type, error.value);
  const line = `${contextPath(error.context)}: expected ${expected}${foundPhrase(error.value)}`;
  return error.message === undefined ? line : `${line} (${error.message})`;
}

/**
 * Readable, de-duplicated lines for io-ts validation errors (an intersection reports a wrong
 * value once per member; one line is kept). At most {@link MAX_REPORTED_ERRORS} lines; errors
 * after that are only counted, in a last line `… N further errors not shown`.
 */
export function formatValidationErrors(errors: t.Errors): string[] {
  const lines = new Set<string>();
  let index = 0;
  for (; index < errors.length && lines.size < MAX_REPORTED_ERRORS; index++) {
    const error = errors[index];
    if (error !== undefined) lines.add(formatValidationError(error));
  }
  const out = [...lines];
  const rest = errors.length - index;
  if (rest > 0) out.push(`… ${rest} further ${rest === 1 ? 'error' : 'errors'} not shown`);
  return out;
}

/** Option strings longer than this are described by their length only (a Deepgram key has 40). */
const MAX_SHOWN_OPTION_STRING = 32;

/**
 * What an invalid `LiveOptions` value was, for its error message: as {@link describeFound}, but a
 * string longer than 32 characters by its length only (`string of 40 characters`). Short strings
 * (a misspelt encoding or model) help the reader; a long one may be the API key put in the wrong
 * place, and errors must not carry it.
 */
export function describeLiveOptionValue(value: unknown): string {
  if (typeof value === 'string' && value.length > MAX_SHOWN_OPTION_STRING) {
    return `string of ${value.length} characters`;
  }
  return describeFound(value);
}

/**
 * What an invalid option of the client was, for its error message: its kind, and its value for a
 * number, boolean or undefined. Never a string's text: a misplaced string is often the API key
 * (`transcribe(apiKey)`), and errors must not carry it. (`describeFound` is for server data.)
 */
export function describeOptionValue(value: unknown): string {
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'function') return 'a function';
  if (value === null) return 'null';
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  if (typeof value === 'symbol') return value.toString();
  return `${value as number | boolean | bigint | undefined}`;
}
