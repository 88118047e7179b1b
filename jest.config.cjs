/** Jest runs the TypeScript sources through SWC (no type checking: `npm run typecheck` does that). */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleNameMapper: {
    '^deepgram-rx$': '<rootDir>/src/index.ts',
    '^deepgram-rx/node$': '<rootDir>/src/node.ts',
    '^deepgram-rx/testing$': '<rootDir>/src/testing.ts',
  },
  testTimeout: 30000,
};
