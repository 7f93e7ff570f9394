/** Reference documents generated from the server's own declarations (written by `npm run codegen`, checked in CI). */
import { renderConfigReference } from '../src/config/reference.js';

/** Files relative to the repository root, each with its generator. */
export const REFERENCE_FILES: ReadonlyArray<{ file: string; make: () => string }> = [{ file: 'docs/CONFIG.md', make: renderConfigReference }];
