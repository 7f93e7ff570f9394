/**
 * The EntityManager version of each named SQL hot path, written the way the rule would have it
 * (entities, `em.fork()`, `unitOfWork()` for writes that commit together), returning the same answer
 * as the SQL version so `npm run bench:orm` can check them against each other before timing them.
 */
import { randomUUID } from 'node:crypto';
import { LockMode, raw, type EntityManager } from '@mikro-orm/postgresql';
import { unitOfWork } from '../../persistence/db.js';
import type { Orm } from '../../persistence/orm.js';
import { Artist, InfluenceOrb } from '../../persistence/entities/catalog.js';
import { Session, User } from '../../persistence/entities/session.js';
import { UserRecommendation } from '../../persistence/entities/discovery.js';
import { UnknownUserError, type JoinedSession, type JoinRequest, type SessionCounters } from '../../persistence/session/SessionRepository.js';
import type { CaptureRequest } from '../../persistence/constellation/ConstellationRepository.js';
import type { ArtistRecord, StationListing, StationRecord } from '../../persistence/catalog/CatalogRepository.js';
import type { PassportEvent } from '../../systems/passport/events.js';
import { canResume, DEFAULT_STATION, welcomeMessage } from '../../systems/session/sessionRules.js';
import { ColiseumMetric, ConstellationConnection, ConstellationStar, PassportEntry, UserBadge } from './entities.js';
import { rollupFacts, type Fact } from './rollupFacts.js';

/** SessionRepository.join through entities: lock the user, pick the session, resume it or create one. */
export async function joinEm(orm: Orm, request: JoinRequest, nowMs: number): Promise<JoinedSession> {
  const now = new Date(nowMs);
  return unitOfWork(orm, async (em) => {
    const user = await em.findOne(User, { id: request.userId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!user) throw new UnknownUserError();
    const isFirstLaunch = user.firstLaunch;
    user.firstLaunch = false;
    user.lastSeenAt = now;
    const named = request.lastSessionId ? await em.findOne(Session, { id: request.lastSessionId, user: user.id }) : null;
    const last = named ?? (await em.findOne(Session, { user: user.id }, { orderBy: { lastActive: 'desc' } }));
    const lastActiveMs = last ? last.lastActive.getTime() : null;
    const timeAway = lastActiveMs === null ? null : nowMs - lastActiveMs;
    const sessions = await em.find(Session, { user: user.id }, { fields: ['sensorSeconds'] });
    const common = {
      userId: user.id,
      isFirstLaunch,
      city: user.city ?? null,
      lastActiveMs,
      seenParallaxTip: user.seenParallaxTip,
      userSensorSeconds: sessions.reduce((sum, x) => sum + x.sensorSeconds, 0),
    };
    if (last && canResume(last.lastActive.getTime(), nowMs)) {
      last.lastActive = now;
      last.endedAt = null;
      last.resumeCount += 1;
      return {
        ...common,
        sessionId: last.id,
        resumed: true,
        message: welcomeMessage(false, timeAway),
        frequency: last.currentFrequency,
        resumeCount: last.resumeCount,
      };
    }
    const frequency = last ? last.currentFrequency : DEFAULT_STATION;
    const session = em.create(Session, {
      id: randomUUID(),
      user,
      deviceId: request.deviceId,
      deviceModel: request.deviceModel ?? null,
      appVersion: request.appVersion ?? null,
      startedAt: now,
      lastActive: now,
      currentFrequency: frequency,
    });
    return { ...common, sessionId: session.id, resumed: false, message: welcomeMessage(isFirstLaunch, timeAway), frequency, resumeCount: 0 };
  });
}

/** What both capture versions answer, reduced to what the bench compares. */
export interface CaptureAnswer {
  status: 'captured' | 'already';
  totalStars: number;
  badgesAwarded: string[];
  connectionsAdded: number;
}

/** ConstellationRepository.capture through entities: the star, its lines and new badges in one unit of work. */
export async function captureEm(orm: Orm, r: CaptureRequest): Promise<CaptureAnswer> {
  const at = new Date(r.capturedAtMs ?? Date.now());
  return unitOfWork(orm, async (em) => {
    const before = await em.count(ConstellationStar, { userId: r.userId });
    if (await em.findOne(ConstellationStar, { userId: r.userId, artistId: r.artistId }, { fields: ['id'] }))
      return { status: 'already', totalStars: before, badgesAwarded: [], connectionsAdded: 0 };
    em.create(ConstellationStar, {
      userId: r.userId,
      artistId: r.artistId,
      ...r.position,
      capturedAt: at,
      discoveryPath: r.discoveryPath,
      sessionId: r.sessionId,
      opId: r.opId ?? null,
    });
    for (const c of r.connections)
      em.create(ConstellationConnection, {
        userId: r.userId,
        fromArtistId: c.from,
        toArtistId: c.to,
        strength: c.strength,
        connectionType: c.type,
        createdAt: at,
      });
    const wanted = [...new Set(r.badges)];
    const held = wanted.length ? new Set((await em.find(UserBadge, { userId: r.userId, badge: { $in: wanted } })).map((b) => b.badge)) : new Set<string>();
    const awarded = wanted.filter((b) => !held.has(b));
    for (const badge of awarded) em.create(UserBadge, { userId: r.userId, badge, earnedAt: at });
    return { status: 'captured', totalStars: before + 1, badgesAwarded: awarded, connectionsAdded: r.connections.length };
  });
}

/** CatalogRepository.stationAt through entities: artist with its scene, orbs with their targets, the two neighbours. */
export async function stationAtEm(orm: Orm, frequency: number): Promise<StationRecord | null> {
  const em = orm.em.fork();
  const artist = await em.findOne(Artist, { stationFrequency: frequency }, { populate: ['scene'] });
  if (!artist) return null;
  const orbs = await em.find(InfluenceOrb, { source: artist.id }, { populate: ['target'], orderBy: { orbitRadius: 'asc', id: 'asc' } });
  const scene = artist.scene;
  return {
    artist: artistRecord(artist),
    scene: {
      id: scene.id,
      name: scene.name,
      sceneType: scene.sceneType,
      videoUrls: { high: scene.videoUrlHigh, medium: scene.videoUrlMedium, low: scene.videoUrlLow },
      loopPoint: scene.loopPoint,
      particles: scene.particles,
      lighting: scene.lighting,
      ambientSound: scene.ambientSound ?? null,
      hapticPattern: scene.hapticPattern,
    },
    orbs: orbs.map((o) => {
      const t = o.target;
      return {
        id: o.id,
        sourceArtistId: artist.id,
        targetArtistId: t.id,
        targetName: t.name,
        targetFrequency: t.stationFrequency ?? null,
        targetGenres: t.genres,
        thumbnail: t.thumbnail,
        relationship: o.relationshipType,
        radius: o.orbitRadius,
        speed: o.orbitSpeed,
        startAngle: o.startAngle,
        inclination: o.inclination,
        size: o.size,
        glowColor: o.glowColor,
        influenceScore: o.influenceScore,
        description: o.description,
      };
    }),
    adjacent: { below: await neighbour(em, frequency, '$lt'), above: await neighbour(em, frequency, '$gt') },
  };
}

function artistRecord(a: Artist): ArtistRecord {
  return {
    id: a.id,
    name: a.name,
    frequency: a.stationFrequency ?? null,
    genres: a.genres,
    era: a.era,
    origin: a.origin,
    bio: a.bio,
    heroImage: a.heroImage,
    deepEtchedImage: a.deepEtchedImage,
    thumbnail: a.thumbnail,
    sceneId: a.scene.id,
  };
}

/** What a capture reads before its statement (CaptureFlow's artistById, planStar's genresOf and relationshipsTo), through entities. */
export async function planningReadsEm(
  orm: Orm,
  targetId: string,
  ids: string[],
): Promise<{ artist: ArtistRecord | null; genres: Map<string, string[]>; relations: Map<string, string> }> {
  const em = orm.em.fork();
  const artist = await em.findOne(Artist, { id: targetId });
  const genres = new Map((await em.find(Artist, { id: { $in: ids } }, { fields: ['id', 'genres'] })).map((a) => [a.id, a.genres]));
  const orbs = await em.find(InfluenceOrb, { target: targetId, source: { $in: ids } }, { fields: ['source', 'relationshipType'] });
  return { artist: artist ? artistRecord(artist) : null, genres, relations: new Map(orbs.map((o) => [o.source.id, o.relationshipType])) };
}

async function neighbour(em: EntityManager, frequency: number, op: '$lt' | '$gt'): Promise<StationListing | null> {
  const a = await em.findOne(
    Artist,
    { stationFrequency: { [op]: frequency } },
    { fields: ['id', 'stationFrequency'], orderBy: { stationFrequency: op === '$lt' ? 'desc' : 'asc' } },
  );
  return a ? { frequency: a.stationFrequency!, artistId: a.id } : null;
}

/** The passport batch through entities: one insertMany (no advisory lock, no ON CONFLICT: less work than the SQL sink). */
export async function passportInsertEm(orm: Orm, events: readonly PassportEvent[]): Promise<number> {
  const rows = events.map((e) => ({
    eventId: e.eventId,
    eventType: e.eventType,
    eventCategory: e.eventCategory,
    userId: e.userId,
    sessionId: e.sessionId,
    deviceId: e.deviceId,
    occurredAt: new Date(e.occurredAt),
    receivedAt: new Date(e.receivedAt),
    entityType: e.entityType,
    entityId: e.entityId,
    payload: e.payload,
    source: e.source,
  }));
  await orm.em.fork().insertMany(PassportEntry, rows);
  return rows.length;
}

const factKey = (f: Fact): string => `${f.entityType}\u0000${f.entityId}\u0000${f.metric}\u0000${f.period}\u0000${f.bucketStart}`;

/**
 * The coliseum rollup of passport ids (fromId, toId] through entities: load the events, count in JS,
 * then add the counts with the query builder's INSERT … ON CONFLICT MERGE (value + excluded.value).
 * (Loading each counter as an entity and flushing, the plain unit-of-work way, took 17–118 s per
 * 5,000 events here, growing with the table, mostly building and running the `$or` lookups of
 * ~26,000 composite keys.)
 */
export async function rollupEm(orm: Orm, fromId: number, toId: number): Promise<void> {
  await unitOfWork(orm, async (em) => {
    const events = await em.find(
      PassportEntry,
      { id: { $gt: fromId, $lte: toId } },
      { fields: ['eventType', 'eventCategory', 'occurredAt', 'payload', 'userId'] },
    );
    const userIds = [...new Set(events.map((e) => e.userId).filter((id): id is string => !!id))];
    const cities = new Map<string, string | null>();
    for (let i = 0; i < userIds.length; i += 1000) {
      for (const u of await em.find(User, { id: { $in: userIds.slice(i, i + 1000) } }, { fields: ['id', 'city'] })) cities.set(u.id, u.city ?? null);
    }
    const totals = new Map<string, Fact>();
    for (const fact of rollupFacts(
      events.map((e) => ({
        eventType: e.eventType,
        eventCategory: e.eventCategory,
        occurredAtMs: e.occurredAt.getTime(),
        payload: e.payload,
        userCity: e.userId ? (cities.get(e.userId) ?? null) : null,
      })),
    )) {
      const key = factKey(fact);
      const seen = totals.get(key);
      if (seen) seen.value += fact.value;
      else totals.set(key, { ...fact });
    }
    const rows = [...totals.values()].map((f) => ({
      entityType: f.entityType,
      entityId: f.entityId,
      metric: f.metric,
      period: f.period,
      bucketStart: new Date(f.bucketStart),
      value: f.value,
    }));
    for (let i = 0; i < rows.length; i += 2000) {
      await em
        .createQueryBuilder(ColiseumMetric)
        .insert(rows.slice(i, i + 2000))
        .onConflict(['entityType', 'entityId', 'metric', 'period', 'bucketStart'])
        .merge({ value: raw('coliseum_metrics.value + excluded.value') })
        .execute();
    }
  });
}

/** RecommendationRepository.saveMany for one list through the EntityManager, as it was before the one statement: find, delete, upsertMany. */
export async function saveRecommendationsEm(
  orm: Orm,
  userId: string,
  recs: ReadonlyArray<{ artistId: string; score: number; reason: string }>,
  nowMs: number,
): Promise<string[]> {
  const em = orm.em.fork();
  const existing = await em.find(UserRecommendation, { userId }, { fields: ['artistId', 'firstRecommendedAt'] });
  const first = new Map(existing.map((r) => [r.artistId, r.firstRecommendedAt]));
  const now = new Date(nowMs);
  const keep = new Set(recs.map((r) => r.artistId));
  const gone = existing.filter((r) => !keep.has(r.artistId)).map((r) => r.artistId);
  if (gone.length) await em.nativeDelete(UserRecommendation, { userId, artistId: { $in: gone } });
  if (recs.length)
    await em.upsertMany(
      UserRecommendation,
      recs.map((r) => ({ userId, artistId: r.artistId, score: r.score, reason: r.reason, firstRecommendedAt: first.get(r.artistId) ?? now, updatedAt: now })),
    );
  return recs.filter((r) => !first.has(r.artistId)).map((r) => r.artistId);
}

/** SessionRepository.saveCounters through the EntityManager, as it was before the hand-written UPDATE: one nativeUpdate by id. */
export async function saveCountersEm(orm: Orm, sessionId: string, counters: SessionCounters, nowMs: number, ended: boolean): Promise<void> {
  const now = new Date(nowMs);
  await orm.em.fork().nativeUpdate(
    Session,
    { id: sessionId },
    {
      lastActive: now,
      currentFrequency: counters.frequency,
      currentArtistId: counters.artistId,
      totalInteractions: counters.interactions,
      totalSwipes: counters.swipes,
      totalOrbsExplored: counters.orbsExplored,
      totalCaptures: counters.captures,
      sensorEngagementCount: counters.sensorEngagements,
      ...(counters.sensorSeconds === undefined ? {} : { sensorSeconds: counters.sensorSeconds }),
      endedAt: ended ? now : null,
    },
  );
}
