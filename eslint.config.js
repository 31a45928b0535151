// Lint: typescript-eslint's type-checked rules over src, test, bench and examples.
// Formatting is Prettier's job (`npm run format`), so no stylistic rules here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test/fixtures/**/*.js', 'src/ui/static/**', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's test() and describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
              package: 'node:test',
            },
          ],
        },
      ],
      // Escaping and stripping terminal control characters is what several modules are for.
      'no-control-regex': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // The level methods pass themselves to Error.captureStackTrace as the frame to cut at: identities, never called.
    files: ['src/core/logger.ts', 'src/core/child.ts', 'bench/caller-cost.ts'],
    rules: { '@typescript-eslint/unbound-method': 'off' },
  },
  {
    // Walking a parent chain starts from `this`; nothing here uses `self = this` in place of an arrow function.
    files: ['src/core/logger.ts'],
    rules: { '@typescript-eslint/no-this-alias': 'off' },
  },
  {
    // Plain JavaScript (the bin shim, scripts, a parity driver) is outside the TypeScript project.
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly' },
    },
  },
);
