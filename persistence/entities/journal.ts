import { defineEntity, p, type InferEntity } from '@mikro-orm/postgresql';

/** What a share freezes: stars and lines as they were; artist data is re-read on view. */
export interface ShareSnapshot {
  stars: Array<{ id: string; artistId: string; artistName: string; position: { x: number; y: number; z: number }; capturedAt: string }>;
  connections: Array<{ from: string; to: string; strength: number; type: 'discovery_path' | 'genre_similarity' }>;
}

/** A shared constellation (migration 009): public by its unguessable id until `expiresAt`. */
export const ConstellationShare = defineEntity({
  name: 'ConstellationShare',
  tableName: 'constellation_shares',
  properties: {
    id: p.text().primary(),
    userId: p.uuid(),
    shareType: p.text(),
    message: p.text().nullable(),
    snapshot: p.json<ShareSnapshot>(),
    starCount: p.integer(),
    views: p.integer().default(0),
    createdAt: p.datetime(),
    expiresAt: p.datetime(),
    lastViewedAt: p.datetime().nullable(),
  },
});
export type ConstellationShare = InferEntity<typeof ConstellationShare>;
