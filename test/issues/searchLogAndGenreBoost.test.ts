import assert from 'node:assert/strict';
import { useServer } from '../support/serverProcess.js';
import { bearer, signIn } from '../support/auth.js';
import { jsonOf } from '../support/http.js';
import { nextMessage } from '../support/rooms.js';
import { joinSession, leaveQuietly } from '../support/session.js';

/**
 * Two defects of seed 000 step 13 found by an audit:
 * - 13.6 "INSERT INTO search_logs": 8 searches wrote no event, though docs/PROTOCOL.md listed
 *   `search.performed` as emitted. Every answered search (HTTP or room, cached or not) is now one event.
 * - 13.4: a result in the caller's genres scored ×1.44, not ×1.2: a decade boost the seed does not have
 *   was always on. It is now off unless SEARCH_ERA_BOOST sets it.
 */
const JOBS_OFF = Object.fromEntries(
  ['GRAVITY_EDGES', 'SESSION_AGGREGATION', 'GLOBAL_METRICS', 'POPULARITY_SCORES', 'CLEANUP', 'PASSPORT_PARTITIONS', 'INFLUENCE_GRAPH'].map((j) => [
    `JOB_CRON_${j}`,
    'off',
  ]),
);

type Running = ReturnType<ReturnType<typeof useServer>>;

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 5000;
  let value = await read();
  while (!ok(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    value = await read();
  }
  assert.ok(ok(value), `${what}: ${JSON.stringify(value)}`);
  return value;
}

/** A listener whose one star is a Lunar artist of the 1950s, and three candidates matching "qvz orbit" equally. */
async function lunarFan(running: Running): Promise<{ accessToken: string }> {
  const { sql } = running.db;
  const add = (id: string, name: string, genre: string, era: string) =>
    sql.query(`INSERT INTO artists (id, name, genres, era, bio, scene_id) VALUES (?, ?, ARRAY[?]::text[], ?, ?, (SELECT id FROM scenes ORDER BY id LIMIT 1))`, [
      id,
      name,
      genre,
      era,
      `${name} plays ${genre}.`,
    ]);
  await add('artist_qvz_anchor', 'Anchor Of Taste', 'Qvzgenre Lunar', '1950s');
  await add('artist_qvz_both', 'Qvz Orbit Both', 'Qvzgenre Lunar', '1950s–present'); // genre and decade
  await add('artist_qvz_decade', 'Qvz Orbit Deca', 'Qvzgenre Solar', '1950s–1970s'); // decade only
  await add('artist_qvz_none', 'Qvz Orbit None', 'Qvzgenre Solar', '1990s'); // neither
  const user = await signIn(running.server.baseUrl);
  await sql.query(`INSERT INTO constellation_stars (user_id, artist_id, x, y, z, captured_at) VALUES (?, 'artist_qvz_anchor', 0, 0, 0, now())`, [user.userId]);
  return user;
}

/** Personalised score ÷ anonymous score per candidate. */
async function boosts(running: Running, user: { accessToken: string }): Promise<Record<string, number>> {
  const get = async (headers: Record<string, string>) => jsonOf(await fetch(`${running.server.baseUrl}/api/search?q=qvz%20orbit&limit=10`, { headers }));
  const score = (body: { results: Array<{ artist: { id: string }; relevanceScore: number }> }, id: string) =>
    body.results.find((r) => r.artist.id === id)!.relevanceScore;
  const anonymous = await get({});
  const personal = await get(bearer(user.accessToken));
  const ratio = (id: string) => Math.round((score(personal, id) / score(anonymous, id)) * 1000) / 1000;
  return { both: ratio('artist_qvz_both'), decade: ratio('artist_qvz_decade'), none: ratio('artist_qvz_none') };
}

describe("issue: searches are logged (13.6) and the taste boost is the seed's ×1.2 (13.4)", function () {
  this.timeout(60_000);
  const running = useServer({ PASSPORT_FLUSH_MS: '10', ...JOBS_OFF });

  it('8 searches (3 over HTTP, 5 in a session room) → 8 search.performed events with who, what and the top result', async () => {
    const { baseUrl } = running().server;
    const { sql } = running().db;
    const user = await signIn(baseUrl);
    const http = (q: string, headers: Record<string, string> = {}) =>
      fetch(`${baseUrl}/api/search?q=${encodeURIComponent(q)}&limit=3`, { headers }).then(jsonOf);
    await http('Fela Kuti');
    await http('fela kuti', bearer(user.accessToken)); // no stars: same taste as anonymous, so a cache hit
    await http('burna', bearer(user.accessToken));
    const { room, welcome } = await joinSession(baseUrl, {}, user);
    for (const q of ['nina simone', 'sade', 'zzqqxx', 'nina simone', 'wizkid']) {
      const answer = nextMessage(room, 'search');
      room.send('search', { q });
      await answer;
    }
    await leaveQuietly(room);

    type Row = {
      source: string;
      user_id: string | null;
      session_id: string | null;
      device_id: string | null;
      query: string;
      count: number;
      top: string | null;
      cached: boolean;
      limit: number;
      entity_id: string | null;
    };
    const rows = await until(
      () =>
        sql.query<Row>(
          `SELECT source, user_id, session_id, device_id, entity_id, payload->>'query' AS query, (payload->>'resultCount')::int AS count, payload->>'topResultId' AS top,
                  (payload->>'cached')::boolean AS cached, (payload->>'limit')::int AS "limit"
             FROM passport_entries WHERE event_type = 'search.performed' ORDER BY occurred_at, id`,
        ),
      (r) => r.length === 8,
      'eight search.performed events',
    );
    assert.deepEqual(
      rows.map((r) => [r.source, r.query, r.cached]),
      [
        ['http', 'fela kuti', false],
        ['http', 'fela kuti', true],
        ['http', 'burna', false],
        ['room', 'nina simone', false],
        ['room', 'sade', false],
        ['room', 'zzqqxx', false],
        ['room', 'nina simone', true],
        ['room', 'wizkid', false],
      ],
    );
    assert.deepEqual(
      rows.map((r) => r.user_id),
      [null, ...Array(7).fill(user.userId)],
      "anonymous over HTTP, else the token's user",
    );
    assert.equal(rows[1].device_id, user.deviceId);
    assert.deepEqual(
      rows.slice(3).map((r) => r.session_id),
      Array(5).fill(welcome.sessionId),
      'room searches carry the session',
    );
    assert.deepEqual(
      rows.map((r) => r.limit),
      [3, 3, 3, 10, 10, 10, 10, 10],
    );
    assert.equal(rows[0].top, 'artist_fela_kuti');
    assert.equal(rows[0].entity_id, 'artist_fela_kuti');
    assert.equal(rows[3].top, 'artist_nina_simone');
    assert.deepEqual([rows[5].count, rows[5].top, rows[5].entity_id], [0, null, null], 'a search that found nothing is logged too');
    assert.ok(rows[0].count >= 1 && rows[0].count <= 3);
  });

  it('genre ×1.2 whatever the decade; a decade alone is not boosted (SEARCH_ERA_BOOST unset)', async () => {
    const user = await lunarFan(running());
    assert.deepEqual(await boosts(running(), user), { both: 1.2, decade: 1, none: 1 });
  });
});

describe('SEARCH_ERA_BOOST=1.2: the decade boost as an option', function () {
  this.timeout(60_000);
  const running = useServer({ SEARCH_ERA_BOOST: '1.2', ...JOBS_OFF });

  it('genre and decade ×1.44, decade alone ×1.2', async () => {
    const user = await lunarFan(running());
    assert.deepEqual(await boosts(running(), user), { both: 1.44, decade: 1.2, none: 1 });
  });
});
