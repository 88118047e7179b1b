/**
 * A hand-written type guard for `Results`, the message that arrives about once a second per
 * channel: it accepts exactly what the io-ts codec `Results` accepts for JSON-parsed values, but
 * without the codec's per-node overhead. The decoder uses it as a fast path only: anything it
 * rejects is decoded by the codec itself, which then reports the errors.
 * test/protocol/resultsGuard.test.ts checks that it agrees with `Results.is`.
 */
import type { Results } from './messages';

type Obj = Record<string, unknown>;

function isObj(u: unknown): u is Obj {
  return typeof u === 'object' && u !== null && !Array.isArray(u);
}

// Arrays are checked with `every` and module-level predicates, not `for…of`: in code V8 has not
// optimised yet, `for…of` allocates an iterator and a result object per element. The words, the
// largest part of every Results, are checked in an indexed loop with the checks written out: this
// code runs unoptimised for long at low load (a message a second per session), where every call
// per word shows.

/** A finite number (the codecs' `FiniteNumber`); false for anything else. */
function isNumber(u: unknown): boolean {
  return Number.isFinite(u);
}

function isString(u: unknown): boolean {
  return typeof u === 'string';
}

function isNumberArray(u: unknown): boolean {
  return Array.isArray(u) && u.every(isNumber);
}

function isStringArray(u: unknown): boolean {
  return Array.isArray(u) && u.every(isString);
}

function optional(u: unknown, type: 'string' | 'boolean'): boolean {
  return u === undefined || typeof u === type;
}

function isStringRecord(u: unknown): boolean {
  if (!isObj(u)) return false;
  for (const key of Object.keys(u)) if (typeof u[key] !== 'string') return false;
  return true;
}

function isModelInfo(u: unknown): boolean {
  return (
    isObj(u) && typeof u.name === 'string' && typeof u.version === 'string' && typeof u.arch === 'string'
  );
}

function areWords(words: readonly unknown[]): boolean {
  for (let i = 0; i < words.length; i++) {
    const u = words[i];
    if (typeof u !== 'object' || u === null || Array.isArray(u)) return false;
    const word = u as Obj;
    if (
      typeof word.word !== 'string' ||
      !Number.isFinite(word.start) ||
      !Number.isFinite(word.end) ||
      !Number.isFinite(word.confidence)
    ) {
      return false;
    }
    const { punctuated_word: punctuated, speaker, language, speaker_confidence: speakerConfidence } = word;
    if (
      (punctuated !== undefined && typeof punctuated !== 'string') ||
      (speaker !== undefined && !Number.isFinite(speaker)) ||
      (language !== undefined && typeof language !== 'string') ||
      (speakerConfidence !== undefined && !Number.isFinite(speakerConfidence))
    ) {
      return false;
    }
  }
  return true;
}

function isAlternative(u: unknown): boolean {
  if (!isObj(u) || typeof u.transcript !== 'string' || !Number.isFinite(u.confidence)) return false;
  const words = u.words;
  if (!Array.isArray(words) || !areWords(words)) return false;
  return u.languages === undefined || isStringArray(u.languages);
}

function isSearchHit(u: unknown): boolean {
  return (
    isObj(u) &&
    Number.isFinite(u.confidence) &&
    Number.isFinite(u.start) &&
    Number.isFinite(u.end) &&
    optional(u.snippet, 'string')
  );
}

function isSearchResult(u: unknown): boolean {
  return isObj(u) && typeof u.query === 'string' && Array.isArray(u.hits) && u.hits.every(isSearchHit);
}

function isChannel(u: unknown): boolean {
  if (!isObj(u) || !Array.isArray(u.alternatives) || !u.alternatives.every(isAlternative)) return false;
  return u.search === undefined || (Array.isArray(u.search) && u.search.every(isSearchResult));
}

function isResultsMetadata(u: unknown): boolean {
  if (!isObj(u)) return false;
  if (typeof u.request_id !== 'string' || typeof u.model_uuid !== 'string' || !isModelInfo(u.model_info)) {
    return false;
  }
  if (u.extra !== undefined && !isStringRecord(u.extra)) return false;
  const diarize = u.diarize_info;
  return (
    diarize === undefined ||
    (isObj(diarize) && typeof diarize.model_uuid === 'string' && typeof diarize.arch === 'string')
  );
}

function isEntity(u: unknown): boolean {
  return (
    isObj(u) &&
    typeof u.label === 'string' &&
    typeof u.value === 'string' &&
    typeof u.raw_value === 'string' &&
    Number.isFinite(u.confidence) &&
    Number.isFinite(u.start_word) &&
    Number.isFinite(u.end_word)
  );
}

function isEntities(u: unknown): boolean {
  return Array.isArray(u) && u.every(isEntity);
}

/**
 * True when a JSON-parsed value is a valid `Results` message (same verdict as `Results.is`).
 * Values that did not come from `JSON.parse` (class instances, sparse arrays) are outside its
 * contract.
 */
export function isResultsFast(u: unknown): u is Results {
  return (
    isObj(u) &&
    u.type === 'Results' &&
    isNumberArray(u.channel_index) &&
    Number.isFinite(u.duration) &&
    Number.isFinite(u.start) &&
    isChannel(u.channel) &&
    isResultsMetadata(u.metadata) &&
    optional(u.is_final, 'boolean') &&
    optional(u.speech_final, 'boolean') &&
    optional(u.from_finalize, 'boolean') &&
    (u.entities === undefined || isEntities(u.entities))
  );
}
