/**
 * Realistic data for `npm run bench:orm`: the demo catalog plus a 10,000-artist synthetic catalog,
 * 20,000 users with two sessions each (the latest active within the last 4 h, so about half resume),
 * 5,000 constellations of 15 stars, and a passport of room events over 30 days written through the
 * production sink. Deterministic per run except for uuids.
 */
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { Sql } from '../../persistence/db.js';
import type { Orm } from '../../persistence/orm.js';
import { CatalogRepository } from '../../persistence/catalog/CatalogRepository.js';
import { loadSyntheticCatalog } from '../../persistence/catalog/loadSynthetic.js';
import { createCopySink } from '../../persistence/passport/copySink.js';
import type { PassportEvent } from '../../systems/passport/events.js';
import { mulberry32 } from '../../systems/constellation/constellation.js';

export const USERS = 20_000;
export const STAR_USERS = 5_000;
const STARS_PER_USER = 15;
const DAY = 86_400_000;

export interface BenchData {
  /** Every artist id, sorted. */
  artists: string[];
  /** Station frequencies on the dial. */
  stations: number[];
  users: Array<{ userId: string; deviceId: string; lastSessionId: string }>;
}

/** Loads catalog, users, sessions and constellations; returns the ids the measurements draw from. */
export async function seed(orm: Orm, sql: Sql): Promise<BenchData> {
  const catalog = new CatalogRepository(orm);
  await catalog.ensureDemoCatalog();
  await loadSyntheticCatalog(sql, catalog, { artists: 10_000, seed: 1 });
  const artists = (await sql.query<{ id: string }>('SELECT id FROM artists ORDER BY id')).map((r) => r.id);
  const stations = (await catalog.listStations()).map((s) => s.frequency);
  await sql.query(
    `INSERT INTO users (id, device_id, first_launch, city, created_at, last_seen_at)
     SELECT gen_random_uuid(), 'bench-device-' || i, false, NULL, now() - interval '60 days', now() FROM generate_series(1, ${USERS}) i`,
  );
  // Every user-dependent value follows the user's rank by id, so users j and j + 240 (in id order) are alike.
  await sql.query(
    `UPDATE users u SET city = CASE WHEN r.i % 2 = 0 THEN (ARRAY['Lagos','Accra','Nairobi','Johannesburg','London'])[1 + r.i % 5] END,
                        last_seen_at = now() - (r.i % 240) * interval '1 minute'
       FROM (SELECT id, row_number() OVER (ORDER BY id) AS i FROM users) r WHERE r.id = u.id`,
  );
  // Two sessions per user: one ended days ago, the latest active 0–4 h ago (about half within the 2 h resume window).
  await sql.query(
    `INSERT INTO sessions (id, user_id, device_id, started_at, last_active, ended_at, current_frequency, total_swipes, total_interactions)
     SELECT gen_random_uuid(), u.id, u.device_id, now() - s.age - interval '20 minutes', now() - s.age, CASE WHEN s.n = 1 THEN now() - s.age END, 99.9, 12, 30
       FROM (SELECT id, device_id, row_number() OVER (ORDER BY id) AS i FROM users) u
       CROSS JOIN LATERAL (VALUES (1, interval '3 days'), (2, (u.i % 240) * interval '1 minute')) AS s(n, age)`,
  );
  await sql.query(
    `WITH a AS (SELECT array_agg(id ORDER BY id) AS ids, count(*) AS n FROM artists),
          u AS (SELECT id, row_number() OVER (ORDER BY id) AS i FROM users ORDER BY id LIMIT ${STAR_USERS})
     INSERT INTO constellation_stars (user_id, artist_id, x, y, z, captured_at, discovery_path)
     SELECT u.id, a.ids[1 + ((u.i * 37 + k * 101) % a.n)], k * 10, k * 5, -k * 3, now() - (15 - k) * interval '1 day', '[]'
       FROM u CROSS JOIN a CROSS JOIN generate_series(0, ${STARS_PER_USER - 1}) k`,
  );
  await sql.query(
    `INSERT INTO constellation_connections (user_id, from_artist_id, to_artist_id, strength, connection_type)
     SELECT user_id, prev, artist_id, 0.6, 'discovery_path'
       FROM (SELECT user_id, artist_id, lag(artist_id) OVER (PARTITION BY user_id ORDER BY id) AS prev FROM constellation_stars) s
      WHERE prev IS NOT NULL`,
  );
  await sql.query(
    `INSERT INTO user_badges (user_id, badge, earned_at) SELECT DISTINCT user_id, b, now() FROM constellation_stars CROSS JOIN (VALUES ('First Star'), ('Constellation Builder')) v(b)`,
  );
  const users = await sql.query<{ userId: string; deviceId: string; lastSessionId: string }>(
    `SELECT u.id AS "userId", u.device_id AS "deviceId", s.id AS "lastSessionId"
       FROM users u JOIN LATERAL (SELECT id FROM sessions WHERE user_id = u.id ORDER BY last_active DESC LIMIT 1) s ON true ORDER BY u.id`,
  );
  await sql.query('ANALYZE');
  return { artists, stations, users };
}

/**
 * `n` room events (visits and locks, orb taps, plays, captures, votes, swipes, sensor batches) over
 * the last 30 days, for the given users and artists: what the passport holds and the rollup reads.
 */
export function passportEvents(n: number, data: BenchData, seed = 7): PassportEvent[] {
  const rng = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
  const now = Date.now();
  const out: PassportEvent[] = [];
  for (let i = 0; i < n; i++) {
    const user = pick(data.users);
    const artist = pick(data.artists);
    const occurredAt = now - Math.floor(rng() * 30 * DAY);
    const base = {
      eventId: randomUUID(),
      userId: user.userId,
      sessionId: user.lastSessionId,
      deviceId: user.deviceId,
      occurredAt,
      receivedAt: occurredAt + 40,
      source: 'room',
    };
    const roll = rng();
    const [eventType, eventCategory, entityType, entityId, payload]: [string, string, string, string, Record<string, unknown>] =
      roll < 0.3
        ? ['station.visited', 'station', 'artist', artist, { artistId: artist, frequency: pick(data.stations), method: 'swipe' }]
        : roll < 0.45
          ? ['station.locked', 'station', 'station', artist, { artistId: artist, frequency: pick(data.stations) }]
          : roll < 0.6
            ? ['orb.tapped', 'orb', 'orb', `orb_${i % 500}`, { fromArtistId: artist, toArtistId: pick(data.artists), relationship: 'influence' }]
            : roll < 0.75
              ? ['player.track_played', 'player', 'track', `track_${i % 3000}`, { trackId: `track_${i % 3000}`, artistId: artist, durationSeconds: 212 }]
              : roll < 0.8
                ? ['constellation.captured', 'constellation', 'artist', artist, { artistId: artist, totalStars: 3 }]
                : roll < 0.85
                  ? ['concierto.vote_cast', 'concierto', 'concierto_event', 'evt_1', { eventId: 'evt_1', voteFor: pick(data.artists.slice(0, 40)), weight: 1 }]
                  : roll < 0.95
                    ? ['station.swiped', 'station', 'station', '99.9', { direction: 'left', velocity: 850, fromStation: 99.9 }]
                    : ['sensor.batch', 'sensor', 'session', user.lastSessionId, { samples: 12, totalDuration: 4.2 }];
    out.push({ ...base, eventType, eventCategory, entityType, entityId, payload } as unknown as PassportEvent);
  }
  return out;
}

/** Writes events through the production sink (one statement per 5,000). */
export async function writePassport(url: string, events: readonly PassportEvent[]): Promise<void> {
  const sink = createCopySink({ url, log: pino({ level: 'warn' }), queryTimeoutMs: 30_000, concurrency: 1, copyMinEvents: Number.MAX_SAFE_INTEGER });
  try {
    for (let i = 0; i < events.length; i += 5000) await sink.insert(events.slice(i, i + 5000));
  } finally {
    await sink.close();
  }
}
