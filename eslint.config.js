// One lint setup for every workspace: typescript-eslint's recommended rules plus the few
// conventions from CONVENTIONS.md that a machine can check.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/generated/**', '.data/**', '**/.next/**', 'portal/**'],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'error',
      // named exports only (CONVENTIONS.md); Next.js pages are excepted in portal/
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
      ],
    },
  },
  {
    // tool entry points whose API requires a default export
    files: ['**/*.config.ts', '**/summaryReporter.ts', '**/globalSetup.ts', 'eslint.config.js'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
