import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recognizerFromQuery, resolveRecognizer } from '../../../src/server/engine/recognizerSelect';
import { scriptRecognizer, silentRecognizer } from '../../../src/server/engine/recognizers';
import { loadScript, loadScriptDirectory, parseScript } from '../../../src/server/engine/scriptFile';
import type { Recognizer, ScriptWord } from '../../../src/server/engine/types';

const words: ScriptWord[] = [
  { word: 'b', start: 1.0, end: 1.4 },
  { word: 'a', start: 0.2, end: 0.6, punctuated_word: 'A' },
  { word: 'c', start: 2.5, end: 2.9 },
];

/** Asks in consecutive windows of `step` seconds up to `until` and concatenates the answers. */
function sweep(recognizer: Recognizer, step: number, until: number): string[] {
  const seen: string[] = [];
  for (let from = 0; from < until; from += step) {
    for (const w of recognizer.wordsBetween(from, Math.min(until, from + step)))
      seen.push(`${w.word}@${w.start}`);
  }
  return seen;
}

describe('scriptRecognizer', () => {
  test('reports each word once, sorted, over consecutive windows', () => {
    expect(sweep(scriptRecognizer(words), 0.02, 4)).toEqual(['a@0.2', 'b@1', 'c@2.5']);
  });

  test('a window is half-open: a word starting at its end belongs to the next one', () => {
    const r = scriptRecognizer(words);
    expect([r.wordsBetween(0.5, 1.0).length, r.wordsBetween(1.0, 1.5).length]).toEqual([0, 1]);
  });

  test('offset shifts every word', () => {
    expect(scriptRecognizer(words, { offset: 10 }).wordsBetween(10, 11)).toEqual([
      { word: 'a', start: 10.2, end: 10.6, punctuated_word: 'A' },
    ]);
  });

  test('repeatEvery replays the script every period', () => {
    expect(sweep(scriptRecognizer(words, { repeatEvery: 3 }), 0.1, 7)).toEqual([
      'a@0.2',
      'b@1',
      'c@2.5',
      'a@3.2',
      'b@4',
      'c@5.5',
      'a@6.2',
    ]);
  });

  test('rejects a word whose end is before its start', () => {
    expect(() => scriptRecognizer([{ word: 'x', start: 2, end: 1 }])).toThrow(RangeError);
  });

  test('rejects a repetition period that is not > 0', () => {
    expect(() => scriptRecognizer(words, { repeatEvery: 0 })).toThrow(/repeatEvery/);
  });

  test('silentRecognizer never reports a word', () => {
    expect(silentRecognizer.wordsBetween(0, 1e6)).toEqual([]);
  });
});

describe('script files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dgrx-scripts-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('loadScript reads audio and words', () => {
    const path = join(dir, 'hello.words.json');
    writeFileSync(
      path,
      JSON.stringify({ audio: 'hello.wav', words: [{ word: 'hi', start: 0.1, end: 0.3 }] }),
    );
    expect(loadScript(path)).toEqual({ audio: 'hello.wav', words: [{ word: 'hi', start: 0.1, end: 0.3 }] });
  });

  test('parseScript names the file and the bad field', () => {
    const text = JSON.stringify({ audio: 'a.wav', words: [{ word: 'hi', start: '0.1', end: 0.3 }] });
    expect(() => parseScript(text, 'bad.words.json')).toThrow(/bad\.words\.json[\s\S]*words\.0\.start/);
  });

  test('parseScript rejects malformed JSON with the source name', () => {
    expect(() => parseScript('{', 'x.words.json')).toThrow(/x\.words\.json: invalid JSON/);
  });

  test('loadScriptDirectory keys each script by audio name, bare audio name and script name', () => {
    const script = { audio: 'preamble.wav', words: [{ word: 'we', start: 0.1, end: 0.3 }] };
    writeFileSync(join(dir, 'preamble-8k.words.json'), JSON.stringify(script));
    writeFileSync(join(dir, 'notes.txt'), 'not a script');
    expect([...loadScriptDirectory(dir).keys()].sort()).toEqual(['preamble', 'preamble-8k', 'preamble.wav']);
  });
});

describe('choosing a recognizer per session', () => {
  const named = scriptRecognizer(words);
  const factory = recognizerFromQuery(new Map([['preamble', named]]));

  test('picks the script named by emulator_script', () => {
    expect(factory({ emulator_script: 'preamble' })).toBe(named);
  });

  test('picks the script named by a tag emulator_script:<name>', () => {
    expect(factory({ tag: ['billing', 'emulator_script:preamble'] })).toBe(named);
  });

  test('falls back to the silent recognizer for an unknown or missing name', () => {
    expect([factory({ emulator_script: 'nope' }), factory({})]).toEqual([silentRecognizer, silentRecognizer]);
  });

  test('accepts a plain object of scripts and a custom parameter and fallback', () => {
    const fallback = scriptRecognizer([]);
    const pick = recognizerFromQuery({ one: named }, { param: 'script', fallback });
    expect([pick({ script: 'one' }), pick({ script: 'toString' })]).toEqual([named, fallback]);
  });

  test('resolveRecognizer calls a factory with the query, uses a recognizer as is, defaults to silence', () => {
    const seen: unknown[] = [];
    const source = (query: Record<string, unknown>): Recognizer => {
      seen.push(query);
      return named;
    };
    expect([
      resolveRecognizer(source, { model: 'nova-3' }),
      resolveRecognizer(named, {}),
      resolveRecognizer(undefined, {}),
    ]).toEqual([named, named, silentRecognizer]);
    expect(seen).toEqual([{ model: 'nova-3' }]);
  });
});
