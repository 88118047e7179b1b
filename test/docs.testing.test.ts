/**
 * docs/testing.md's examples are the tests that run them, apart from their imports (the docs
 * import from the package, the tests from src/): test/session/docs.testingExample.test.ts runs the
 * complete marble example, test/e2e/transcribe.docs.test.ts the emulator one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

/** The ```ts blocks of a Markdown file, in order. */
function tsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);
}

/**
 * Code with what may differ taken out: the file's leading doc comment, import statements, lines
 * that are only a comment, `export` before a declaration, and blank lines.
 */
function body(code: string): string {
  return code
    .replace(/^\/\*\*[\s\S]*?\*\/\n/, '')
    .replace(/^import [\s\S]*?;\n/gm, '')
    .replace(/^export (?=function|const|class)/gm, '')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trim().startsWith('//'))
    .join('\n');
}

const blocks = tsBlocks(read('docs/testing.md'));

test('docs/testing.md has the three examples the tests run', () => {
  expect(blocks).toHaveLength(3);
});

test('the complete example of docs/testing.md (the code and its tests) is what the marble test runs', () => {
  expect(body(read('test/session/docs.testingExample.test.ts'))).toBe(body(blocks[0]! + blocks[1]!));
});

test('the emulator example of docs/testing.md is what the end-to-end test runs', () => {
  expect(body(read('test/e2e/transcribe.docs.test.ts'))).toBe(body(blocks[2]!));
});
