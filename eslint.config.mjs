// ESLint (flat config) with typescript-eslint's type-aware recommended rules: `npm run lint`, run by
// `npm test`'s pretest with no warnings allowed. Fix what it finds; a disable needs its reason inline.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'src/generated/', 'web/dist/', 'web/src/api/schema.d.ts', 'coverage/', '.data/', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
);
