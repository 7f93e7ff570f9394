/** Reference documents generated from the server's own declarations (written by `npm run codegen`, checked in CI). */
import path from 'node:path';
import { renderConfigReference } from './configReference.js';
import { PROTOCOL_FILE, renderProtocol } from './protocolTables.js';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Files relative to the repository root, each with its generator. */
export const REFERENCE_FILES: ReadonlyArray<{ file: string; make: () => string }> = [
  { file: 'docs/CONFIG.md', make: renderConfigReference },
  // Only the message tables between its markers are generated; the rest of the page is prose.
  { file: PROTOCOL_FILE, make: () => renderProtocol(ROOT) },
];
