/**
 * Rewrites the timestamps of server messages with a time mapping: in place (for a message nobody
 * else holds), or on a copy of only the objects on the changed paths.
 */
import type { Results, ResultsChannel, SpeechStarted, UtteranceEnd } from '../protocol/messages';
import type { TimeBias } from './timelineTypes';

/** A stretch of the mapping where a time maps by an offset (see `ConnectionClock.linearRun`). */
export interface LinearRun {
  /** Where the stretch starts on the connection's clock. */
  readonly connectionStart: number;
  /** Where it starts in the original audio. */
  readonly from: number;
  /** Its length: an end time maps no later than `from + seconds`. */
  readonly seconds: number;
}

/** Maps a time (seconds) as a start or an end time (a `ConnectionClock`). */
export interface TimeMap {
  toOriginal(seconds: number, bias: TimeBias): number;
  /**
   * Optional: a stretch in which every time of `[lo, hi]` maps as `toOriginal` would (see
   * {@link LinearRun}), or undefined. Lets a Results message be mapped without a call per time.
   */
  linearRun?(lo: number, hi: number): LinearRun | undefined;
}

/** Rounds seconds to microseconds, so that mapped times carry no float noise. */
export function roundSeconds(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e6;
}

/**
 * A copy of `results` whose timed objects (the Results, its channel, alternatives, words, search
 * results and hits) are new and may be written; everything else (`metadata`, `entities`, …) is
 * shared with the input.
 */
function copyTimedPaths(results: Results): Results {
  const channel = results.channel;
  const copied: ResultsChannel = {
    ...channel,
    alternatives: channel.alternatives.map((alternative) => ({
      ...alternative,
      words: alternative.words.map((word) => ({ ...word })),
    })),
  };
  if (channel.search !== undefined) {
    copied.search = channel.search.map((search) => ({
      ...search,
      hits: search.hits.map((hit) => ({ ...hit })),
    }));
  }
  return { ...results, channel: copied };
}

/** True for a message whose `type` says Results (decoded messages only carry that type when valid). */
export function isResults(message: { type: string }): message is Results {
  return message.type === 'Results';
}

/** True for an `UtteranceEnd` message. */
export function isUtteranceEnd(message: { type: string }): message is UtteranceEnd {
  return message.type === 'UtteranceEnd';
}

/** True for a `SpeechStarted` message. */
export function isSpeechStarted(message: { type: string }): message is SpeechStarted {
  return message.type === 'SpeechStarted';
}

/** Maps a word's or a search hit's `[start, end]` in place; the end never falls before the start. */
function mapSpanInPlace(span: { start: number; end: number }, map: TimeMap): void {
  const start = roundSeconds(map.toOriginal(span.start, 'start'));
  span.end = Math.max(start, roundSeconds(map.toOriginal(span.end, 'end')));
  span.start = start;
}

/**
 * Maps a span in place as {@link mapSpanInPlace} does, by `run` when both its times lie in
 * `[lo, hi]` (the stretch `run` maps by an offset: no search, no call per time), else by `map`.
 */
function mapSpanInRun(
  span: { start: number; end: number },
  run: LinearRun,
  lo: number,
  hi: number,
  map: TimeMap,
): void {
  const spanStart = span.start;
  const spanEnd = span.end;
  if (spanStart < lo || spanStart > hi || spanEnd < lo || spanEnd > hi) {
    mapSpanInPlace(span, map);
    return;
  }
  const { connectionStart, from } = run;
  const start = Math.round((from + Math.max(0, spanStart - connectionStart)) * 1e6) / 1e6;
  const end = from + Math.min(Math.max(0, spanEnd - connectionStart), run.seconds);
  span.end = Math.max(start, Math.round(end * 1e6) / 1e6);
  span.start = start;
}

/** See `Timeline.rebaseOwned`: what {@link rebaseMessage} returns, written into `message`. */
export function rebaseMessageInPlace<M extends { type: string }>(message: M, map: TimeMap): M {
  if (isResults(message)) {
    // Nearly always the whole message lies in one run of the mapping: it and its words then map by
    // that run's offset (mapSpanInRun), with no search per time (messages are few, so this code
    // runs unoptimised for long at low load, where every call and search shows).
    const lo = message.start;
    const hi = lo + message.duration;
    const run = map.linearRun?.(lo, hi);
    const span = { start: lo, end: hi };
    if (run === undefined) mapSpanInPlace(span, map);
    else mapSpanInRun(span, run, lo, hi, map);
    message.start = span.start;
    message.duration = roundSeconds(span.end - span.start);
    // Indexed loops: `for…of` allocates an iterator per loop until V8 optimises the function.
    const { alternatives, search } = message.channel;
    for (let a = 0; a < alternatives.length; a++) {
      const words = alternatives[a]!.words;
      if (run === undefined) for (let w = 0; w < words.length; w++) mapSpanInPlace(words[w]!, map);
      else for (let w = 0; w < words.length; w++) mapSpanInRun(words[w]!, run, lo, hi, map);
    }
    if (search !== undefined) {
      for (let s = 0; s < search.length; s++) {
        const hits = search[s]!.hits;
        if (run === undefined) for (let h = 0; h < hits.length; h++) mapSpanInPlace(hits[h]!, map);
        else for (let h = 0; h < hits.length; h++) mapSpanInRun(hits[h]!, run, lo, hi, map);
      }
    }
  } else if (isUtteranceEnd(message)) {
    message.last_word_end = roundSeconds(map.toOriginal(message.last_word_end, 'end'));
  } else if (isSpeechStarted(message)) {
    message.timestamp = roundSeconds(map.toOriginal(message.timestamp, 'start'));
  }
  return message;
}

/**
 * See `Timeline.rebase`: a new message with the mapped times ({@link rebaseMessageInPlace} on a copy
 * of the objects it writes).
 */
export function rebaseMessage<M extends { type: string }>(message: M, map: TimeMap): M {
  if (isResults(message)) return rebaseMessageInPlace(copyTimedPaths(message), map) as unknown as M;
  if (isUtteranceEnd(message) || isSpeechStarted(message)) return rebaseMessageInPlace({ ...message }, map);
  return message;
}
