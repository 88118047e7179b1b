/**
 * Jest runs the TypeScript sources through SWC (no type checking: `npm run typecheck` does that).
 * Angular ships ES modules only (.mjs), so @angular is transformed too; the Angular example's
 * `@Injectable` is compiled as a legacy decorator and resolved by Angular's JIT compiler.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: false },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
    '^.+\\.mjs$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!@angular/)'],
  moduleNameMapper: {
    '^deepgram-rx$': '<rootDir>/src/index.ts',
    '^deepgram-rx/node$': '<rootDir>/src/node.ts',
    '^deepgram-rx/testing$': '<rootDir>/src/testing.ts',
  },
  testTimeout: 30000,
};
