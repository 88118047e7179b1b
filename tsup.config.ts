import { defineConfig } from 'tsup';

// Dual ESM (.js) + CJS (.cjs) build with declarations for each entry point. Dependencies stay
// external, so `ws` is only reached through `deepgram-rx/node`.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    node: 'src/node.ts',
    testing: 'src/testing.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  splitting: true,
  treeshake: true,
});
