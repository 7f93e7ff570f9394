import type { StoredDna } from '../../persistence/mediaid/DnaRepository.js';
import type { MediaIdRecord } from '../../persistence/mediaid/MediaIdStore.js';
import { basesOf, DNA_DOMAINS, norm, profileEmbedding, type DnaSettings } from '../../systems/mediaid/dna.js';

/** 4 decimals: DNA numbers are similarities and weights, the JSON stays short. */
export const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;

/** The DNA as the owner and DIA see it: bases, then each domain's embedding now, with its strength. */
export function dnaView(record: MediaIdRecord, stored: StoredDna | null, s: DnaSettings & { halfLifeDays: number }, nowMs: number) {
  const embedding = profileEmbedding(record.inputs, stored?.dynamic ?? null, nowMs, s);
  const dynamic = stored?.dynamic ?? null;
  return {
    userId: record.userId,
    displayName: record.displayName,
    email: record.email,
    inputs: record.inputs,
    bases: basesOf(record.inputs),
    dna: {
      dims: s.dims,
      halfLifeDays: s.halfLifeDays,
      baseWeight: s.baseWeight,
      signals: dynamic?.signals ?? 0,
      mirroredThrough: dynamic ? new Date(dynamic.refMs).toISOString() : null,
      updatedAt: stored?.updatedAt ? new Date(stored.updatedAt).toISOString() : null,
      domains: Object.fromEntries(DNA_DOMAINS.map((d) => [d, { strength: r4(norm(embedding[d])), vector: embedding[d].map(r4) }])),
    },
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

export type DnaView = ReturnType<typeof dnaView>;
