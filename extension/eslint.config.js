// ESLint flat config for the extension. The browser code is plain scripts (content scripts cannot be modules);
// the unit tests are CommonJS under node. No code may write HTML: innerHTML and its kin are forbidden.
'use strict';

const js = require('@eslint/js');
const globals = require('globals');

const noHtml = [
  { property: 'innerHTML', message: 'Set text with textContent; build elements with createElement.' },
  { property: 'outerHTML', message: 'Set text with textContent; build elements with createElement.' },
  { property: 'insertAdjacentHTML', message: 'Set text with textContent; build elements with createElement.' },
  { object: 'document', property: 'write', message: 'Never write HTML into a document.' },
];

module.exports = [
  { ignores: ['node_modules/**', 'dist/**'] },
  js.configs.recommended,
  {
    files: ['src/**/*.js', 'options.js', 'result.js'],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'script',
      globals: { ...globals.browser, ...globals.serviceworker, chrome: 'readonly', module: 'writable', require: 'readonly' },
    },
    rules: {
      'no-restricted-properties': ['error', ...noHtml],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      'no-unused-vars': ['error', { caughtErrors: 'none' }],
    },
  },
  {
    files: ['test/**/*.js', 'eslint.config.js', 'scripts/**/*.js'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'commonjs', globals: { ...globals.node } },
  },
];
