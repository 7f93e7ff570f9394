import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import house from './eslint.house.js';

/** Top-level folders ("floors"); README "Layout" draws which may import which. */
const FLOORS = ['contract', 'src', 'rooms', 'features', 'schema', 'systems', 'persistence', 'loadtest', 'bench', 'scripts', 'test'];

/** Relative imports of floor `name` from any depth: `../name`, `../name/**`, `../../name/**`, … */
const pathsOf = (name) => ['', '../', '../../', '../../../'].flatMap((up) => [`${up}../${name}`, `${up}../${name}/**`]);

/**
 * One floor's import rules. `forbidden`: floors it must not import at all; `typesOnly`: floors it may
 * import only with `import type`; `packages`: extra restricted patterns (package names or `regex`).
 * Dynamic `import()` is checked too: no-restricted-imports does not see it.
 */
function floor(name, { forbidden = [], typesOnly = [], packages = [], extraSyntax = [] }) {
  const why = (f) => `${name}/ must not import ${f}/ (README "Layout")`;
  const patterns = [
    ...forbidden.map((f) => ({ group: pathsOf(f), message: why(f) })),
    ...typesOnly.map((f) => ({ group: pathsOf(f), allowTypeImports: true, message: `${name}/ may import ${f}/ only with \`import type\` (README "Layout")` })),
    ...packages,
  ];
  const dynamic = forbidden.length
    ? [{ selector: `ImportExpression[source.value=/^(\\.\\.\\/)+(${forbidden.join('|')})(\\/|$)/]`, message: `${name}/ must not import ${forbidden.join(', ')} at run time (README "Layout")` }]
    : [];
  return {
    files: [`${name}/**/*.ts`, `${name}/**/*.mjs`],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
      'no-restricted-syntax': ['error', ...dynamic, ...extraSyntax],
    },
  };
}

const others = (...allowed) => FLOORS.filter((f) => !allowed.includes(f));
const SRC_FORBIDDEN = ['contract', 'loadtest', 'bench', 'scripts', 'test'];
const ROOMS_FORBIDDEN = ['contract', 'src', 'loadtest', 'bench', 'scripts', 'test'];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'build/', '.test-build/', 'clients/', '.data/', 'vendor/', 'artifacts/', 'web/dist/'] },
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
    // Defaults are declared once, in src/config (README "Configuration"): no numeric fallbacks in server code.
    files: ['src/**/*.ts', 'rooms/**/*.ts', 'features/**/*.ts', 'systems/**/*.ts', 'persistence/**/*.ts', 'schema/**/*.ts'],
    ignores: ['src/config/**'],
    plugins: { house },
    rules: { 'house/no-numeric-fallback': 'error' },
  },
  {
    // Server code logs through pino only.
    files: ['src/**/*.ts', 'rooms/**/*.ts', 'features/**/*.ts', 'systems/**/*.ts', 'persistence/**/*.ts', 'schema/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  // The client contract's registry (read by codegen): every server floor's schemas; never tools or tests.
  floor('contract', { forbidden: ['loadtest', 'bench', 'scripts', 'test'] }),
  // Wiring: builds everything, so it may import every server floor; never tools or tests.
  floor('src', { forbidden: SRC_FORBIDDEN }),
  // The HTTP edge parses, calls a feature and answers: features/ is its only road to persistence/ (types pass).
  floor('src/http', { forbidden: SRC_FORBIDDEN, typesOnly: ['persistence'] }),
  // Thin rooms: features, systems and schema; persistence only as types (services are handed in by src/).
  floor('rooms', { forbidden: ROOMS_FORBIDDEN, typesOnly: ['persistence'] }),
  // What the product does, from systems and persistence: no room classes, no HTTP.
  floor('features', {
    forbidden: others('features', 'systems', 'persistence'),
    packages: [{ group: ['@colyseus/*', 'express', 'uwebsockets-express', 'uWebSockets.js', 'node:http', 'node:https'], message: 'features/ holds no Colyseus rooms and no HTTP: rooms/ and src/ call it' }],
  }),
  // State classes for the wire: nothing of ours.
  floor('schema', { forbidden: others('schema') }),
  // Pure: other systems, gl-matrix and zod (the payload schemas are the contract's single source); no clock.
  floor('systems', {
    forbidden: others('systems'),
    packages: [{ regex: '^(?!\\.{1,2}/|gl-matrix$|zod$)', message: 'systems/ is pure: it imports only systems/, gl-matrix and zod' }],
    extraSyntax: [{ selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'systems/ must not read the clock: pass time in.' }],
  }),
  { files: ['systems/**/*.ts'], rules: { 'no-restricted-properties': ['error', { object: 'Date', property: 'now' }, { object: 'performance', property: 'now' }] } },
  // Adapters: may use systems' types and pure helpers, never the floors that compose them.
  floor('persistence', { forbidden: others('persistence', 'systems') }),
  // The load test is a client: it talks to the server over the network only.
  floor('loadtest', { forbidden: others('loadtest') }),
  // Benchmarks measure the server's parts directly, share the load-test harness, never tests or wiring.
  floor('bench', { forbidden: ['src', 'scripts', 'test'] }),
  // Tools (codegen, web build, catalog synth): persistence and schema directly, never tests or wiring.
  floor('scripts', { forbidden: ['src', 'loadtest', 'bench', 'test'] }),
  // The pages: the server's answers as the generated contract types them (clients/), and systems/' pure rules shared with the server.
  floor('web', { forbidden: others('systems') }),
);
