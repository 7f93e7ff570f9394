import { defineEntity, p, type InferEntity } from '@mikro-orm/postgresql';

/** One artist in a user's current recommendations (migration 010); `firstRecommendedAt` tells what is new. */
export const UserRecommendation = defineEntity({
  name: 'UserRecommendation',
  tableName: 'user_recommendations',
  properties: {
    userId: p.uuid().primary(),
    artistId: p.text().primary(),
    score: p.double().$type<number>(),
    reason: p.text(),
    firstRecommendedAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export type UserRecommendation = InferEntity<typeof UserRecommendation>;
