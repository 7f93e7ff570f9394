import assert from 'node:assert/strict';
import { allowingForLoad } from '../support/time.js';
import { hostedAt, p, party, rideThrough, type Party } from '../system/session/rideParty.js';
import { Fleet } from './fleet.js';
import { background, handoffFigures, report, sessionTotals } from './scenario.js';

/**
 * Rides on a two-host fleet under the load harness's sessions: RIDES rides of RIDERS riders, every member a
 * clients/ts SessionClient joining through the entry, the dial passed to a rider in half of them. SIGTERM to h1:
 * its rides move to h2 whole; h1 starts again; kill -9 to h2: every ride comes back on h1 from its host's snapshot.
 * The rider-back bound is the 5 s at p99, stretched by the load average per core (the box runs both hosts,
 * the store, the entry, the harness and these clients).
 */
const RIDES = Number(process.env.FLEET_RIDES ?? 40);
const RIDERS = 4;
const CRASH_BACK_P99_MS = 5000;

describe(`fleet: rides through SIGTERM and kill -9 on 2 room hosts (${RIDES} rides × ${RIDERS} riders, harness load)`, function () {
  this.timeout(240_000);
  let fleet: Fleet;
  const parties: Party[] = [];
  let load: Awaited<ReturnType<typeof background>>;

  before(async () => {
    fleet = await Fleet.start({ roomHosts: 2, serverEnv: { SHUTDOWN_TIMEOUT_MS: '20000' }, log: (l) => process.stdout.write(`  [fleet] ${l}\n`) });
    const entry = [fleet.entryUrl.replace(/^http/, 'ws')];
    for (let i = 0; i < RIDES; i += 5) parties.push(...(await Promise.all([0, 1, 2, 3, 4].map((k) => party(entry, i + k, RIDERS)))));
    load = await background(fleet, 'load-rides', 40, 30);
    await load.ready();
  });

  after(async () => {
    await Promise.all(parties.flatMap((x) => [x.host, ...x.riders]).map((m) => m.client.leave().catch(() => undefined)));
    fleet?.down();
  });

  it('SIGTERM to h1: every ride on it back whole on h2 (same id, host, riders, dial holder), no rider alone', async () => {
    const victims = parties.filter((x) => hostedAt(x, '/a/'));
    assert.ok(victims.length > 0 && victims.length < parties.length, `rides on h1: ${victims.length} of ${parties.length}`);
    const stop = async () => assert.equal(await fleet.host('h1').proc!.stop('SIGTERM', 60_000), 0, 'h1 exited 0');
    const { hostMs, riderMs, rideMs, slowest } = await rideThrough(parties, victims, '/b/', stop, 40_000);
    report(`SIGTERM to h1: ${victims.length} of ${RIDES} rides moved`, {
      'host resumed p50 / p99 ms': `${p(hostMs, 0.5)} / ${p(hostMs, 0.99)}`,
      'rider back p50 / p99 ms': `${p(riderMs, 0.5)} / ${p(riderMs, 0.99)}`,
      'ride whole p99 ms': p(rideMs, 0.99),
      'slowest rider': slowest.rider,
      'slowest host': slowest.host,
    });
  });

  it(`kill -9 to h2: every ride back whole on h1, rider back p99 ≤ ${CRASH_BACK_P99_MS} ms (× load per core)`, async () => {
    await fleet.startHost('h1');
    const { hostMs, riderMs, rideMs, slowest } = await rideThrough(parties, parties, '/a/', async () => void fleet.killHost('h2'), 60_000);
    const run = await load.done;
    const bound = allowingForLoad(CRASH_BACK_P99_MS);
    report(`kill -9 to h2: all ${RIDES} rides lost their host`, {
      'host resumed p50 / p99 ms': `${p(hostMs, 0.5)} / ${p(hostMs, 0.99)}`,
      'rider back p50 / p99 ms (bound)': `${p(riderMs, 0.5)} / ${p(riderMs, 0.99)} (${bound})`,
      'ride whole p99 ms': p(rideMs, 0.99),
      'harness sessions': sessionTotals(run),
      'harness handoff': handoffFigures(run),
      'slowest rider': slowest.rider,
      'slowest host': slowest.host,
    });
    assert.ok(p(riderMs, 0.99) <= bound, `kill -9 → rider back p99 ${p(riderMs, 0.99)} ms ≤ ${bound} ms`);
    const h = run.result.handoff;
    assert.ok(h && h.crashed > 0, `harness sessions lost their host: ${JSON.stringify(h)}`);
    assert.equal(h.closed, 0, 'no harness session closed to the user');
    assert.equal(h.resumed, h.moved + h.crashed, 'every harness session that lost its host resumed');
    assert.deepEqual(fleet.unhandled('h1'), [], 'h1 logged no unhandled rejection');
  });
});
