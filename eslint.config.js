// ESLint flat config: typescript-eslint (type-aware) + eslint-plugin-rxjs-x, Prettier for formatting.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import rxjsX from 'eslint-plugin-rxjs-x';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: ['dist/**', 'coverage/**', 'node_modules/**', 'test-output/**', 'examples/**/dist/**', '*.cjs'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ...rxjsX.configs.recommended,
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'rxjs-x/no-ignored-subscription': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      // A class field declared without a value is first defined as `undefined` (ES2022 class
      // fields); V8 then keeps every number later stored in it as a separate heap object. On a
      // per-chunk field that is garbage which outlives the young-generation GC (docs/benchmarks.md).
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'PropertyDefinition[readonly!=true][value=null][declare!=true] > TSTypeAnnotation > TSNumberKeyword',
          message:
            'Give a mutable number field a number where it is declared (e.g. `= 0`): declared without one it starts as undefined and every number stored in it is allocated.',
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  prettier,
);
