// ESLint flat config: TypeScript rules everywhere, plus the architecture's import boundaries.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { PURE_PARTS, importBoundaries } from './scripts/lint/import-boundaries.mjs';

const pureCore = PURE_PARTS.map((part) => `src/${part}/**`);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', '.vscode-test/**', 'out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // The architecture's import table (docs/architecture.md): each part imports only what its row names.
    files: ['src/**/*.ts', 'webview/**/*.ts'],
    plugins: { architecture: { rules: { 'import-boundaries': importBoundaries } } },
    rules: { 'architecture/import-boundaries': 'error' },
  },
  {
    // The pure core never touches the editor API: it runs in the CLI, in tests and in plain Node.
    files: pureCore,
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'The pure core must not import vscode.' }] },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
