#!/usr/bin/env node
// Runs the browser example (examples/browser, or examples/angular with --angular) on loopback:
// `node scripts/browser-example.mjs [--angular]`.
// The dev server and the emulator are TypeScript sources: esbuild bundles them for Node first
// (into node_modules/.cache), then they run. See docs/browser.md.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outfile = join(root, 'node_modules/.cache/deepgram-rx/browser-example.cjs');
await build({
  absWorkingDir: root,
  entryPoints: [join(root, 'scripts/browserExampleCli.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  outfile,
  logLevel: 'warning',
});
const { main } = createRequire(import.meta.url)(outfile);
await main(process.argv.slice(2), root);
