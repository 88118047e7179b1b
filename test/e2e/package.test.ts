/**
 * The packed tarball (what npm publishes) loads with both `import` and `require` for every entry
 * point. Runs on `dist/`, which `npm test` builds before jest runs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const entryPoints = ['deepgram-rx', 'deepgram-rx/node', 'deepgram-rx/testing'] as const;

let work: string;

function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: work, encoding: 'utf8' });
}

beforeAll(() => {
  if (!existsSync(join(root, 'dist/index.js'))) {
    throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  }
  work = mkdtempSync(join(tmpdir(), 'deepgram-rx-pack-'));
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], {
    cwd: root,
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .pop()!;
  const modules = join(work, 'node_modules');
  mkdirSync(join(modules, 'deepgram-rx'), { recursive: true });
  execFileSync('tar', [
    '-xzf',
    join(work, tarball),
    '-C',
    join(modules, 'deepgram-rx'),
    '--strip-components=1',
  ]);
  // The package's runtime dependencies, as an install would provide them (no network here).
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    peerDependencies: Record<string, string>;
  };
  for (const dep of [...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)]) {
    const target = join(modules, dep);
    mkdirSync(join(target, '..'), { recursive: true });
    symlinkSync(join(root, 'node_modules', dep), target, 'dir');
  }
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the tarball ships dist and no sources or tests', () => {
  const files = readdirSync(join(work, 'node_modules/deepgram-rx'));
  expect(files).toEqual(expect.arrayContaining(['dist', 'package.json', 'README.md']));
  expect(files).not.toContain('src');
  expect(files).not.toContain('test');
});

/** The source module of each entry point: its runtime exports are what the package must export. */
const SOURCES: Record<(typeof entryPoints)[number], string> = {
  'deepgram-rx': '../../src/index',
  'deepgram-rx/node': '../../src/node',
  'deepgram-rx/testing': '../../src/testing',
};

test.each(entryPoints)(
  '%s loads with require() and import with the export names of its source',
  async (entry) => {
    const viaRequire = node([
      '-e',
      `console.log(JSON.stringify(Object.keys(require(${JSON.stringify(entry)})).sort()))`,
    ]);
    const viaImport = node([
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(entry)}); console.log(JSON.stringify(Object.keys(m).sort()))`,
    ]);
    const source = Object.keys((await import(SOURCES[entry])) as object).sort();
    expect(source.length).toBeGreaterThan(0);
    expect(JSON.parse(viaRequire)).toEqual(source);
    expect(JSON.parse(viaImport)).toEqual(source);
  },
);

test('the main entry point works from ESM: KEEP_ALIVE and a decoder are usable', () => {
  const out = node([
    '--input-type=module',
    '-e',
    `import { KEEP_ALIVE, Results } from 'deepgram-rx'; console.log(KEEP_ALIVE, typeof Results.decode);`,
  ]);
  expect(out.trim()).toBe('{"type":"KeepAlive"} function');
});

test('the main entry point works from CommonJS', () => {
  const out = node([
    '-e',
    `const { CLOSE_STREAM, finalizeFrame } = require('deepgram-rx'); console.log(CLOSE_STREAM, finalizeFrame(1));`,
  ]);
  expect(out.trim()).toBe('{"type":"CloseStream"} {"type":"Finalize","channel":1}');
});

/** A session on the emulator without a `webSocket`: Node 20 has no global WebSocket, so this needs ws. */
const DEFAULT_TRANSPORT_SESSION = `
  const emulator = await startEmulator();
  const events = await lastValueFrom(
    of(new Uint8Array(3200)).pipe(
      transcribe({ url: emulator.url, options: { encoding: 'linear16', sample_rate: 16000 } }),
      toArray(),
    ),
  );
  await emulator.close();
  console.log(events.map((e) => e.type).join(' '));
`;

test.each([
  [
    'ESM',
    [
      '--input-type=module',
      '-e',
      `import { transcribe } from 'deepgram-rx'; import { startEmulator } from 'deepgram-rx/node'; import { lastValueFrom, of, toArray } from 'rxjs'; ${DEFAULT_TRANSPORT_SESSION}`,
    ],
  ],
  [
    'CommonJS',
    [
      '-e',
      `const { transcribe } = require('deepgram-rx'); const { startEmulator } = require('deepgram-rx/node'); const { lastValueFrom, of, toArray } = require('rxjs'); (async () => { ${DEFAULT_TRANSPORT_SESSION} })();`,
    ],
  ],
])('in Node, transcribe from %s uses ws when given no webSocket', (_kind, args) => {
  expect(node(args).trim()).toMatch(/^Open( Results)* Metadata Usage$/);
});

test('an error from the CommonJS build is instanceof the ESM build’s class, and back', () => {
  const out = node([
    '--input-type=module',
    '-e',
    [
      "import { createRequire } from 'node:module';",
      "import * as esm from 'deepgram-rx';",
      "import * as esmNode from 'deepgram-rx/node';",
      'const require = createRequire(import.meta.url);',
      "const cjs = require('deepgram-rx');",
      "const cjsNode = require('deepgram-rx/node');",
      "const init = { kind: 'network', message: 'lost' };",
      'console.log(JSON.stringify([',
      '  esm.LiveError !== cjs.LiveError,',
      '  new cjs.LiveError(init) instanceof esm.LiveError,',
      '  new esm.LiveError(init) instanceof cjs.LiveError,',
      '  esm.isRetryable(new cjs.LiveError(init)),',
      "  new cjs.LiveOptionsError('model', 'bad') instanceof esm.LiveOptionsError,",
      "  new cjsNode.WavFileError('not-found', 'a.wav', 'missing') instanceof esmNode.WavFileError,",
      '  new cjs.LiveError(init) instanceof esm.LiveOptionsError,',
      ']));',
    ].join('\n'),
  ]);
  expect(JSON.parse(out)).toEqual([true, true, true, true, true, true, false]);
});

test('type declarations resolve for node10, node16 (ESM and CJS) and bundlers', () => {
  // attw exits non-zero on any problem; execFileSync throws then. node10 (classic "module":
  // "commonjs" projects) finds the subpath entries through typesVersions.
  const out = execFileSync(join(root, 'node_modules/.bin/attw'), ['--pack', '.', '--format', 'ascii'], {
    cwd: root,
    encoding: 'utf8',
  });
  const sections = out.split('***********************************');
  for (const entry of entryPoints) {
    const section = sections.find((s) => s.includes(`"${entry}"`));
    expect(section).toBeDefined();
    expect(section).toContain('node16 (from CJS): 🟢 (CJS)');
    expect(section).toContain('node16 (from ESM): 🟢 (ESM)');
    expect(section).toMatch(/bundler: 🟢/);
    expect(section).toMatch(/node10: 🟢/);
  }
}, 120_000);

test('the Node entry, whose import registers ws as the default transport, is declared to have side effects', () => {
  // With "sideEffects": false, a bundler for Node (Rollup, Vite SSR) drops that registration.
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { sideEffects: unknown };
  const entries = ['./dist/index.node.js', './dist/index.node.cjs'];
  expect(pkg.sideEffects).toEqual(expect.arrayContaining(entries));
  for (const entry of entries) {
    expect(readFileSync(join(root, entry), 'utf8')).toMatch(/registerDefaultWebSocket\(/);
  }
});
