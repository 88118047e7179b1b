/**
 * Rewrites the timestamps of server messages with a time mapping, copying only the objects on
 * the changed paths. Pure.
 */
import type {
  Alternative,
  Results,
  ResultsChannel,
  SearchResult,
  SpeechStarted,
  UtteranceEnd,
} from '../protocol/messages';
import type { TimeBias } from './timelineTypes';

/** Maps a time (seconds) as a start or an end time (a `ConnectionClock`). */
export interface TimeMap {
  toOriginal(seconds: number, bias: TimeBias): number;
}

/** Rounds seconds to microseconds, so that mapped times carry no float noise. */
export function roundSeconds(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e6;
}

/** Maps a `[start, end]` pair; the end never falls before the start. */
function mapSpan(start: number, end: number, map: TimeMap): { start: number; end: number } {
  const mappedStart = roundSeconds(map.toOriginal(start, 'start'));
  return { start: mappedStart, end: Math.max(mappedStart, roundSeconds(map.toOriginal(end, 'end'))) };
}

function rebaseAlternative(alternative: Alternative, map: TimeMap): Alternative {
  return {
    ...alternative,
    words: alternative.words.map((word) => ({ ...word, ...mapSpan(word.start, word.end, map) })),
  };
}

function rebaseSearch(search: SearchResult, map: TimeMap): SearchResult {
  return { ...search, hits: search.hits.map((hit) => ({ ...hit, ...mapSpan(hit.start, hit.end, map) })) };
}

function rebaseChannel(channel: ResultsChannel, map: TimeMap): ResultsChannel {
  const rebased: ResultsChannel = {
    ...channel,
    alternatives: channel.alternatives.map((alternative) => rebaseAlternative(alternative, map)),
  };
  if (channel.search !== undefined)
    rebased.search = channel.search.map((search) => rebaseSearch(search, map));
  return rebased;
}

function rebaseResults(results: Results, map: TimeMap): Results {
  const { start, end } = mapSpan(results.start, results.start + results.duration, map);
  return {
    ...results,
    start,
    duration: roundSeconds(end - start),
    channel: rebaseChannel(results.channel, map),
  };
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

/** See `Timeline.rebaseOwned`: what {@link rebaseMessage} returns, written into `message`. */
export function rebaseMessageInPlace<M extends { type: string }>(message: M, map: TimeMap): M {
  if (isResults(message)) {
    const start = roundSeconds(map.toOriginal(message.start, 'start'));
    const end = Math.max(start, roundSeconds(map.toOriginal(message.start + message.duration, 'end')));
    message.start = start;
    message.duration = roundSeconds(end - start);
    // Indexed loops: `for…of` allocates an iterator per loop until V8 optimises the function.
    const { alternatives, search } = message.channel;
    for (let a = 0; a < alternatives.length; a++) {
      const words = alternatives[a]!.words;
      for (let w = 0; w < words.length; w++) mapSpanInPlace(words[w]!, map);
    }
    if (search !== undefined) {
      for (let s = 0; s < search.length; s++) {
        const hits = search[s]!.hits;
        for (let h = 0; h < hits.length; h++) mapSpanInPlace(hits[h]!, map);
      }
    }
  } else if (isUtteranceEnd(message)) {
    message.last_word_end = roundSeconds(map.toOriginal(message.last_word_end, 'end'));
  } else if (isSpeechStarted(message)) {
    message.timestamp = roundSeconds(map.toOriginal(message.timestamp, 'start'));
  }
  return message;
}

/** See `Timeline.rebase`. */
export function rebaseMessage<M extends { type: string }>(message: M, map: TimeMap): M {
  if (isResults(message)) return rebaseResults(message, map) as unknown as M;
  if (isUtteranceEnd(message)) {
    const rebased: UtteranceEnd = {
      ...message,
      last_word_end: roundSeconds(map.toOriginal(message.last_word_end, 'end')),
    };
    return rebased as unknown as M;
  }
  if (isSpeechStarted(message)) {
    const rebased: SpeechStarted = {
      ...message,
      timestamp: roundSeconds(map.toOriginal(message.timestamp, 'start')),
    };
    return rebased as unknown as M;
  }
  return message;
}
