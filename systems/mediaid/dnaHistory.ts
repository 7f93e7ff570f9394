/**
 * DNA evolution: each snapshot's strength per domain and how far it moved since the one before (1 − cosine: 0 same
 * taste, 1 unrelated, 2 opposite; null where either is empty), plus the signals mirrored in between.
 */
import { z } from 'zod';
import { cosine, norm, perDomain, type DynamicDna } from './dna.js';
import { round } from '../numbers.js';

export interface DnaSnapshot {
  id: string;
  takenAt: number;
  trigger: 'recompute' | 'mirroring';
  dna: DynamicDna;
}

const byDomain = <T extends z.ZodType>(t: T) => z.object({ cultural: t, behavioral: t, economic: t, spatial: t });
export const timelineEntrySchema = z.object({
  id: z.string(),
  takenAt: z.string(),
  trigger: z.enum(['recompute', 'mirroring']),
  // The newest event in the mirrored vectors.
  asOf: z.string(),
  signals: z.number(),
  // null for the oldest shown.
  newSignals: z.number().nullable(),
  strength: byDomain(z.number()),
  drift: byDomain(z.number().nullable()).nullable(),
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

/** Newest first, from snapshots in any order. */
export function dnaTimeline(snapshots: readonly DnaSnapshot[]): TimelineEntry[] {
  const oldestFirst = [...snapshots].sort((a, b) => a.takenAt - b.takenAt || Number(a.id) - Number(b.id));
  const out = oldestFirst.map((s, i): TimelineEntry => {
    const before = i > 0 ? oldestFirst[i - 1]!.dna : null;
    const v = s.dna.vectors;
    return {
      id: s.id,
      takenAt: new Date(s.takenAt).toISOString(),
      trigger: s.trigger,
      asOf: new Date(s.dna.refMs).toISOString(),
      signals: s.dna.signals,
      newSignals: before ? s.dna.signals - before.signals : null,
      strength: perDomain((d) => round(norm(v[d]), 4)),
      drift: before ? perDomain((d) => (norm(v[d]) > 0 && norm(before.vectors[d]) > 0 ? round(1 - cosine(v[d], before.vectors[d]), 4) : null)) : null,
    };
  });
  return out.reverse();
}
