/**
 * docs/benchmarks.md tells readers to `git apply bench/scale/send-path-probe.patch` to time the
 * chunk and message paths in place. The patch's hunks anchor on lines of the library's source, so
 * an unrelated edit there can stop it applying (it did, twice); this test says so at once.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const PATCH = 'bench/scale/send-path-probe.patch';

test('docs/benchmarks.md tells readers to apply the send-path probe patch', () => {
  expect(readFileSync(join(root, 'docs/benchmarks.md'), 'utf8')).toContain(`git apply ${PATCH}`);
});

test('the send-path probe patch applies to the source as it is', () => {
  // `git apply --check` exits non-zero (execFileSync throws, with git's message) when a hunk fails.
  expect(() => execFileSync('git', ['apply', '--check', PATCH], { cwd: root, stdio: 'pipe' })).not.toThrow();
});
