/**
 * `npm run build`: the server as plain JavaScript for production (the Dockerfile's runtime runs it
 * with `node`, without tsx or dev dependencies). tsc emits src/ and the floors it imports into build/
 * with the source tree's layout, and the non-TypeScript files the server reads are copied beside them,
 * so every path the code resolves from its own location holds in build/ as in the checkout.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, 'build');
/** Files the server reads at run time, relative to the root. */
const ASSETS = ['persistence/influence/dataset.json', 'persistence/catalog/demoArtists.json'];

fs.rmSync(OUT, { recursive: true, force: true });
execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
for (const asset of ASSETS) fs.cpSync(path.join(ROOT, asset), path.join(OUT, asset));
// The page bundles when they were built (`npm run build:web`); without them the pages answer 503 naming that command.
if (fs.existsSync(path.join(ROOT, 'web/dist'))) fs.cpSync(path.join(ROOT, 'web/dist'), path.join(OUT, 'web/dist'), { recursive: true });
process.stdout.write(`server built into ${path.relative(process.cwd(), OUT) || '.'}/ (run: node build/src/main.js)\n`);
