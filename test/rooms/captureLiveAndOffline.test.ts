import assert from 'node:assert/strict';
import { useServer } from '../support/serverProcess.js';
import { nextMessage } from '../support/rooms.js';
import { joinSession, leaveQuietly } from '../support/session.js';

/**
 * One capture use case (features/constellation/Capture.ts) behind a live `capture` and an offline `capture_star`:
 * the same passport payload, the same badge rule, the same placement math.
 */
describe('capture: live and offline produce the same events and badges', function () {
  this.timeout(60_000);
  const running = useServer({ PASSPORT_FLUSH_MS: '10' });

  const eventsOf = async (userId: string) => {
    const deadline = Date.now() + 5000;
    let rows: Array<{ event_type: string; payload: Record<string, unknown>; source: string }> = [];
    while (Date.now() < deadline) {
      rows = await running().db.sql.query(
        `SELECT event_type, payload, source FROM passport_entries WHERE user_id = ? AND event_type IN ('constellation.captured', 'badge.earned') ORDER BY id`,
        [userId],
      );
      if (rows.length >= 3) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    return rows;
  };
  const shape = (rows: Array<{ event_type: string; payload: Record<string, unknown> }>) =>
    rows.map((r) =>
      r.event_type === 'badge.earned'
        ? { type: r.event_type, payload: r.payload }
        : {
            type: r.event_type,
            keys: Object.keys(r.payload).sort(),
            artist: r.payload.artistId,
            artistName: r.payload.artistName,
            totalStars: r.payload.totalStars,
            connections: r.payload.connections,
          },
    );

  it('Burna Boy then Fela Kuti: captured live in one account, replayed offline in another', async () => {
    const live = await joinSession(running().server.baseUrl);
    const locked = nextMessage(live.room, 'locked');
    live.room.send('tune', { frequency: 105.5 });
    await locked;
    let captured = nextMessage(live.room, 'captured');
    live.room.send('capture', { opId: 'live-1' });
    assert.equal((await captured).star.artistId, 'artist_burna_boy');
    // Fela Kuti is an orb of the station on screen: the live capture takes his name and genres from it, the offline one from the catalog.
    assert.ok([...live.room.state.orbs.values()].some((o: { name: string }) => o.name === 'Fela Kuti'));
    captured = nextMessage(live.room, 'captured');
    live.room.send('capture', { artistId: 'artist_fela_kuti', opId: 'live-2' });
    const second = await captured;
    assert.equal(second.totalStars, 2);

    const offline = await joinSession(running().server.baseUrl);
    const synced = nextMessage(offline.room, 'offline_synced');
    const path = ['artist_wizkid', 'artist_burna_boy']; // what the live session travelled: 99.9, then 105.5
    offline.room.send('sync_offline', {
      operations: [
        { opId: 'off-1', type: 'capture_star', artistId: 'artist_burna_boy', occurredAt: Date.now() - 60_000, discoveryPath: path },
        { opId: 'off-2', type: 'capture_star', artistId: 'artist_fela_kuti', occurredAt: Date.now() - 30_000, discoveryPath: path },
      ],
    });
    const result = await synced;
    assert.equal(result.applied, 2, JSON.stringify(result));
    assert.deepEqual(result.badgesAwarded, ['First Star']);

    const liveEvents = shape(await eventsOf(live.welcome.userId));
    const offlineEvents = shape(await eventsOf(offline.welcome.userId));
    assert.deepEqual(offlineEvents, liveEvents, 'same event types, payload fields, names, counts and badges');
    assert.deepEqual(liveEvents[1], { type: 'badge.earned', payload: { badge: 'First Star', trigger: 'stars' } });
    await leaveQuietly(live.room);
    await leaveQuietly(offline.room);
  });
});
