/** README.md's example is test/readme.example.ts verbatim, so `npm run typecheck` compiles it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');

test("README.md's TypeScript example is the type-checked test/readme.example.ts", () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBe(readFileSync(join(root, 'test/readme.example.ts'), 'utf8'));
});

test('README.md starts with the command that runs the main job and the test command', () => {
  const head = readFileSync(join(root, 'README.md'), 'utf8').split('\n').slice(0, 8).join('\n');
  expect(head).toContain('npm ci && npm start');
  expect(head).toContain('npm test');
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  expect(pkg.scripts.start).toContain('transcribe samples/pauses-16k.wav');
});
