/**
 * Removes what a replay repeats: words (and whole Results) already delivered in an earlier final,
 * and repeated UtteranceEnd / SpeechStarted events. Works on messages already rebased onto the
 * original timeline; keeps per-channel state. Pure, no timers.
 */
import type { Entity, Results, SearchResult, Word } from '../protocol/messages';
import { isResults, isSpeechStarted, isUtteranceEnd, roundSeconds } from './timelineRebase';

/** Slack (seconds) for comparing rebased times, which are rounded to microseconds. */
const ROUNDING = 1e-6;

/** The transcript of a word list: `punctuated_word` when present, else `word`, joined by spaces. */
function transcriptOf(words: readonly Word[]): string {
  return words.map((word) => word.punctuated_word ?? word.word).join(' ');
}

/**
 * Entities whose words were all kept, with word indexes shifted onto the kept words.
 * `kept[i]` says whether word i was kept.
 */
function reindexEntities(entities: readonly Entity[], kept: readonly boolean[]): Entity[] {
  const keptBefore = [0];
  for (const isKept of kept) keptBefore.push(keptBefore[keptBefore.length - 1]! + (isKept ? 1 : 0));
  const at = (index: number): number => keptBefore[Math.min(Math.max(index, 0), kept.length)]!;
  const result: Entity[] = [];
  for (const entity of entities) {
    const start = at(entity.start_word);
    const end = at(entity.end_word);
    if (end - start !== Math.max(0, entity.end_word - entity.start_word)) continue;
    result.push({ ...entity, start_word: start, end_word: end });
  }
  return result;
}

/**
 * The latest end of a word of `results` (-Infinity when it has none) when nothing in it repeats
 * final audio: no word or hit repeats what is final up to `upTo`, and neither the Results nor a
 * word starts before `upTo`. Then the filter passes it unchanged (the common case: nothing is final
 * yet on the channel, or the server moved on), checked without allocating. Undefined when it must
 * be cut ({@link ResultsCut}).
 */
function lastWordEndIfUntouched(results: Results, upTo: number, tolerance: number): number | undefined {
  if (results.start < upTo) return undefined;
  const repeatedUpTo = upTo + tolerance;
  let wordsLeft = false;
  let lastWordEnd = -Infinity;
  // Indexed loops: `for…of` allocates an iterator per loop until V8 optimises the function. The
  // repeat test is written out (ResultsCut.repeated): this runs for every Results.
  const { alternatives, search } = results.channel;
  for (let a = 0; a < alternatives.length; a++) {
    const words = alternatives[a]!.words;
    for (let w = 0; w < words.length; w++) {
      const word = words[w]!;
      const start = word.start;
      const end = word.end;
      // A repeated word is cut, a word starting before upTo gets its start clamped.
      if (start < upTo || end <= repeatedUpTo || (start + end) / 2 <= upTo) return undefined;
      wordsLeft = true;
      lastWordEnd = Math.max(lastWordEnd, end);
    }
  }
  if (search !== undefined) {
    for (let s = 0; s < search.length; s++) {
      const hits = search[s]!.hits;
      for (let h = 0; h < hits.length; h++) {
        const { start, end } = hits[h]!;
        if (end <= repeatedUpTo || (start + end) / 2 <= upTo) return undefined;
      }
    }
  }
  if (!wordsLeft && results.start + results.duration <= upTo + ROUNDING) return undefined;
  return lastWordEnd;
}

/** The part of one Results that is not already final. */
class ResultsCut {
  /** Whether any alternative still has a word. */
  wordsLeft = false;
  /** The latest end of a kept word. */
  lastWordEnd = -Infinity;
  private changed = false;

  constructor(
    private readonly results: Results,
    /** Original position up to which the channel is final (-Infinity when nothing is). */
    private readonly upTo: number,
    private readonly tolerance: number,
  ) {}

  /** A word or hit `[start, end]` repeats already final audio. */
  private repeated(start: number, end: number): boolean {
    return end <= this.upTo + this.tolerance || (start + end) / 2 <= this.upTo;
  }

  /** Kept words (first starts clamped to `upTo`), and a keep-flag per original word. */
  private cutWords(words: readonly Word[]): { words: Word[]; kept: boolean[] } {
    const keptWords: Word[] = [];
    const kept: boolean[] = [];
    for (const word of words) {
      const keep = !this.repeated(word.start, word.end);
      kept.push(keep);
      if (!keep) continue;
      keptWords.push(word.start < this.upTo ? { ...word, start: this.upTo } : word);
      this.lastWordEnd = Math.max(this.lastWordEnd, word.end);
    }
    return { words: keptWords, kept };
  }

  private cutSearch(search: readonly SearchResult[]): SearchResult[] {
    return search.map((result) => {
      const hits = result.hits.filter((hit) => !this.repeated(hit.start, hit.end));
      if (hits.length === result.hits.length) return result;
      this.changed = true;
      return { ...result, hits };
    });
  }

  /**
   * The cut Results (the input itself when nothing changed), or undefined when nothing is new. For
   * a Results that {@link lastWordEndIfUntouched} passes unchanged, the same result, the long way.
   */
  apply(): Results | undefined {
    const { results, upTo } = this;
    let entities = results.entities;
    const alternatives = results.channel.alternatives.map((alternative, index) => {
      const { words, kept } = this.cutWords(alternative.words);
      if (words.length > 0) this.wordsLeft = true;
      const removed = words.length < alternative.words.length;
      if (!removed && words.every((word, i) => word === alternative.words[i])) return alternative;
      this.changed = true;
      if (index === 0 && removed && entities !== undefined) entities = reindexEntities(entities, kept);
      return removed ? { ...alternative, words, transcript: transcriptOf(words) } : { ...alternative, words };
    });
    const search = results.channel.search === undefined ? undefined : this.cutSearch(results.channel.search);
    const end = results.start + results.duration;
    if (!this.wordsLeft && end <= upTo + ROUNDING) return undefined;
    if (!this.changed && results.start >= upTo) return results;
    const start = Math.max(results.start, upTo);
    const cut: Results = {
      ...results,
      start,
      duration: roundSeconds(Math.max(end, start) - start),
      channel: { ...results.channel, alternatives },
    };
    if (search !== undefined) cut.channel.search = search;
    if (entities !== undefined) cut.entities = entities;
    return cut;
  }
}

/** Per-channel memory of what was delivered; see `Timeline.dedupe`. */
export class RepeatFilter {
  // Indexed by channel (small integers). Arrays, not Maps, starting as one shared empty array: a
  // session holds one filter for its whole life (see setAt for why they are replaced, not grown).
  private finalized = NONE;
  private utteranceEnds = NONE;
  private speechStarts = NONE;
  private channels = 0;

  constructor(private readonly tolerance: number) {}

  /** Minimum over the channels seen of the position up to which the channel is final; 0 if none. */
  get finalizedUpTo(): number {
    if (this.channels === 0) return 0;
    let upTo = Infinity;
    for (let channel = 0; channel < this.channels; channel++) {
      upTo = Math.min(upTo, this.finalized[channel] ?? 0);
    }
    return upTo;
  }

  /** Returns the message without what repeats earlier output, or undefined when all of it does. */
  filter<M extends { type: string }>(message: M): M | undefined {
    if (isResults(message)) return this.filterResults(message) as M | undefined;
    if (isUtteranceEnd(message)) {
      const last = this.utteranceEnds;
      if (this.isRepeat(last, message.channel, message.last_word_end)) return undefined;
      this.utteranceEnds = setAt(last, this.channelOf(message.channel), message.last_word_end);
      return message;
    }
    if (isSpeechStarted(message)) {
      const last = this.speechStarts;
      if (this.isRepeat(last, message.channel, message.timestamp)) return undefined;
      this.speechStarts = setAt(last, this.channelOf(message.channel), message.timestamp);
      return message;
    }
    return message;
  }

  private channelOf(pair: readonly number[]): number {
    const channel = pair[0] ?? 0;
    this.channels = Math.max(this.channels, channel + 1, pair[1] ?? 1);
    return channel;
  }

  private filterResults(results: Results): Results | undefined {
    const channel = this.channelOf(results.channel_index);
    const upTo = this.finalized[channel] ?? -Infinity;
    let kept: Results | undefined = results;
    let lastWordEnd = lastWordEndIfUntouched(results, upTo, this.tolerance);
    if (lastWordEnd === undefined) {
      const cut = new ResultsCut(results, upTo, this.tolerance);
      kept = cut.apply();
      lastWordEnd = cut.lastWordEnd;
    }
    if (kept !== undefined && results.is_final === true) {
      this.finalized = setAt(
        this.finalized,
        channel,
        roundSeconds(Math.max(upTo, kept.start + kept.duration, lastWordEnd)),
      );
    }
    return kept;
  }

  /** True when `time` is not later than the last one delivered on the channel (by more than the tolerance). */
  private isRepeat(last: readonly number[], pair: readonly number[], time: number): boolean {
    const previous = last[this.channelOf(pair)];
    return previous !== undefined && time <= previous + this.tolerance;
  }
}

/** The empty per-channel array every filter starts with (frozen: {@link setAt} never writes to it). */
const NONE: readonly number[] = Object.freeze([]);

/**
 * `values` with `values[index] = value`: in place once the array has values, else a new array. The
 * first value of channel 0 makes a one-element array: growing an empty array reserves 17 slots,
 * which every session would hold for its whole life.
 */
function setAt(values: readonly number[], index: number, value: number): readonly number[] {
  if (values.length === 0) {
    if (index === 0) return [value];
    const fresh: number[] = [];
    fresh[index] = value;
    return fresh;
  }
  (values as number[])[index] = value;
  return values;
}
