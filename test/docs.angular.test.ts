/**
 * docs/angular.md shows parts of examples/angular/ verbatim (the service's fields and methods, the
 * component). They drifted once: the doc kept an older start() whose bug the example had fixed.
 * This test compares them with the example files, ignoring whitespace, comments and trailing commas
 * (the doc's lines are not wrapped as the formatter wraps the files).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const doc = readFileSync(join(root, 'docs/angular.md'), 'utf8');
const exampleDir = join(root, 'examples/angular');
const examples = readdirSync(exampleDir)
  .filter((name) => name.endsWith('.ts'))
  .map((name) => readFileSync(join(exampleDir, name), 'utf8'))
  .join('\n');

/** Code without comments, whitespace and trailing commas. */
function bare(code: string): string {
  return code
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '')
    .replace(/\s+/g, '')
    .replace(/,([)}\]])/g, '$1');
}

const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);

/** The first line of each block the doc presents as a copy of the example code. */
const COPIES = [
  'readonly events$: Observable<LiveEvent>',
  'readonly state: Signal<TranscriptionState>;',
  'start(audio$: Observable<Uint8Array>, options?: LiveOptions): void {',
  "private end(session: RunningSession, state: 'stopped' | 'failed', error?: Error): void {",
  'private onEvent(event: LiveEvent): void {',
  'private destroy(): void {',
  '@Component({',
];

it.each(COPIES)('docs/angular.md shows `%s` as it is in examples/angular/', (firstLine) => {
  const block = blocks.find((code) => code.startsWith(firstLine));
  expect(block).toBeDefined();
  expect(bare(examples)).toContain(bare(block!));
});
