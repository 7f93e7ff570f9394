/**
 * DNA evolution as DIA shows it (seed 002 "DNA evolution tracking over time"), pure: each snapshot of a user's
 * mirrored DNA with its strength per domain (the length of the domain's vector as it stood then) and how far it
 * moved since the snapshot before — per domain 1 − cosine of the two directions (0 = same taste, 1 = unrelated,
 * up to 2 = opposite), null where either side is empty — plus the signals mirrored in between.
 */
import { cosine, DNA_DOMAINS, norm, type DnaDomain, type DynamicDna } from './dna.js';

export interface DnaSnapshot {
  id: string;
  takenAt: number;
  trigger: 'recompute' | 'mirroring';
  dna: DynamicDna;
}

export interface TimelineEntry {
  id: string;
  takenAt: string;
  trigger: 'recompute' | 'mirroring';
  /** When the mirrored vectors stood (their reference time): the newest event in them. */
  asOf: string;
  signals: number;
  /** Signals mirrored since the previous snapshot (null for the oldest shown). */
  newSignals: number | null;
  strength: Record<DnaDomain, number>;
  drift: Record<DnaDomain, number | null> | null;
}

const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;

/** The timeline, newest first, from snapshots in any order. */
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
      strength: Object.fromEntries(DNA_DOMAINS.map((d) => [d, r4(norm(v[d]))])) as Record<DnaDomain, number>,
      drift: before
        ? (Object.fromEntries(
            DNA_DOMAINS.map((d) => [d, norm(v[d]) > 0 && norm(before.vectors[d]) > 0 ? r4(1 - cosine(v[d], before.vectors[d])) : null]),
          ) as Record<DnaDomain, number | null>)
        : null,
    };
  });
  return out.reverse();
}
