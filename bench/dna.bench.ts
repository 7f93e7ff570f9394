/**
 * MediaID DNA and Coliseum report benchmark: `npm run bench:dna` (env: BENCH_DNA_USERS, default
 * 100,000; BENCH_DNA_ARTIST_EVENTS, default 100,000; BENCH_DNA_LISTENERS, default 10,000).
 * Its own database (TEST_DATABASE_URL / DATABASE_URL, else 127.0.0.1:5432, else embedded), dropped after.
 * Data by INSERT … SELECT generate_series: USERS users with MediaID inputs (12 genres, 8 interests,
 * 20 locations); ARTIST_EVENTS passport events for one artist from LISTENERS listeners over 30 days
 * (plays, likes, captures, purchases); one more event per user for other artists.
 *
 * A. Mirroring: the dna_mirroring CursorProcessor over the whole passport (DNA_BATCH_SIZE, 5,000).
 *    Goal ≥ 20,000 events/s.
 * B. Report: generateReport for the artist over 30 days (metrics, previous range, daily trend,
 *    leaderboard from the rollups, DNA insights of the listeners). Goal < 5 s (seed), aim < 1 s.
 * C. Match: the in-process index over every user (rebuild time), then 200 top-10 queries. Goal p95 < 50 ms.
 */
import { preferLocalPostgres } from './support/postgres.js';
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import pg from 'pg';
import pino from 'pino';
import { createScratchDatabase, stopEmbeddedPostgres, adminDatabaseUrl } from './support/postgres.js';
import { CursorProcessor } from '../features/passport/CursorProcessor.js';
import { leaderboardRollups } from '../persistence/leaderboard/rollups.js';
import { dnaMirroring } from '../persistence/mediaid/dnaMirroring.js';
import { DnaRepository } from '../persistence/mediaid/DnaRepository.js';
import { DnaIndex } from '../features/mediaid/DnaIndex.js';
import { ReportRepository } from '../persistence/reports/ReportRepository.js';
import { generateReport } from '../features/reports/generateReport.js';
import { halfLifeMs, profileEmbedding } from '../systems/mediaid/dna.js';

const USERS = Number(process.env.BENCH_DNA_USERS ?? 100_000);
const ARTIST_EVENTS = Number(process.env.BENCH_DNA_ARTIST_EVENTS ?? 100_000);
const LISTENERS = Number(process.env.BENCH_DNA_LISTENERS ?? 10_000);
const BATCH = Number(process.env.DNA_BATCH_SIZE ?? 5000);
const SETTINGS = { dims: Number(process.env.DNA_DIMS ?? 32), halfLifeMs: halfLifeMs(30), baseWeight: 5 };
const log = pino({ level: 'warn' });

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const ms = (n: number) => n.toFixed(1);
const uid = (i: string) => `md5('bench-user-' || ${i})::uuid`;

const SEED_SQL = [
  `INSERT INTO scenes (id, name, scene_type, video_url_high, video_url_medium, video_url_low) VALUES ('bench_scene', 'Bench', 'street', 'h', 'm', 'l')`,
  `INSERT INTO artists (id, name, genres, scene_id) VALUES ('bench_artist', 'Bench Artist', '{Afrobeats,Highlife}', 'bench_scene'),
     ('bench_other', 'Other Artist', '{Jazz}', 'bench_scene')`,
  `INSERT INTO users (id, device_id, created_at, last_seen_at) SELECT ${uid('i')}, 'bench-d-' || i, now(), now() FROM generate_series(1, $1::int) i`,
  `INSERT INTO media_ids (user_id, display_name, email, interests, genre_preferences, content_flags, location_code, privacy_settings)
   SELECT ${uid('i')}, 'Fan ' || i, 'fan' || i || '@bench.example',
          ARRAY[(ARRAY['Vinyl','Dancing','Festivals','Podcasts','Gaming','Film','Fashion','Poetry'])[1 + i % 8]],
          ARRAY[(ARRAY['Afrobeats','Highlife','Jazz','Jazz Fusion','Hip-Hop','Indie R&B','Amapiano','Soul','Funk','Reggae','Gospel','House'])[1 + i % 12],
                (ARRAY['Afrobeats','Highlife','Jazz','Jazz Fusion','Hip-Hop','Indie R&B','Amapiano','Soul','Funk','Reggae','Gospel','House'])[1 + (i / 12) % 12]],
          jsonb_build_object('explicit', i % 3 = 0), 'NG-' || (i % 20), jsonb_build_object('shareLocation', i % 4 <> 0, 'allowMatching', true)
     FROM generate_series(1, $1::int) i`,
  // The artist's events in listening sessions of 10 consecutive events of one listener (as sessions reach
  // the passport), listeners taking turns (session s → listener 1 + s % LISTENERS), spread over 30 days.
  `INSERT INTO passport_entries (event_id, event_type, event_category, user_id, occurred_at, received_at, payload, source)
   SELECT gen_random_uuid(), t, split_part(t, '.', 1), ${uid('(1 + (i / 10) % $2::int)')}, now() - ((i % 43200) || ' minutes')::interval, now(),
          CASE WHEN t = 'treasury.money_spent' THEN jsonb_build_object('artistId', 'bench_artist', 'amountCents', 500 + i % 2000, 'currency', 'USD', 'reason', 'ticket')
               ELSE jsonb_build_object('artistId', 'bench_artist', 'trackId', 'bt' || i % 50) END, 'http'
     FROM (SELECT i, CASE WHEN i % 20 = 0 THEN 'player.like' WHEN i % 50 = 1 THEN 'constellation.captured' WHEN i % 97 = 2 THEN 'treasury.money_spent' ELSE 'player.track_played' END AS t
             FROM generate_series(1, $1::int) i) g ORDER BY i`,
  // Worst case for the mirroring, appended after: one event per user, every event another user.
  `INSERT INTO passport_entries (event_id, event_type, event_category, user_id, occurred_at, received_at, payload, source)
   SELECT gen_random_uuid(), 'player.track_played', 'player', ${uid('i')}, now() - ((i % 20000) || ' minutes')::interval, now(), jsonb_build_object('artistId', 'bench_other', 'trackId', 'ot' || i % 20), 'http'
     FROM generate_series(1, $1::int) i`,
];

async function main(): Promise<void> {
  await preferLocalPostgres();
  await adminDatabaseUrl();
  const db = await createScratchDatabase({ poolMax: 8 });
  try {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const seeded = performance.now();
    await client.query(SEED_SQL[0]);
    await client.query(SEED_SQL[1]);
    await client.query(SEED_SQL[2], [USERS]);
    await client.query(SEED_SQL[3], [USERS]);
    await client.query(SEED_SQL[4], [ARTIST_EVENTS, LISTENERS]);
    await client.query(SEED_SQL[5], [USERS]);
    await client.query('ANALYZE');
    await client.end();
    const [{ n: events }] = await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM passport_entries');
    console.log(
      `seeded ${USERS} users with MediaIDs, ${events} passport events (${ARTIST_EVENTS} for the artist from ${LISTENERS} listeners) in ${ms((performance.now() - seeded) / 1000)} s · ${os.cpus().length} CPUs`,
    );

    // A. Mirroring throughput: the artist's sessions first (realistic), then one event per user (worst case).
    const mirroring = new CursorProcessor(db.sql, dnaMirroring({ dims: SETTINGS.dims, halfLifeMs: SETTINGS.halfLifeMs }), log, { batchSize: BATCH });
    for (const [label, rows] of [
      ['sessions of 10 events per listener', ARTIST_EVENTS],
      ['worst case, every event another user', USERS],
    ] as const) {
      const started = performance.now();
      let mirrored = 0;
      while (mirrored < rows) {
        const n = await mirroring.runOnce();
        if (n === 0) break;
        mirrored += n;
      }
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `A. mirroring (${label}): ${mirrored} events in ${ms(seconds)} s = ${Math.round(mirrored / seconds)} events/s (batch ${BATCH}, ${SETTINGS.dims} dims/domain) · goal ≥ 20,000/s`,
      );
    }
    const [{ n: profiles }] = await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM dna_profiles');
    console.log(`   ${profiles} DNA profiles`);

    // The leaderboard position reads the rollups: build them (not timed).
    await new CursorProcessor(db.sql, leaderboardRollups(), log, { batchSize: 50_000 }).catchUp();

    // B. Report generation.
    const reports = new ReportRepository(db.sql);
    const dna = new DnaRepository(db.sql, SETTINGS.dims, SETTINGS.halfLifeMs);
    const to = new Date();
    const from = new Date(to.getTime() - 30 * 86_400_000);
    const times: number[] = [];
    let last: Record<string, unknown> = {};
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      last = await generateReport(
        { reports, dna },
        { subject: { type: 'artist', id: 'bench_artist' }, from, to, label: '30d' },
        { dna: SETTINGS, maxListeners: 20_000, clusters: 3, tournamentMaxCities: 16 },
        Date.now(),
      );
      times.push(performance.now() - t);
    }
    const insight = last.dna as { listenersAnalysed: number; averageMatch: number; clusters: Array<{ name: string; share: number }> };
    const metrics = last.metrics as { events: number; uniqueUsers: number };
    times.sort((a, b) => a - b);
    console.log(
      `B. report (artist, 30 d, ${metrics.events} events, ${metrics.uniqueUsers} listeners, ${insight.listenersAnalysed} analysed, avg match ${insight.averageMatch}, clusters ${insight.clusters.map((c) => `${c.name} ${c.share}%`).join(' / ')}): p50 ${ms(pct(times, 50))} ms, max ${ms(times[times.length - 1])} ms (5 runs) · goal < 5,000 ms, aim < 1,000`,
    );

    // C. Match index.
    const index = new DnaIndex(dna, { ...SETTINGS, maxUsers: 5_000_000, ttlMs: 3_600_000, pageSize: 5000 });
    const startedC = performance.now();
    await index.refresh();
    const loadMs = performance.now() - startedC;
    const sample = await dna.dnaOfUsers(
      await db.sql.query<{ u: string }>(`SELECT user_id::text AS u FROM media_ids ORDER BY md5(user_id::text) LIMIT 200`).then((r) => r.map((x) => x.u)),
      200,
    );
    const queries = sample.map((d) => ({ id: d.userId, v: profileEmbedding(d.inputs, d.dynamic, Date.now(), SETTINGS) }));
    const q: number[] = [];
    for (const { id, v } of queries) {
      const t = performance.now();
      index.similar(v, 10, id);
      q.push(performance.now() - t);
    }
    q.sort((a, b) => a - b);
    console.log(
      `C. match: index of ${index.size} users rebuilt in ${ms(loadMs)} ms; top-10 query p50 ${ms(pct(q, 50))} ms, p95 ${ms(pct(q, 95))} ms, max ${ms(q[q.length - 1])} ms (${q.length} queries) · goal p95 < 50 ms`,
    );
  } finally {
    await db.drop();
    await stopEmbeddedPostgres();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
