/**
 * Stations listeners reach but do little at: fewer than {@link BOTTLENECK_INTERACTIONS_PER_VISIT} interactions
 * (orb taps there plus captures of the artist) per visit. Under {@link BOTTLENECK_MIN_VISITS} visits a station
 * is not judged: two visits and no tap is not a finding.
 */
import { round } from '../numbers.js';

export const BOTTLENECK_INTERACTIONS_PER_VISIT = 0.5;
export const BOTTLENECK_MIN_VISITS = 5;

export interface StationEngagementRow {
  id: string;
  name: string | null;
  visits: number;
  orbTaps: number;
  captures: number;
}

/** `avg_interactions`: (orb taps + captures) / visits, two decimals. */
export function bottleneckStations(rows: readonly StationEngagementRow[], limit: number) {
  return rows
    .filter((r) => r.visits >= BOTTLENECK_MIN_VISITS)
    .map((r) => ({ ...r, avg_interactions: round((r.orbTaps + r.captures) / r.visits, 2) }))
    .filter((r) => r.avg_interactions < BOTTLENECK_INTERACTIONS_PER_VISIT)
    .sort((a, b) => b.visits - a.visits || a.id.localeCompare(b.id))
    .slice(0, limit);
}
export type Bottleneck = ReturnType<typeof bottleneckStations>[number];
