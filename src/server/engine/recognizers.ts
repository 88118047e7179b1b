/**
 * Recognizers for the emulator. The emulator is not a speech recognizer: it either replays the
 * words of a script written for a known audio file (`scriptRecognizer`), revealing each word as the
 * audio clock passes it, or reports no words at all (`silentRecognizer`, the default for unknown
 * audio), so that results still have correct timing but empty transcripts.
 */
import type { Recognizer, ScriptWord } from './types';
import { round6 } from './numbers';
import { lowerBound } from './lowerBound';

const NO_WORDS: readonly ScriptWord[] = Object.freeze([]);

/**
 * A recognizer that never hears a word: every result has `transcript: ""` and `words: []`.
 *
 * @example
 * ```ts
 * import { silentRecognizer, startEmulator } from 'deepgram-rx/node';
 * const emulator = await startEmulator({ recognizer: silentRecognizer });
 * ```
 */
export const silentRecognizer: Recognizer = Object.freeze({
  wordsBetween: (): readonly ScriptWord[] => NO_WORDS,
});

/** Options of {@link scriptRecognizer}. */
export interface ScriptRecognizerOptions {
  /** Seconds added to every word time (the script's audio starts this late in the stream) [0]. */
  offset?: number;
  /**
   * Repeat the script every this many seconds of audio (a client that loops the file). Words are
   * then at `start + offset + k * repeatEvery` for k = 0, 1, 2, … [no repetition].
   */
  repeatEvery?: number;
}

function checkWord(w: ScriptWord, index: number): void {
  if (typeof w.word !== 'string' || w.word === '') {
    throw new RangeError(`scriptRecognizer: word ${index} has no text`);
  }
  if (!Number.isFinite(w.start) || !Number.isFinite(w.end) || w.start < 0 || w.end < w.start) {
    throw new RangeError(
      `scriptRecognizer: word ${index} ("${w.word}") needs finite times with 0 <= start <= end, got start ${w.start}, end ${w.end}`,
    );
  }
}

function shifted(w: ScriptWord, start: number, shift: number): ScriptWord {
  const word: ScriptWord = { word: w.word, start, end: round6(w.end + shift) };
  if (w.punctuated_word !== undefined) word.punctuated_word = w.punctuated_word;
  if (w.confidence !== undefined) word.confidence = w.confidence;
  if (w.speaker !== undefined) word.speaker = w.speaker;
  return word;
}

/**
 * A recognizer that replays a script: the given words (times on the audio file's timeline, seconds)
 * are reported as the session's audio clock reaches them, the same words on every channel. It does
 * not listen to the audio: use it with the audio file the script was written for.
 *
 * @param words - the script's words (any order; sorted by `start` internally)
 * @param options - a time offset and an optional repetition period
 * @throws RangeError when a word has no text or times that are not finite with `0 <= start <= end`,
 *   or when `offset`/`repeatEvery` are not finite (`repeatEvery` must be > 0)
 * @example
 * ```ts
 * import { scriptRecognizer, startEmulator } from 'deepgram-rx/node';
 * const recognizer = scriptRecognizer([{ word: 'hello', start: 0.5, end: 0.9, punctuated_word: 'Hello.' }]);
 * const emulator = await startEmulator({ recognizer });
 * ```
 */
export function scriptRecognizer(
  words: readonly ScriptWord[],
  options: ScriptRecognizerOptions = {},
): Recognizer {
  const offset = options.offset ?? 0;
  const period = options.repeatEvery;
  if (!Number.isFinite(offset))
    throw new RangeError(`scriptRecognizer: offset must be finite, got ${offset}`);
  if (period !== undefined && !(Number.isFinite(period) && period > 0)) {
    throw new RangeError(`scriptRecognizer: repeatEvery must be a finite number > 0, got ${period}`);
  }
  words.forEach(checkWord);
  const sorted = [...words].sort((a, b) => a.start - b.start);
  const starts = Float64Array.from(sorted, (w) => w.start);
  const first = sorted[0]?.start ?? 0;
  const last = sorted[sorted.length - 1]?.start ?? 0;
  const slack = 1e-6;

  return {
    wordsBetween(from: number, to: number): readonly ScriptWord[] {
      if (!(to > from) || sorted.length === 0) return NO_WORDS;
      if (period !== undefined && !Number.isFinite(to)) return NO_WORDS;
      let found: ScriptWord[] | undefined;
      const kFirst = period === undefined ? 0 : Math.max(0, Math.floor((from - offset - last) / period) - 1);
      const kLast = period === undefined ? 0 : Math.floor((to - offset - first) / period) + 1;
      for (let k = kFirst; k <= kLast; k++) {
        const shift = offset + k * (period ?? 0);
        for (let i = lowerBound(starts, from - shift - slack); i < sorted.length; i++) {
          // Rounded so that every call computes the very same time for a word (exactly-once windows).
          const start = round6(starts[i]! + shift);
          if (start >= to) break;
          if (start < from) continue;
          (found ??= []).push(shifted(sorted[i]!, start, shift));
        }
      }
      return found ?? NO_WORDS;
    },
  };
}
