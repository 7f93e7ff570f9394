import assert from 'node:assert/strict';
import { useServer } from '../support/serverProcess.js';
import { collect, nextMessage, waitForState } from '../support/rooms.js';
import { joinSession, leaveQuietly } from '../support/session.js';

/**
 * Three bookkeeping defects found as a new user:
 * - resuming with `lastSessionId` reset the session's counters to the new room's (interactions 2 → 0);
 * - `tune` to the station on screen (or a zero-velocity swipe) logged a `station.visited` from itself;
 * - a `tune` during an orb zoom was overridden 0.8 s later by the arrival, with no `locked` message.
 *   Chosen behaviour: dial inputs and taps during the zoom are refused with BUSY; the arrival sends `locked`.
 */
describe('issue: session bookkeeping (resume counters, self-visits, input during a zoom)', function () {
  this.timeout(60_000);
  const running = useServer({ CLIENT_MESSAGE_RATE: '200', PASSPORT_FLUSH_MS: '10' });

  const eventsOf = (sessionId: string) =>
    running().db.sql.query<{ event_type: string; payload: Record<string, unknown> }>(
      'SELECT event_type, payload FROM passport_entries WHERE session_id = ? ORDER BY id',
      [sessionId],
    );

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

  it('a resumed session keeps its counters (state and the sessions row)', async () => {
    const first = await joinSession(running().server.baseUrl);
    for (const frequency of [105.5, 99.9]) {
      const locked = nextMessage(first.room, 'locked', 5000, `first room ${frequency}`);
      first.room.send('tune', { frequency });
      await locked;
    }
    await waitForState(first.room, (s) => s.interactions === 2, 2000, 'two interactions');
    await leaveQuietly(first.room);
    const saved = () =>
      running().db.sql.query<{ total_interactions: number; ended_at: Date | null }>('SELECT total_interactions, ended_at FROM sessions WHERE id = ?', [
        first.welcome.sessionId,
      ]);
    await until(saved, ([row]) => row?.ended_at !== null, 'the first room saved its counters');

    const second = await joinSession(running().server.baseUrl, { lastSessionId: first.welcome.sessionId }, first.auth);
    assert.equal(second.welcome.resumed, true);
    assert.equal(second.room.state.interactions, 2, 'the resumed room starts from the saved counters');
    const locked = nextMessage(second.room, 'locked', 5000, 'resumed');
    second.room.send('tune', { frequency: 105.5 });
    await locked;
    await leaveQuietly(second.room);
    await until(saved, ([row]) => row?.total_interactions === 3 && row.ended_at !== null, 'the resumed session adds to its counters');
  });

  it('re-tuning the station on screen or a zero swipe answers locked but logs no visit', async () => {
    const { room, welcome } = await joinSession(running().server.baseUrl);
    for (let i = 0; i < 5; i++) {
      const locked = nextMessage(room, 'locked');
      room.send('tune', { frequency: 99.9 });
      assert.equal((await locked).frequency, 99.9);
    }
    const locked = nextMessage(room, 'locked');
    room.send('swipe', { direction: 'right', velocity: 0 });
    assert.equal((await locked).frequency, 99.9);
    const events = await until(
      () => eventsOf(welcome.sessionId),
      (rows) => rows.filter((r) => r.event_type === 'station.tuned').length === 5,
      'tunes stored',
    );
    const visits = events.filter((e) => e.event_type === 'station.visited');
    assert.deepEqual(visits, [], 'no visit of the station already on screen');
    await leaveQuietly(room);
  });

  it('tune or swipe during an orb zoom → BUSY; the arrival sends locked and logs the orb visit', async () => {
    const { room, welcome } = await joinSession(running().server.baseUrl);
    const fela = [...room.state.orbs.entries()].find(([, o]: [string, any]) => o.name === 'Fela Kuti');
    assert.ok(fela);
    const errors = collect(room, 'error');
    const arrived = nextMessage(room, 'locked', 5000);
    room.send('tap_orb', { orbId: fela[0] });
    await nextMessage(room, 'transition');
    room.send('tune', { frequency: 105.5 });
    room.send('swipe', { direction: 'left', velocity: 400 });
    const locked = await arrived;
    assert.equal(locked.artistId, fela[1].artistId);
    assert.equal(locked.via, 'orb');
    assert.deepEqual(
      errors.items.map((e) => [e.for, e.code]),
      [
        ['tune', 'BUSY'],
        ['swipe', 'BUSY'],
      ],
    );
    await waitForState(room, (s) => s.station.artistName === 'Fela Kuti', 2000, 'Fela on screen');
    const events = await until(
      () => eventsOf(welcome.sessionId),
      (rows) => rows.some((r) => r.event_type === 'station.visited'),
      'the visit stored',
    );
    const visits = events.filter((e) => e.event_type === 'station.visited');
    assert.equal(visits.length, 1);
    assert.equal(visits[0].payload.method, 'orb');
    assert.equal(visits[0].payload.artistName, 'Fela Kuti');
    assert.ok(!events.some((e) => e.event_type === 'station.tuned'), 'the refused tune is not logged');
    await leaveQuietly(room);
  });
});
