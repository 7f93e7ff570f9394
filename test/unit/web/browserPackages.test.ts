import assert from 'node:assert/strict';
import { assertBrowserPackages } from '../../../scripts/build-web.js';

const input = (...imports: string[]) => ({ bytes: 1, imports: imports.map((path) => ({ path, kind: 'import-statement' as const })) });

describe('web build: packages a page may bundle', () => {
  it('refuses a shared systems/ file that brings zod into a page, naming the file', () => {
    const inputs = { 'systems/constellation/constellation.ts': input('node_modules/zod/index.js') };
    assert.throws(() => assertBrowserPackages({ inputs }), /systems\/constellation\/constellation\.ts brings zod into a web page/);
  });

  it('refuses scoped server packages too', () => {
    const inputs = { 'web/src/ops/main.ts': input('node_modules/@mikro-orm/core/index.js') };
    assert.throws(() => assertBrowserPackages({ inputs }), /brings @mikro-orm\/core/);
  });

  it('takes the kept browser packages, with whatever they import themselves', () => {
    const inputs = {
      'web/src/play/main.ts': input('node_modules/@colyseus/sdk/build/index.mjs', 'systems/constellation/constellation.ts'),
      'node_modules/@colyseus/sdk/build/index.mjs': input('node_modules/ws/browser.js'),
      'node_modules/qrcode/lib/browser.js': input('node_modules/dijkstrajs/dijkstra.js'),
    };
    assert.doesNotThrow(() => assertBrowserPackages({ inputs }));
  });
});
