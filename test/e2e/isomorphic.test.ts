/**
 * The `deepgram-rx` entry point is isomorphic: bundled for a browser it pulls in no Node built-in,
 * no `ws` and none of the Node-only sources; those are reached only from `deepgram-rx/node`.
 */
import { builtinModules } from 'node:module';
import { relative, resolve } from 'node:path';
import { build, type Metafile, type Plugin } from 'esbuild';

const root = resolve(__dirname, '../..');
const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const nodeOnlySources =
  /^src\/(server|cli)\/|^src\/audio\/(readWav|wavHeader|wavFileError)\.ts$|^src\/(node|index\.node)\.ts$/;

/** Marks Node built-ins external (instead of failing the build) and records who imported them. */
function recordBuiltins(seen: string[]): Plugin {
  return {
    name: 'record-builtins',
    setup(b) {
      b.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
        if (!builtins.has(args.path)) return undefined;
        seen.push(`${args.path} (from ${relative(root, args.importer)})`);
        return { path: args.path, external: true };
      });
    },
  };
}

function bundleForBrowser(format: 'esm' | 'cjs', packages: 'bundle' | 'external') {
  const builtinImports: string[] = [];
  const result = build({
    absWorkingDir: root,
    entryPoints: ['src/index.ts'],
    bundle: true,
    platform: 'browser',
    format,
    packages,
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [recordBuiltins(builtinImports)],
  }).then((r) => ({ ...r, builtinImports }));
  return result;
}

let bundled: { metafile: Metafile; builtinImports: string[]; text: string };

beforeAll(async () => {
  const r = await bundleForBrowser('esm', 'bundle');
  bundled = { metafile: r.metafile, builtinImports: r.builtinImports, text: r.outputFiles[0]!.text };
}, 60_000);

test('bundling deepgram-rx for the browser imports no Node built-in module', () => {
  expect(bundled.builtinImports).toEqual([]);
  expect(Object.keys(bundled.metafile.inputs).filter((input) => builtins.has(input))).toEqual([]);
});

test('bundling deepgram-rx for the browser pulls in nothing from the ws package', () => {
  expect(
    Object.keys(bundled.metafile.inputs).filter((input) => /(^|\/)node_modules\/ws\//.test(input)),
  ).toEqual([]);
});

test('bundling deepgram-rx for the browser pulls in one copy of fp-ts, the ES modules io-ts uses', () => {
  const inputs = Object.keys(bundled.metafile.inputs);
  expect(inputs.some((input) => input.includes('node_modules/fp-ts/es6/'))).toBe(true);
  expect(inputs.filter((input) => input.includes('node_modules/fp-ts/lib/'))).toEqual([]);
});

test('bundling deepgram-rx for the browser pulls in none of the Node-only sources', () => {
  const inputs = Object.keys(bundled.metafile.inputs);
  expect(inputs).toContain('src/protocol/frames.ts'); // the check below looks at the right paths
  expect(inputs.filter((input) => nodeOnlySources.test(input))).toEqual([]);
});

test('the browser bundle holds the browser path: transcribe, fromMicrophone and its worklet processor', () => {
  expect(Object.keys(bundled.metafile.inputs)).toEqual(
    expect.arrayContaining([
      'src/session/transcribe.ts',
      'src/audio/fromMicrophone.ts',
      'src/socket/nativeWebSocket.ts',
    ]),
  );
  expect(bundled.text).toContain('registerProcessor(');
});

test.each(['esm', 'cjs'] as const)(
  'with dependencies external (as the published %s build), the output never imports ws or node:',
  async (format) => {
    const r = await bundleForBrowser(format, 'external');
    const text = r.outputFiles[0]!.text;
    expect(text).not.toMatch(/require\(["']ws["']\)/);
    expect(text).not.toMatch(/from\s*["']ws["']/);
    expect(text).not.toMatch(/(require\(|from\s*|import\()["']node:/);
    expect(r.builtinImports).toEqual([]);
  },
  60_000,
);

test('the Node entry point does reach ws (so the checks above would catch it)', async () => {
  const r = await build({
    absWorkingDir: root,
    entryPoints: ['src/node.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    write: false,
    logLevel: 'silent',
  });
  expect(r.outputFiles[0]!.text).toMatch(/require\(["']ws["']\)/);
}, 60_000);
