import { defineConfig } from 'tsup';

// Two builds:
// - the library: dual ESM (.js) + CJS (.cjs) with declarations for each entry point; dependencies
//   stay external, so `ws` is only reached through `deepgram-rx/node` and through `index.node`,
//   what Node loads for `deepgram-rx` (the `node` export condition: ws as the default transport);
// - the CLI (`bin: deepgram-rx`): one ESM file for Node, keeping main.ts's shebang.
// The library's clean step spares the CLI output because both builds run in parallel.
export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      'index.node': 'src/index.node.ts',
      node: 'src/node.ts',
      testing: 'src/testing.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: ['!cli.js', '!cli.js.map'],
    target: 'es2022',
    platform: 'neutral',
    splitting: true,
    treeshake: true,
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    dts: false,
    sourcemap: true,
    clean: false,
    splitting: false,
    treeshake: true,
  },
]);
