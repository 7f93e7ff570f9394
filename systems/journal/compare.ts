/** A viewer's constellation against a shared one: overlap, each one's own, similarity, five artists the viewer lacks. */
import { z } from 'zod';
import { round } from '../numbers.js';

export const shareComparisonSchema = z
  .object({
    isLoggedIn: z.literal(true),
    overlapCount: z.number().int(),
    /** In the share's order. */
    overlap: z.array(z.string()),
    uniqueToSharedCount: z.number().int(),
    uniqueToViewerCount: z.number().int(),
    /** overlap / max(shared, viewer), two decimals; 0 when both are empty. */
    similarityScore: z.number(),
    recommendations: z.array(z.object({ artistId: z.string(), artist: z.string(), reason: z.string() })),
  })
  .meta({ title: 'ShareComparison' });
type ShareComparison = z.infer<typeof shareComparisonSchema>;

/** `shared` in capture order. */
export function compareConstellations(shared: ReadonlyArray<{ artistId: string; name: string }>, viewer: readonly string[]): ShareComparison {
  const mine = new Set(viewer);
  const theirs = new Set(shared.map((s) => s.artistId));
  const overlap = shared.filter((s) => mine.has(s.artistId));
  const uniqueToShared = shared.filter((s) => !mine.has(s.artistId));
  const largest = Math.max(theirs.size, mine.size);
  return {
    isLoggedIn: true,
    overlapCount: overlap.length,
    overlap: overlap.map((s) => s.artistId),
    uniqueToSharedCount: uniqueToShared.length,
    uniqueToViewerCount: [...mine].filter((id) => !theirs.has(id)).length,
    similarityScore: largest ? round(overlap.length / largest, 2) : 0,
    recommendations: uniqueToShared.slice(0, 5).map((s) => ({ artistId: s.artistId, artist: s.name, reason: 'In shared constellation but not yours' })),
  };
}
