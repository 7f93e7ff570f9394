/** A stored DNA profile row as the mirroring and the history read it. */
import type { DynamicDna } from '../../systems/mediaid/dna.js';

export interface StoredProfile {
  user_id: string;
  dims: number;
  /** The four domains concatenated (cultural, behavioral, economic, spatial), comma-separated: parsed faster than four arrays. */
  v: string;
  ref_ms: number;
  signals: string | number;
  through_id: string;
}

/** A stored row as a DynamicDna, or null when it is empty or was built with other dimensions (DNA_DIMS changed). */
export function dynamicOf(row: StoredProfile | undefined, dims: number): DynamicDna | null {
  if (!row || Number(row.dims) !== dims || Number(row.signals) === 0) return null;
  const flat = row.v.split(',').map(Number);
  if (flat.length !== 4 * dims) return null;
  const part = (i: number) => flat.slice(i * dims, (i + 1) * dims);
  return { vectors: { cultural: part(0), behavioral: part(1), economic: part(2), spatial: part(3) }, refMs: Number(row.ref_ms), signals: Number(row.signals) };
}
