import assert from 'node:assert/strict';
import { pino } from 'pino';
import { ROOM_MESSAGES } from '../../../contract/registry.js';
import { SessionState } from '../../../schema/SessionState.js';
import { SessionCountersTracker } from '../../../rooms/session/counters.js';
import type { SessionView } from '../../../rooms/session/outcome.js';
import type { DialPorts } from '../../../rooms/session/dialInputs.js';
import { applyChange } from '../../../rooms/session/changes.js';
import type { Outcome } from '../../../rooms/session/outcome.js';
import { messageTitle, SESSION_MESSAGES, SESSION_REPLIES } from '../../../rooms/session/protocol.js';
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

/** The dial's own port: a clock and a station cache that has nothing (its warm-ups read it and ignore the answer). */
const ports = (now: number): DialPorts => ({ now: () => now, stations: { stationAt: async () => null, stationForArtist: async () => null } });

/** A handler's outcome when it returns one at once (the dial's inputs do). */
function outcomeOf(result: ReturnType<(typeof SESSION_MESSAGES)['swipe']['handle']>): Outcome {
  assert.ok(!(result instanceof Promise) && !(Symbol.asyncIterator in result), 'the dial inputs answer at once');
  return result as Outcome;
}

describe('session protocol table (rooms/session/protocol.ts)', () => {
  it("is where the contract registry takes the session room's messages from: same types, order, titles and summaries", () => {
    const session = ROOM_MESSAGES.filter((m) => m.room === 'session');
    assert.deepEqual(
      session.filter((m) => m.direction === 'send').map((m) => [m.type, m.title, m.summary]),
      Object.entries(SESSION_MESSAGES).map(([type, row]) => [type, messageTitle(type, row), row.summary]),
    );
    assert.deepEqual(
      session.filter((m) => m.direction === 'receive').map((m) => [m.type, m.summary]),
      Object.entries(SESSION_REPLIES),
    );
  });

  it("each row's example is what the room admits (docs/PROTOCOL.md shows it; a wrong one fails)", () => {
    for (const [type, row] of Object.entries(SESSION_MESSAGES)) assert.ok(row.input.safeParse(row.example).success, type);
    assert.equal(SESSION_MESSAGES.swipe.input.safeParse({ ...SESSION_MESSAGES.swipe.example, velocity: -1 }).success, false);
  });

  it('each row names replies the room declares', () => {
    for (const [type, row] of Object.entries(SESSION_MESSAGES)) for (const r of row.replies) assert.ok(r in SESSION_REPLIES, `${type} → ${r}`);
  });

  it('a handler returns its outcome as data and changes nothing itself: the swipe applies only when the room applies its change', () => {
    const s = session();
    const before = s.sim.dial.target;
    const outcome = outcomeOf(SESSION_MESSAGES.swipe.handle(s, { direction: 'right', velocity: 800 }, ports(1000)));
    assert.equal(outcome.accept?.[0]?.type, 'station.swiped');
    assert.deepEqual(outcome.change, { kind: 'swipe', direction: 'right', velocity: 800, at: 1000 });
    assert.equal(s.sim.dial.target, before, 'the dial has not moved before the events are accepted');
    assert.equal(s.counters.swipes, 0);
    applyChange(s, outcome.change!, 50);
    assert.notEqual(s.sim.dial.target, before);
    assert.equal(s.counters.swipes, 1);
    assert.equal(s.state.interactions, 1);
  });

  it('an outcome holds no function: it survives a structured clone (swipe, tune, tap_orb, clock)', () => {
    const s = session();
    s.sim.showStation(
      {
        artist: { id: 'a', name: 'A', frequency: 90.5, genres: [], era: '' },
        orbs: [{ id: 'o1', targetArtistId: 'b', targetName: 'B', relationship: 'influence', radius: 2, speed: 0.3, startAngle: 0, inclination: 0 }],
      } as unknown as Parameters<typeof s.sim.showStation>[0],
      0,
    );
    const outcomes = [
      outcomeOf(SESSION_MESSAGES.swipe.handle(s, { direction: 'left', velocity: 300 }, ports(10))),
      outcomeOf(SESSION_MESSAGES.tune.handle(s, { frequency: 99.8 }, ports(20))),
      outcomeOf(SESSION_MESSAGES.tap_orb.handle(s, { orbId: 'o1' }, ports(30))),
      outcomeOf(SESSION_MESSAGES.clock.handle(s, { t0: 1 }, ports(40))),
    ];
    for (const outcome of outcomes) assert.deepEqual(structuredClone(outcome), outcome);
    assert.deepEqual(outcomes[1].lock, { method: 'tune', frequency: 99.9 }, 'a tune locks on the station nearest the frequency asked for');
    const zooming = () => s.sim.zoomingTo?.id ?? null;
    assert.equal(zooming(), null, 'the tap planned the zoom; only its applied change starts it');
    applyChange(s, outcomes[2].change!, 50);
    assert.equal(zooming(), 'o1');
    assert.equal(s.counters.interactions, 1);
  });

  it('a refused input throws before any outcome (BUSY during an orb zoom), and the clock answers with the server time', () => {
    const s = session();
    (s.sim as { zoomingTo: unknown }).zoomingTo = {};
    assert.throws(() => SESSION_MESSAGES.tune.handle(s, { frequency: 99.9 }, ports(5)), { code: 'BUSY' });
    assert.deepEqual(SESSION_MESSAGES.clock.handle(s, { t0: 3 }, ports(7)), { replies: [{ type: 'clock', payload: { t0: 3, serverTime: 7 } }] });
  });
});
