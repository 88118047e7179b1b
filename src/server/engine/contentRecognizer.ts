/**
 * The content-aware script recognizer: the words of a script written for a known audio file,
 * reported where the session actually received their audio (see contentFollower.ts for how the
 * received audio is matched against the file).
 */
import { ContentFollower, contentWords } from './contentFollower';
import { ContentIndex, type ContentFormat } from './contentIndex';
import { scriptRecognizer } from './recognizers';
import type { Recognizer, Script, ScriptWord } from './types';

export type { ContentFormat } from './contentIndex';

/** Options of {@link contentRecognizer}. */
export interface ContentRecognizerOptions {
  /**
   * How far (seconds) a run of the file found in the received audio may be extended backwards
   * over silent bytes before the point where its content was recognised, e.g. to the first,
   * silent, samples of a word [0.1]. The engine holds back this much of the received audio while
   * it is silent (its results come that much audio later).
   */
  lookbackSeconds?: number;
}

/**
 * A script recognizer that listens: given the audio of a known file and its script, each session
 * follows the audio it receives, matches it byte for byte against the file, and reports the
 * script's words where their audio arrived on the session's clock. So it stays right when the
 * client drops silence (the words come earlier by the audio dropped before them), reconnects and
 * replays audio from an earlier position (the replayed words again, on the new connection's
 * clock), or sends only part of the file. A word is reported only when all of its span
 * `[start, end]` was received in one piece; a word cut by dropped audio is not (a real Deepgram
 * might still recognize a slightly clipped word). Audio that is not from the file gives no words.
 *
 * Creating it indexes the file once (about 0.1 s for 40 s of 16 kHz audio); through the emulator
 * (`resolveRecognizer`) every connection gets its own state (`forSession()`) over that index. A
 * session follows its audio in a byte comparison while it continues the file (a few ms for 40 s
 * of 16 kHz audio) and looks the index up only where it does not. Used directly with `wordsBetween` and no `observe`, it replays the words on the
 * clock like {@link scriptRecognizer}. For a client that sends the whole file from its start both
 * give the same words at the same times.
 *
 * @param script - the script's words (or a script), times on the file's timeline in seconds
 * @param audio - the file's PCM data (the WAV `data` chunk: linear16 little-endian, mu-law or A-law)
 * @param format - its encoding, sample rate and channels
 * @param options - see {@link ContentRecognizerOptions}
 * @throws RangeError when a word's times are invalid (as {@link scriptRecognizer}), the format is
 *   not an integer sample rate and channel count >= 1, or `lookbackSeconds` is not finite and >= 0
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { contentAudioFromWav, contentRecognizer, loadScript, startEmulator } from 'deepgram-rx/node';
 * const script = loadScript('samples/pauses-16k.words.json');
 * const { format, data } = contentAudioFromWav(readFileSync('samples/pauses-16k.wav'));
 * const emulator = await startEmulator({ recognizer: contentRecognizer(script, data, format) });
 * ```
 */
export function contentRecognizer(
  script: Pick<Script, 'words'> | readonly ScriptWord[],
  audio: Uint8Array,
  format: ContentFormat,
  options: ContentRecognizerOptions = {},
): Recognizer {
  const words = 'words' in script ? script.words : script;
  const lookbackSeconds = options.lookbackSeconds ?? 0.1;
  if (!(Number.isFinite(lookbackSeconds) && lookbackSeconds >= 0)) {
    throw new RangeError(
      `contentRecognizer: lookbackSeconds must be finite and >= 0, got ${lookbackSeconds}`,
    );
  }
  const onClock = scriptRecognizer(words); // validates the words
  const index = new ContentIndex(audio, format);
  // Built now, so that no session's audio waits for it (about 0.1 s for 40 s of 16 kHz audio).
  index.prepare();
  const prepared = contentWords(words, index);
  const lookback = Math.round(lookbackSeconds * format.sampleRate);
  return {
    wordsBetween: (from, to, channel) => onClock.wordsBetween(from, to, channel),
    forSession: () => new ContentFollower(index, prepared, lookback),
  };
}
