'use strict';
// Loads the native uWebSockets.js addon for this platform/ABI out of the npm package `uws-pack`,
// which repacks upstream's GitHub-only binaries. Throws a clear error when no binary matches
// (the server then falls back to the `ws` transport).
const fs = require('node:fs');
const path = require('node:path');

const binaryName = `uws_${process.platform}_${process.arch}_${process.versions.modules}.node`;

function findBinary() {
  for (const dir of module.paths) {
    const candidate = path.join(dir, 'uws-pack', 'dist', 'bin', binaryName);
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

const binaryPath = findBinary();
if (!binaryPath) {
  throw new Error(
    `uWebSockets.js: no native binary ${binaryName} in uws-pack for Node ${process.version}. ` +
      'Use Node 18-22, or set TRANSPORT=ws.',
  );
}
module.exports = require(binaryPath);
