import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/** Infrastructure: shared by every domain, so it never reaches into one (issue 9). */
const INFRASTRUCTURE = [
  './src/lib',
  './src/middleware',
  './src/imaging',
  './src/config',
  './src/models',
  './src/auth',
  // The job runtime and its processors (adapters); domain use cases are wired into the registry
  // by the worker's composition root, src/job-processors.ts.
  './src/jobs',
];

export default tseslint.config(
  {
    // scripts/mongo-standin is its own workspace package, linted by its own config.
    ignores: [
      'dist/**',
      'coverage/**',
      'node_modules/**',
      'uploads/**',
      'scripts/mongo-standin/**',
      '*.js',
      '*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'off',
    },
  },
  {
    files: ['src/**/*.ts', 'scripts/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      // Without the TypeScript extensions and parser, import-x skips .ts modules and sees no cycle.
      'import-x/extensions': ['.ts'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      // Runtime cycles; type-only imports are erased and are left to the architecture rules below.
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: INFRASTRUCTURE,
              from: './src/modules',
              message: 'Infrastructure must not import a domain module; inject what it needs.',
            },
            {
              target: './src/!(server|app).ts',
              from: './src/app.ts',
              message: 'Only the entry point builds the app; take what you need from AppContext.',
            },
            {
              target: [
                './src/modules',
                './src/lib',
                './src/middleware',
                './src/jobs',
                './src/imaging',
                './src/auth',
                './src/models',
                './src/config',
              ],
              from: './src/app.ts',
              message: 'Only the entry point builds the app; take what you need from AppContext.',
            },
            {
              target: './src/imaging',
              from: './src/lib/errors.ts',
              message:
                'imaging throws its own errors (imaging-errors.ts); the HTTP layer maps them.',
            },
          ],
        },
      ],
    },
  },
);
