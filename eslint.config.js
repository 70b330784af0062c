// Lint that keeps the shape: type-checked TypeScript rules, Lit's and its accessibility
// rules, the one-way dependency direction between the folders of src/ (see README,
// "Layout"), and no import cycles. `npm test` runs it first, with zero warnings allowed.
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import lit from 'eslint-plugin-lit';
import litA11y from 'eslint-plugin-lit-a11y';
import tseslint from 'typescript-eslint';

/**
 * Who may import whom. Lower folders know nothing of the higher ones, so `geo/`, `crs/`,
 * `analysis/` and `data/` run in Node and in workers unchanged; `map/` and `ui/` reach the
 * rest only through `app/`.
 */
const LAYERS = {
  geo: [],
  crs: ['geo'],
  analysis: ['crs', 'geo'],
  data: ['analysis', 'crs', 'geo'],
  app: ['data', 'analysis', 'crs', 'geo'],
  map: ['app', 'geo'],
  ui: ['app', 'geo'],
  // The composition root (main.ts) and the debug handle put everything together.
  root: ['app', 'data', 'analysis', 'crs', 'geo', 'map', 'ui'],
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.cache/', 'data/', 'test-results/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // `void promise` marks a promise deliberately not awaited (an event handler's job).
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      // An async function that does not await still returns a promise, as the interfaces it
      // implements (a fake storage, a loader) ask for.
      '@typescript-eslint/require-await': 'off',
      eqeqeq: ['error', 'always'],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // Tests may reach across folders for fixtures; the code they test may not.
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts', 'src/**/test/**'],
    plugins: { boundaries, 'import-x': importX },
    settings: {
      'boundaries/elements': [
        ...Object.keys(LAYERS).filter((k) => k !== 'root').map((type) => ({ type, pattern: `src/${type}` })),
        // Last: the files directly in src/ (main.ts, debug-handle.ts); the folders above match first.
        { type: 'root', pattern: 'src' },
      ],
      'boundaries/include': ['src/**/*.ts'],
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.mjs'] })],
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      'boundaries/dependencies': ['error', {
        default: 'disallow',
        policies: Object.entries(LAYERS).map(([from, allow]) => ({
          from: { element: { type: from } },
          allow: { to: { element: { types: { anyOf: [from, ...allow] } } } },
        })),
      }],
      'boundaries/no-unknown-files': 'error',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: ['src/ui/**/*.ts'],
    ...lit.configs['flat/recommended'],
  },
  {
    files: ['src/ui/**/*.ts'],
    ...litA11y.configs.recommended,
  },
  {
    // Tests and scripts print what they measured.
    files: ['scripts/**/*.ts', 'test/**/*.ts', '**/*.test.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
