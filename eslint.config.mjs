// ESLint (flat config): typescript-eslint's recommended rules, without type information (type-aware linting
// would re-run the compiler on every file; `npm run typecheck` already does that). Layer boundaries and import
// cycles are dependency-cruiser's job (.dependency-cruiser.cjs); formatting is Prettier's (.prettierrc.json).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.cache/**', 'test-results/**', 'bench/tmp/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // require() only where loading must be lazy (so activation and histogram runs never load onnxruntime): the
      // packages esbuild leaves external, the TimeSformer embedder; and happy-dom (ESM-only) from CommonJS tests.
      '@typescript-eslint/no-require-imports': [
        'error',
        {
          allow: [
            '^onnxruntime-node$',
            '^@ffmpeg-installer/ffmpeg$',
            '(^\\.|/embed)/timesformer$',
            '^happy-dom$',
          ],
        },
      ],
      // `_`-prefixed names are deliberately unused (positional parameters, destructuring rests).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  // Node code: the pipeline, the CLI, the extension, tests, benches and the build scripts.
  {
    files: ['src/**', 'test/**', 'bench/**', 'scripts/**', '*.mjs', '*.cjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  // Notebook renderers run in the webview (browser).
  { files: ['webview/**'], languageOptions: { globals: { ...globals.browser } } },
  // Renderer DOM checks (in Chromium, through playwright) and the in-host suite's page scripts.
  {
    files: ['test/host/**', 'test/unit/webview/**'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
