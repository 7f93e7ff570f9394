import assert from 'node:assert/strict';
import { DeparturePacer, type Departure, type PacerTimers } from '../../../features/handoff/DeparturePacer.js';
import type { BackplaneChannel } from '../../../persistence/backplane/Backplane.js';

/** A channel between two "processes" in one test: what the receiver publishes, the draining pacer hears. */
function channelPair(): { draining: BackplaneChannel; receiver: BackplaneChannel; subscribed: () => boolean } {
  let listener: ((body: string, origin: string) => void) | null = null;
  const draining: BackplaneChannel = {
    publish: () => undefined,
    subscribe: async (onRemote) => void (listener = onRemote),
    close: async () => void (listener = null),
  };
  const receiver: BackplaneChannel = { publish: (body) => listener?.(body, 'receiver'), subscribe: async () => undefined, close: async () => undefined };
  return { draining, receiver, subscribed: () => listener !== null };
}

/** Timers the test fires by hand: `advance(ms)` runs every timer due by then, in order. */
function manualTimers(): PacerTimers & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let nextId = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    setTimeout: (fn, ms) => {
      timers.set(++nextId, { at: now + ms, fn });
      return nextId;
    },
    clearTimeout: (id) => void timers.delete(id as number),
    advance(ms) {
      now += ms;
      for (const [id, t] of [...timers].sort((a, b) => a[1].at - b[1].at)) {
        if (t.at > now || !timers.has(id)) continue;
        timers.delete(id);
        t.fn();
      }
    },
    pending: () => timers.size,
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Asks for `n` turns at once; returns the departures granted so far (in order) as they come. */
function askTurns(pacer: DeparturePacer, n: number): Departure[] {
  const granted: Departure[] = [];
  for (let i = 0; i < n; i++) void pacer.turn().then((d) => granted.push(d));
  return granted;
}

describe('DeparturePacer: a draining process moves its sessions as fast as the others take them over', () => {
  it('lets `inFlight` sessions go; each reported arrival lets the next one go', async () => {
    const { draining, receiver } = channelPair();
    const timers = manualTimers();
    const pacer = new DeparturePacer(draining, { inFlight: 2, arrivalWaitMs: 2000, maxPacedMs: 60_000 }, undefined, timers);
    const arrivals = new DeparturePacer(receiver, { inFlight: 2, arrivalWaitMs: 2000, maxPacedMs: 60_000 }, undefined, timers);
    const granted = askTurns(pacer, 5);
    await settle();
    assert.equal(granted.length, 2, 'two in flight, three wait (still live where they are)');
    assert.deepEqual(pacer.stats(), { inFlight: 2, waiting: 3, arrivals: 0, paced: true });
    granted[0].moved('room-a');
    granted[1].moved('room-b');
    await settle();
    assert.equal(granted.length, 2, 'telling a client to move does not free its place: its arrival does');
    arrivals.arrived('room-other'); // another process's session: not ours
    await settle();
    assert.equal(granted.length, 2);
    arrivals.arrived('room-b');
    await settle();
    assert.equal(granted.length, 3);
    arrivals.arrived('room-b'); // reported twice: frees nothing more
    await settle();
    assert.equal(granted.length, 3);
    granted[2].cancel(); // its client had left: the place frees at once
    await settle();
    assert.equal(granted.length, 4);
    assert.equal(pacer.stats().arrivals, 1);
  });

  it('frees the place of a session not reported within arrivalWaitMs, and keeps pacing once arrivals were heard', async () => {
    const { draining, receiver } = channelPair();
    const timers = manualTimers();
    const options = { inFlight: 1, arrivalWaitMs: 1000, maxPacedMs: 60_000 };
    const pacer = new DeparturePacer(draining, options, undefined, timers);
    const arrivals = new DeparturePacer(receiver, options, undefined, timers);
    const granted = askTurns(pacer, 3);
    await settle();
    granted[0].moved('room-a');
    arrivals.arrived('room-a');
    await settle();
    assert.equal(granted.length, 2);
    granted[1].moved('room-b'); // never reported
    timers.advance(999);
    await settle();
    assert.equal(granted.length, 2, 'not yet');
    timers.advance(1);
    await settle();
    assert.equal(granted.length, 3, 'its place freed after arrivalWaitMs');
    assert.equal(pacer.stats().paced, true, 'arrivals were heard before: pacing goes on');
  });

  it('stops pacing when no arrival at all is reported in time (nobody reports: a lone process, older processes)', async () => {
    const { draining } = channelPair();
    const timers = manualTimers();
    const stops: string[] = [];
    const pacer = new DeparturePacer(draining, { inFlight: 2, arrivalWaitMs: 1500, maxPacedMs: 60_000 }, (reason) => stops.push(reason), timers);
    const granted = askTurns(pacer, 10);
    await settle();
    granted[0].moved('room-a');
    granted[1].moved('room-b');
    timers.advance(1500);
    await settle();
    assert.equal(granted.length, 10, 'every session still waiting goes at once');
    assert.deepEqual(stops, ['no arrival reported within 1500 ms']);
    assert.equal(pacer.stats().paced, false);
    assert.equal(pacer.stats().inFlight, 8, 'the two unreported places were given up; the eight that went are counted');
    for (const d of granted.slice(2)) d.moved('room-x');
    assert.equal(pacer.stats().inFlight, 0, 'unpaced, a moved session frees its place at once');
    assert.equal(timers.pending(), 0, 'no timer left behind');
  });

  it('moves everyone still waiting once maxPacedMs has passed since the drain began', async () => {
    const { draining, receiver } = channelPair();
    const timers = manualTimers();
    const stops: string[] = [];
    const options = { inFlight: 1, arrivalWaitMs: 10_000, maxPacedMs: 4000 };
    const pacer = new DeparturePacer(draining, options, (reason) => stops.push(reason), timers);
    const arrivals = new DeparturePacer(receiver, options, undefined, timers);
    const granted = askTurns(pacer, 4);
    await settle();
    granted[0].moved('room-a');
    arrivals.arrived('room-a');
    await settle();
    granted[1].moved('room-b');
    timers.advance(4000);
    await settle();
    assert.equal(granted.length, 4);
    assert.match(stops[0], /pacing budget \(4000 ms\)/);
  });

  it('is unpaced without a channel (a lone process) or with inFlight 0', async () => {
    for (const pacer of [
      new DeparturePacer(null, { inFlight: 2, arrivalWaitMs: 1000, maxPacedMs: 1000 }),
      new DeparturePacer(channelPair().draining, { inFlight: 0, arrivalWaitMs: 1000, maxPacedMs: 1000 }),
    ]) {
      const granted = askTurns(pacer, 50);
      await settle();
      assert.equal(granted.length, 50);
      assert.equal(pacer.stats().paced, false);
    }
  });

  it('stops pacing when the arrivals channel cannot be subscribed (Redis away at the drain)', async () => {
    const broken: BackplaneChannel = {
      publish: () => undefined,
      subscribe: () => Promise.reject(new Error('Connection is closed.')),
      close: async () => undefined,
    };
    const stops: string[] = [];
    const pacer = new DeparturePacer(broken, { inFlight: 1, arrivalWaitMs: 1000, maxPacedMs: 10_000 }, (reason) => stops.push(reason), manualTimers());
    const granted = askTurns(pacer, 3);
    await settle();
    assert.equal(granted.length, 3);
    assert.deepEqual(stops, ['arrivals cannot be heard (Connection is closed.)']);
  });
});
