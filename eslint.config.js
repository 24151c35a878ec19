// One lint setup for every workspace: typescript-eslint's recommended rules plus the few
// conventions from CONVENTIONS.md that a machine can check.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/generated/**',
      '.data/**',
      '**/.next/**',
      'portal/next-env.d.ts',
      'test-results/**',
    ],
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
  {
    // Next.js finds pages, layouts and route boundaries by their default export
    files: [
      'portal/src/app/**/page.tsx',
      'portal/src/app/**/layout.tsx',
      'portal/src/app/**/not-found.tsx',
      'portal/src/app/**/error.tsx',
      'portal/src/app/**/global-error.tsx',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
