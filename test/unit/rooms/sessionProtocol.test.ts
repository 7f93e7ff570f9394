import assert from 'node:assert/strict';
import { pino } from 'pino';
import { ROOM_MESSAGES } from '../../../contract/registry.js';
import { SessionState } from '../../../schema/SessionState.js';
import { SessionCountersTracker } from '../../../rooms/session/counters.js';
import type { SessionView } from '../../../rooms/session/outcome.js';
import type { SessionRoomServices } from '../../../rooms/session/ports.js';
import { SESSION_MESSAGES, SESSION_REPLIES } from '../../../rooms/session/protocol.js';
import { SessionSimulation } from '../../../rooms/session/SessionSimulation.js';

/** A joined session as handlers read it: a real simulation and tallies, no room. */
function session(): SessionView {
  const state = new SessionState();
  const sim = new SessionSimulation(state, [88.1, 90.5, 95.3, 99.9, 104.1], 90.5, 0);
  return {
    identity: { userId: 'u', sessionId: 's', deviceId: 'd' },
    sim,
    state,
    counters: new SessionCountersTracker(),
    visitedPath: [],
    log: pino({ level: 'silent' }),
  } as unknown as SessionView;
}

const ports = (now: number) =>
  ({ now: () => now, stations: { stationAt: async () => null, stationForArtist: async () => null } }) as unknown as SessionRoomServices;

describe('session protocol table (rooms/session/protocol.ts)', () => {
  it("is where the contract registry takes the session room's messages from: same types, order, titles and summaries", () => {
    const session = ROOM_MESSAGES.filter((m) => m.room === 'session');
    assert.deepEqual(
      session.filter((m) => m.direction === 'send').map((m) => [m.type, m.title, m.summary]),
      Object.entries(SESSION_MESSAGES).map(([type, row]) => [type, row.title, row.summary]),
    );
    assert.deepEqual(
      session.filter((m) => m.direction === 'receive').map((m) => [m.type, m.summary]),
      Object.entries(SESSION_REPLIES),
    );
  });

  it('each row names replies the room declares', () => {
    for (const [type, row] of Object.entries(SESSION_MESSAGES)) for (const r of row.replies) assert.ok(r in SESSION_REPLIES, `${type} → ${r}`);
  });

  it('a handler returns its outcome and changes nothing itself: the swipe applies only when the room runs its change', () => {
    const s = session();
    const before = s.sim.dial.target;
    const outcome = SESSION_MESSAGES.swipe.handle(s, { direction: 'right', velocity: 800 }, ports(1000));
    assert.ok(!(outcome instanceof Promise));
    assert.equal(outcome.accept?.[0]?.type, 'station.swiped');
    assert.equal(s.sim.dial.target, before, 'the dial has not moved before the events are accepted');
    assert.equal(s.counters.swipes, 0);
    outcome.change?.();
    assert.notEqual(s.sim.dial.target, before);
    assert.equal(s.counters.swipes, 1);
    assert.equal(s.state.interactions, 1);
  });

  it('a refused input throws before any outcome (BUSY during an orb zoom), and the clock answers with the server time', () => {
    const s = session();
    (s.sim as { zoomingTo: unknown }).zoomingTo = {};
    assert.throws(() => SESSION_MESSAGES.tune.handle(s, { frequency: 99.9 }, ports(5)), { code: 'BUSY' });
    assert.deepEqual(SESSION_MESSAGES.clock.handle(s, { t0: 3 }, ports(7)), { replies: [{ type: 'clock', payload: { t0: 3, serverTime: 7 } }] });
  });
});
