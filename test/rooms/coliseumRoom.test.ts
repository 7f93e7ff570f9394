import assert from 'node:assert/strict';
import type { Room } from '@colyseus/sdk';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { startServerProcess, type ServerProcess } from '../support/serverProcess.js';
import { clientFor, nextMessage, waitForState } from '../support/rooms.js';
import { signIn } from '../support/auth.js';
import { jsonOf } from '../support/http.js';

const THROTTLE_MS = 300;

interface Row {
  rank: number;
  entityId: string;
  name: string;
  score: number;
  trend: string;
  previousRank: number;
}
/** The decoded coliseum state as the SDK exposes it (schema/ColiseumState.ts). */
interface Decoded {
  window: string;
  leaderboards: Map<string, { rows: Iterable<Row> }>;
  kpis: Map<string, { value: number }>;
}
const stateOf = (room: Room): Decoded => room.state as unknown as Decoded;

/** Rows of one leaderboard in a spectator's decoded state, as plain objects. */
function rowsOf(room: Room, leaderboard: string): Row[] {
  const view = stateOf(room)?.leaderboards?.get(leaderboard);
  return view
    ? [...view.rows].map((r) => ({ rank: r.rank, entityId: r.entityId, name: r.name, score: r.score, trend: r.trend, previousRank: r.previousRank }))
    : [];
}
interface Entry {
  entityId: string;
  trend: string;
  previousRank: number | null;
}

describe('ColiseumRoom (spawned server)', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let server: ServerProcess;
  const rooms: Room[] = [];

  const spectate = async (options: Record<string, unknown>) => {
    const room = await clientFor(server.baseUrl).joinOrCreate('coliseum', options);
    rooms.push(room);
    await waitForState(room, (s) => s.kpis?.size > 0, 5000, 'initial coliseum state');
    return room;
  };

  const session = async () => {
    const room = await clientFor(server.baseUrl, (await signIn(server.baseUrl)).accessToken).create('session', {});
    rooms.push(room);
    await nextMessage(room, 'welcome');
    await waitForState(room, (s) => s.station.artistName !== '', 5000, 'initial station');
    return room;
  };

  before(async () => {
    db = await createTestDatabase();
    server = await startServerProcess({
      DATABASE_URL: db.url,
      REDIS_URL: undefined,
      COLISEUM_THROTTLE_MS: String(THROTTLE_MS),
      PASSPORT_FLUSH_MS: '20',
      CLIENT_MESSAGE_RATE: '200',
    });
  });

  afterEach(async () => {
    await Promise.all(rooms.splice(0).map((r) => r.leave(true).catch(() => undefined)));
  });

  after(async () => {
    const code = await server?.stop('SIGTERM');
    assert.equal(code, 0, server?.output());
    await db?.drop();
  });

  it('a session locks a station → the spectator leaderboard shows the visit within throttle + 1 s', async () => {
    const spectator = await spectate({ leaderboards: ['artists.visits'], window: 'day' });
    const listener = await session();
    const before = rowsOf(spectator, 'artists.visits').find((r) => r.entityId === 'artist_burna_boy')?.score ?? 0;
    const locked = nextMessage(listener, 'locked', 5000);
    listener.send('tune', { frequency: 105.5 });
    const msg = await locked;
    assert.equal(msg.artistId, 'artist_burna_boy');
    const lockedAt = Date.now();
    await waitForState(
      spectator,
      () => (rowsOf(spectator, 'artists.visits').find((r) => r.entityId === 'artist_burna_boy')?.score ?? 0) > before,
      THROTTLE_MS + 1000,
      'visit on the leaderboard',
    );
    const ms = Date.now() - lockedAt;
    assert.ok(ms <= THROTTLE_MS + 1000, `took ${ms} ms`);
    const row = rowsOf(spectator, 'artists.visits').find((r) => r.entityId === 'artist_burna_boy')!;
    assert.equal(row.name, 'Burna Boy');
    assert.ok(row.rank >= 1);
    await waitForState(spectator, (s) => s.kpis.get('visitsToday')?.value >= 1 && s.kpis.get('activeSessions')?.value >= 1, THROTTLE_MS + 1000, 'KPI tiles');
  });

  it('a spectator receives only the leaderboards it asked for; the same request shares a room, another gets its own', async () => {
    const a = await spectate({ leaderboards: ['orbs.transitions', 'artists.captures'], window: 'week' });
    const b = await spectate({ leaderboards: 'artists.captures,orbs.transitions', window: 'week' });
    const c = await spectate({ leaderboards: ['cities.engagement'] });
    assert.deepEqual([...stateOf(a).leaderboards.keys()].sort(), ['artists.captures', 'orbs.transitions']);
    assert.equal(stateOf(a).window, 'week');
    assert.equal(a.roomId, b.roomId, 'same leaderboards (any order or form) and window share one room');
    assert.deepEqual([...stateOf(c).leaderboards.keys()], ['cities.engagement']);
    assert.notEqual(c.roomId, a.roomId);
    const d = await spectate({});
    assert.ok(stateOf(d).leaderboards.has('artists.trending'), 'no leaderboards named: the default set');
  });

  it('rejects bad join options with a clear error', async () => {
    const client = clientFor(server.baseUrl);
    await assert.rejects(
      client.joinOrCreate('coliseum', { leaderboards: ['artists.visits', 'no.such.leaderboard'] }),
      /unknown leaderboard "no\.such\.leaderboard"/,
    );
    await assert.rejects(client.joinOrCreate('coliseum', { window: 'fortnight' }), /window/);
    await assert.rejects(client.joinOrCreate('coliseum', { limit: 0 }), /limit/);
    await assert.rejects(client.joinOrCreate('coliseum', { leaderboards: 42 }), /leaderboards/);
  });

  it('serves the same leaderboard over HTTP with trend columns; 400 with details, 404 for an unknown leaderboard', async () => {
    const listener = await session();
    const locked = nextMessage(listener, 'locked', 5000);
    listener.send('tune', { frequency: 105.5 });
    await locked;
    await new Promise((r) => setTimeout(r, 200)); // the feeder flushes every ~50 ms
    const ok = await fetch(`${server.baseUrl}/api/leaderboards/artists.visits?window=day&limit=5`);
    assert.equal(ok.status, 200);
    const body = await jsonOf(ok);
    assert.equal(body.leaderboard, 'artists.visits');
    assert.ok((body.entries as Entry[]).some((e) => e.entityId === 'artist_burna_boy' && e.trend === 'new' && e.previousRank === null));
    const around = await jsonOf(await fetch(`${server.baseUrl}/api/leaderboards/artists.visits?around=artist_burna_boy&limit=3`));
    assert.equal(around.ranked, true);
    const bad = await fetch(`${server.baseUrl}/api/leaderboards/artists.visits?window=year&limit=0`);
    assert.equal(bad.status, 400);
    assert.deepEqual(((await jsonOf(bad)).details as Array<{ field: string }>).map((d) => d.field).sort(), ['limit', 'window']);
    assert.equal((await fetch(`${server.baseUrl}/api/leaderboards/nope.leaderboard`)).status, 404);
    const list = await jsonOf(await fetch(`${server.baseUrl}/api/leaderboards`));
    assert.ok((list.leaderboards as Array<{ name: string }>).some((b) => b.name === 'artists.trending'));
  });
});
