import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'clients/', '.data/', 'vendor/', 'artifacts/', 'web/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'warn',
    },
  },
  {
    // Server code logs through pino only.
    files: ['src/**/*.ts', 'rooms/**/*.ts', 'systems/**/*.ts', 'persistence/**/*.ts', 'schema/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // systems/ is pure: no framework, storage or clock imports.
    files: ['systems/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@colyseus/*', 'ioredis', '@mikro-orm/*', 'pino', '../src/*', '../rooms/*', '../persistence/*'] }],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now' }, { object: 'performance', property: 'now' }],
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'systems/ must not read the clock: pass time in.' }],
    },
  },
);
