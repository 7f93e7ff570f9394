/**
 * What writing a capture's passport events in its statement costs: the capture statement alone vs with
 * its `constellation.captured` + `badge.earned` rows in the passport outbox, rounds alternated,
 * `IN_FLIGHT` captures at once on the server's pool size. (Inserting them straight into the passport
 * instead, which holds the passport insert lock through each capture's commit, measured 3.5–5× fewer
 * captures/s than the statement alone on a 2-core box: 297/183/188 vs 1,282/907/657.)
 *
 *   npx tsx bench/captureEvents.bench.ts [rounds=3] [capturesPerRound=1000] [inFlight=64]
 */
import { randomUUID } from 'node:crypto';
import { createScratchDatabase } from './support/postgres.js';
import { ConstellationRepository, type CaptureRequest } from '../persistence/constellation/ConstellationRepository.js';
import type { CapturePassportRow } from '../persistence/constellation/captureStatement.js';
import { buildEvents } from '../systems/passport/build.js';

const [ROUNDS, PER_ROUND, IN_FLIGHT] = [3, 1000, 64].map((d, i) => Number(process.argv[2 + i] ?? d));
const ARTISTS = 200;
const USERS = 400;

const db = await createScratchDatabase();
try {
  await db.sql.query(
    `INSERT INTO scenes (id, name, scene_type, video_url_high, video_url_medium, video_url_low) VALUES ('scene_b', 'Bench', 'street', 'h', 'm', 'l')`,
  );
  await db.sql.query(
    `INSERT INTO artists (id, name, station_frequency, scene_id) SELECT 'a' || g, 'Artist ' || g, 88 + g * 0.1, 'scene_b' FROM generate_series(1, ?) g`,
    [ARTISTS],
  );
  const users = Array.from({ length: USERS }, () => randomUUID());
  await db.sql.query(`INSERT INTO users (id, device_id) SELECT u::uuid, 'd-' || u FROM jsonb_array_elements_text(?::jsonb) u`, [JSON.stringify(users)]);
  const repo = new ConstellationRepository(db.sql);
  let n = 0;
  const request = (withEvents: boolean): CaptureRequest => {
    const i = n++;
    const userId = users[i % USERS];
    const artistId = `a${1 + (Math.floor(i / USERS) % ARTISTS)}`;
    const position = { x: i, y: 0, z: 0 };
    const passport: CapturePassportRow[] = withEvents
      ? buildEvents(
          [
            {
              type: 'constellation.captured',
              entityType: 'artist',
              entityId: artistId,
              payload: { artistId, artistName: artistId, position, totalStars: 1, discoveryPath: [], connections: 0, opId: null },
            },
            { type: 'badge.earned', entityType: 'badge', entityId: 'First Star', payload: { badge: 'First Star', trigger: 'stars' } },
          ],
          { userId, sessionId: 's', deviceId: 'd', source: 'room' },
          Date.now(),
          randomUUID,
        ).map((event, k) => (k === 0 ? { event, stampTotalStars: true } : { event, ifBadge: 'First Star' as const }))
      : [];
    return { userId, sessionId: 's', artistId, position, discoveryPath: [], connections: [], badges: ['First Star'], passport };
  };
  const round = async (withEvents: boolean): Promise<number> => {
    let left = PER_ROUND;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (left-- > 0) await repo.capture(request(withEvents));
      }),
    );
    return PER_ROUND / ((performance.now() - started) / 1000);
  };
  await round(false); // warm-up
  const results: Record<string, number[]> = { 'star only': [], 'star + outbox events': [] };
  for (let r = 0; r < ROUNDS; r++) {
    results['star only'].push(Math.round(await round(false)));
    results['star + outbox events'].push(Math.round(await round(true)));
  }
  for (const [name, perSec] of Object.entries(results)) console.log(`${name.padEnd(24)} captures/s: ${perSec.join(' / ')}`);
} finally {
  await db.drop();
}
