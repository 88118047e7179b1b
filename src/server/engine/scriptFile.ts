/**
 * Script files for the emulator's {@link scriptRecognizer}: JSON files
 * `{ "audio": "<wav file name>", "words": [{ "word", "start", "end", "punctuated_word"? }] }`
 * (samples/*.words.json), with times on the audio file's timeline in seconds.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { formatValidationErrors } from '../../protocol/validationErrors';
import { contentRecognizer, type ContentRecognizerOptions } from './contentRecognizer';
import { contentAudioFromWav } from './contentWav';
import { scriptRecognizer } from './recognizers';
import type { Recognizer, Script } from './types';

const ScriptWordCodec = t.intersection([
  t.type({ word: t.string, start: t.number, end: t.number }),
  t.partial({ punctuated_word: t.string, confidence: t.number, speaker: t.number }),
]);

const ScriptCodec = t.type({ audio: t.string, words: t.array(ScriptWordCodec) }, 'Script');

/** The suffix of script files in a samples directory. */
export const SCRIPT_SUFFIX = '.words.json';

/**
 * Parses the text of a script file.
 *
 * @param text - the JSON text
 * @param source - a name for error messages (e.g. the file path)
 * @throws Error naming the source and the offending fields when the JSON is malformed or not a
 *   script, RangeError when a word's times are not `0 <= start <= end`
 * @example
 * ```ts
 * import { parseScript } from 'deepgram-rx/node';
 * const script = parseScript('{"audio":"a.wav","words":[{"word":"hi","start":0.1,"end":0.3}]}');
 * ```
 */
export function parseScript(text: string, source = 'script'): Script {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: invalid JSON (${error instanceof Error ? error.message : String(error)})`, {
      cause: error,
    });
  }
  const decoded = ScriptCodec.decode(json);
  if (E.isLeft(decoded)) {
    throw new Error(`${source}: not a script file:\n${formatValidationErrors(decoded.left).join('\n')}`);
  }
  const script: Script = {
    audio: decoded.right.audio,
    words: decoded.right.words.map((w) => {
      const word: Script['words'][number] = { word: w.word, start: w.start, end: w.end };
      if (w.punctuated_word !== undefined) word.punctuated_word = w.punctuated_word;
      if (w.confidence !== undefined) word.confidence = w.confidence;
      if (w.speaker !== undefined) word.speaker = w.speaker;
      return word;
    }),
  };
  scriptRecognizer(script.words); // validates the times, with the same messages
  return script;
}

/**
 * Reads a script file (synchronously: meant for setting up an emulator or a test).
 *
 * @param path - path of a `*.words.json` file
 * @throws when the file cannot be read or is not a valid script (see {@link parseScript})
 * @example
 * ```ts
 * import { loadScript, scriptRecognizer, startEmulator } from 'deepgram-rx/node';
 * const script = loadScript('samples/preamble-websocket.words.json');
 * const emulator = await startEmulator({ recognizer: scriptRecognizer(script.words) });
 * ```
 */
export function loadScript(path: string): Script {
  return parseScript(readFileSync(path, 'utf8'), path);
}

/**
 * Loads a script file as a recognizer: content-aware ({@link contentRecognizer}: words where the
 * session received their audio, right with dropped silence and replays) when the WAV file it names
 * (`audio`, relative to the script file's directory) exists; otherwise the clock-based
 * {@link scriptRecognizer}.
 *
 * @param path - path of a `*.words.json` file
 * @param options - options of the content-aware recognizer
 * @throws when the script is invalid (see {@link parseScript}), or its audio file exists but is not
 *   a WAV file with 16-bit PCM, mu-law or A-law samples
 * @example
 * ```ts
 * import { loadScriptRecognizer, startEmulator } from 'deepgram-rx/node';
 * const emulator = await startEmulator({ recognizer: loadScriptRecognizer('samples/pauses-16k.words.json') });
 * ```
 */
export function loadScriptRecognizer(path: string, options: ContentRecognizerOptions = {}): Recognizer {
  const script = loadScript(path);
  const audioPath = resolve(dirname(path), script.audio);
  if (!existsSync(audioPath)) return scriptRecognizer(script.words);
  const { format, data } = contentAudioFromWav(readFileSync(audioPath), audioPath);
  return contentRecognizer(script.words, data, format, options);
}

function withoutExtension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/**
 * Loads every `*.words.json` script of a directory as a recognizer, keyed by the script's audio
 * file name (`preamble-websocket.wav`), that name without extension (`preamble-websocket`) and the
 * script file's base name without `.words.json`. Use it with `recognizerFromQuery`. Scripts whose
 * WAV file is there are content-aware (see {@link loadScriptRecognizer}).
 *
 * @throws when a script file is invalid (see {@link parseScript}) or its WAV file is unreadable
 * @example
 * ```ts
 * import { loadScriptDirectory, recognizerFromQuery, startEmulator } from 'deepgram-rx/node';
 * const scripts = loadScriptDirectory('samples'); // 'pauses-16k.wav', 'pauses-16k'
 * const emulator = await startEmulator({ recognizer: recognizerFromQuery(scripts) });
 * ```
 */
export function loadScriptDirectory(dir: string): Map<string, Recognizer> {
  const scripts = new Map<string, Recognizer>();
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith(SCRIPT_SUFFIX)) continue;
    const path = join(dir, file);
    const script = loadScript(path);
    const recognizer = loadScriptRecognizer(path);
    const audio = basename(script.audio);
    for (const key of [audio, withoutExtension(audio), file.slice(0, -SCRIPT_SUFFIX.length)]) {
      if (!scripts.has(key)) scripts.set(key, recognizer);
    }
  }
  return scripts;
}
