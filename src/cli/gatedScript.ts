/**
 * The in-process emulator's recognizer for a gated stream. The script of a sample (`*.words.json`)
 * gives word times on the FILE's timeline, but the emulator's clock counts the audio it RECEIVES:
 * once `gateSilence` drops pauses, the two differ. This recognizer replays the script on the
 * received-audio clock, by mapping through the gate's dropped spans, so the emulator reports the
 * script's words where the received audio holds them (as Deepgram would report what it hears).
 */
import { scriptRecognizer } from '../server/engine/recognizers';
import type { Recognizer, RecognizerFactory, ScriptWord } from '../server/engine/types';
import type { SentTimeline } from './sentTimeline';

/**
 * A recognizer factory for `startEmulator({ recognizer })`: connection `k` (in the order the
 * emulator accepts them) replays `words` on its own audio clock, which starts at
 * `connectionStart(k)` seconds of the sent timeline (0 for the first connection; later ones start
 * where the client resumed, replayed audio included).
 *
 * @param words - the script's words, times on the file's timeline
 * @param timeline - the gate's dropped spans (filled while streaming)
 * @param connectionStart - where connection `k`'s audio starts on the sent timeline
 */
export function gatedScriptRecognizer(
  words: readonly ScriptWord[],
  timeline: SentTimeline,
  connectionStart: (index: number) => number = () => 0,
): RecognizerFactory {
  const script = scriptRecognizer(words);
  let accepted = 0;
  return (): Recognizer => {
    const index = accepted++;
    return {
      wordsBetween(from: number, to: number, channel?: number): readonly ScriptWord[] {
        const offset = connectionStart(index);
        // Both ends mapped the same way, so consecutive windows stay contiguous (each word once).
        const sourceFrom = timeline.toSource(from + offset, 'before');
        const sourceTo = timeline.toSource(to + offset, 'before');
        return script.wordsBetween(sourceFrom, sourceTo, channel).map((word) => ({
          ...word,
          start: timeline.toSent(word.start) - offset,
          end: timeline.toSent(word.end) - offset,
        }));
      },
    };
  };
}
