/** fast-check arbitraries for server messages, shared by the protocol property tests. */
import fc from 'fast-check';

const num = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });
const str = fc.string({ maxLength: 12 });

const word = fc.record(
  {
    word: str,
    start: num,
    end: num,
    confidence: num,
    punctuated_word: str,
    speaker: fc.nat(5),
    language: str,
    speaker_confidence: num,
  },
  { requiredKeys: ['word', 'start', 'end', 'confidence'] },
);

const alternative = fc.record(
  {
    transcript: str,
    confidence: num,
    words: fc.array(word, { maxLength: 4 }),
    languages: fc.array(str, { maxLength: 2 }),
  },
  { requiredKeys: ['transcript', 'confidence', 'words'] },
);

const hit = fc.record(
  { confidence: num, start: num, end: num, snippet: str },
  { requiredKeys: ['confidence', 'start', 'end'] },
);

const modelInfo = fc.record({ name: str, version: str, arch: str });

/** A valid `Results` message with a random selection of its optional fields. */
export const validResults = fc.record(
  {
    type: fc.constant('Results'),
    channel_index: fc.tuple(fc.nat(3), fc.integer({ min: 1, max: 4 })),
    duration: num,
    start: num,
    is_final: fc.boolean(),
    speech_final: fc.boolean(),
    from_finalize: fc.boolean(),
    channel: fc.record(
      {
        alternatives: fc.array(alternative, { maxLength: 2 }),
        search: fc.array(fc.record({ query: str, hits: fc.array(hit, { maxLength: 2 }) }), { maxLength: 2 }),
      },
      { requiredKeys: ['alternatives'] },
    ),
    metadata: fc.record(
      {
        request_id: str,
        model_info: modelInfo,
        model_uuid: str,
        extra: fc.dictionary(str, str, { maxKeys: 2 }),
        diarize_info: fc.record({ model_uuid: str, arch: str }),
      },
      { requiredKeys: ['request_id', 'model_info', 'model_uuid'] },
    ),
    entities: fc.array(
      fc.record({
        label: str,
        value: str,
        raw_value: str,
        confidence: num,
        start_word: fc.nat(9),
        end_word: fc.nat(9),
      }),
      { maxLength: 2 },
    ),
  },
  {
    requiredKeys: ['type', 'channel_index', 'duration', 'start', 'channel', 'metadata'],
  },
);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path (array of keys) to a value inside `value`, the root excluded. */
export function pathsOf(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [];
  const paths: string[][] = [];
  for (const [key, child] of Object.entries(value)) {
    const path = [...prefix, key];
    paths.push(path, ...pathsOf(child, path));
  }
  return paths;
}

/** A deep copy of `value` with the value at `path` replaced (or deleted when `replacement` is undefined). */
export function mutateAt(value: unknown, path: string[], replacement: Json | undefined): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  let parent: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
  const last = path[path.length - 1]!;
  if (replacement !== undefined) parent[last] = replacement;
  else if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete parent[last];
  return copy;
}

/**
 * A valid Results with one value somewhere inside replaced by arbitrary JSON, or deleted (an
 * array item is removed), as `JSON.parse` would give it.
 */
export const mutatedResults = fc
  .tuple(validResults, fc.nat(), fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }))
  .map(([results, index, replacement]) => {
    const paths = pathsOf(results);
    const mutated = mutateAt(results, paths[index % paths.length]!, replacement as Json | undefined);
    return JSON.parse(JSON.stringify(mutated)) as unknown;
  });
