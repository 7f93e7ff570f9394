import assert from 'node:assert/strict';
import { parseArgs } from '../../../loadtest/args.js';
import { runRides, type RideRunResult } from '../../../loadtest/rides.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { startServerProcess, type ServerProcess } from '../../support/serverProcess.js';

/**
 * Rides under the load harness: RIDES rides of 4 riders on one server process; every host tunes end to end every
 * ~2 s for 30 s and every rider reacts at twice what the server allows, so the server's reaction bound is what
 * bounds what everyone sees. 60 rides by default (a couple of minutes on a 2-core CI box), RIDES_UNDER_HARNESS=200
 * for the full 200 × 4.
 */
const RIDES = Number(process.env.RIDES_UNDER_HARNESS) || 60;
const RIDERS = 4;
const DURATION_SEC = 30;
/** The server's RIDE_REACTIONS_PER_10S here, and what each harness rider tries (twice that). */
const REACTIONS_PER_10S = 3;
const TRIED_PER_10S = 2 * REACTIONS_PER_10S;
/**
 * Host input → rider patch p99, measured by the harness. The goal is 100 ms; the server's own part of it (input arrival →
 * the patch every member gets) is held to that below. End to end also counts the harness's event loop, which runs
 * every bot on the same two cores as the server (in CI beside nothing else, on a dev box beside other work): 60 × 4
 * read 8–14 ms at load 2–5; 200 × 4 read 16 ms at load 2 but 456 ms at load 5–7, while the server's part read 5–6 ms
 * (2026-11-27). 250 ms holds at the default scale on such a box and still fails a ride that falls several patch steps
 * behind.
 */
const RIDER_P99_BOUND_MS = 250;
const TOKEN = 'rides-under-harness-token-0123456789';

describe(`rides under the load harness (${RIDES} rides × ${RIDERS} riders, reactions, ${DURATION_SEC} s)`, function () {
  this.timeout(600_000);
  let db: TestDatabase;
  let server: ServerProcess;
  let result: RideRunResult;
  const report = () => JSON.stringify(result, null, 1);

  before(async () => {
    db = await createTestDatabase({ migrate: false });
    server = await startServerProcess({
      DATABASE_URL: db.url,
      TRANSPORT: 'uws',
      REDIS_URL: undefined,
      ADMIN_TOKEN: TOKEN,
      LOG_LEVEL: 'warn',
      JOBS_ENABLED: 'false',
      RIDE_REACTIONS_PER_10S: String(REACTIONS_PER_10S),
    });
    const args = ['--sessions', String(RIDES), '--riders', String(RIDERS), '--reactions', String(TRIED_PER_10S), '--duration', String(DURATION_SEC)];
    const options = parseArgs([...args, '--quiet', '--url', server.baseUrl.replace('http', 'ws'), '--admin-token', TOKEN], {});
    result = await runRides(options, `${RIDES} rides × ${RIDERS} riders`, () => undefined);
    const { lagMs, server: s, reactions: x } = result;
    console.log(
      `      rider p50 ${lagMs.rider.p50} / p99 ${lagMs.rider.p99} ms (n ${lagMs.rider.n}); server p99 ${s.lagMs?.p99} ms; CPU ${s.cpuPercentAvg} %;` +
        ` loop delay p99 harness ${result.harnessLoopDelayMs.p99}, server ${s.loopDelayMs?.p99} ms;` +
        ` reactions sent ${x?.sent}, shown ${x?.shown}, refused ${x?.refused}, most from one rider ${x?.maxShownPerRider}`,
    );
  });

  after(async () => {
    await server?.stop('SIGTERM');
    await db?.drop();
  });

  it('forms every ride with all its riders, and the server counts them', () => {
    assert.deepEqual(result.failures, [], report());
    assert.deepEqual(result.joined, { hosts: RIDES, riders: RIDES * RIDERS }, report());
    assert.equal(result.server.rides, RIDES, report());
    assert.equal(result.server.riders, RIDES * RIDERS, report());
  });

  it(`carries host input to every rider: patch p99 under ${RIDER_P99_BOUND_MS} ms end to end, 100 ms in the server`, () => {
    const { rider, host } = result.lagMs;
    // Each tune is seen by the host and by every rider: a rider that missed patches would show as fewer samples.
    assert.ok(result.tunes > RIDES * (DURATION_SEC / 3), report());
    assert.ok(rider.n >= result.tunes * RIDERS * 0.9, `rider samples ${rider.n} for ${result.tunes} tunes\n${report()}`);
    assert.ok(host.n > 0 && rider.p99 !== null, report());
    assert.ok(rider.p99 < RIDER_P99_BOUND_MS, `rider p99 ${rider.p99} ms\n${report()}`);
    const s = result.server.lagMs;
    assert.ok(s && s.n > 0 && s.under100ms !== null, `no ds_ride_host_to_rider_lag_seconds samples\n${report()}`);
    assert.ok(s.under100ms >= 0.99, `${s.under100ms} of inputs reached every member within 100 ms in the server\n${report()}`);
  });

  it('shows each reaction to every member once, and no more per rider than the server allows', () => {
    const x = result.reactions!;
    assert.ok(x.sent > 0 && x.shown > 0, report());
    assert.ok(x.refused > 0, `riders react twice as often as allowed, yet none was refused\n${report()}`);
    // Each reaction sent is shown or refused, once, and the server counted the same.
    assert.equal(x.shown + x.refused, x.sent, report());
    assert.equal(x.server.shown, x.shown, report());
    assert.equal(x.server.limited, x.refused, report());
    assert.equal(x.delivered, x.expected, report());
    // A rider's bucket holds REACTIONS_PER_10S and refills that many per 10 s over the window (+1 s for arrival jitter).
    const perRider = Math.floor(REACTIONS_PER_10S * (1 + (x.windowSec + 1) / 10));
    assert.ok(x.maxShownPerRider <= perRider, `one rider had ${x.maxShownPerRider} shown, at most ${perRider}\n${report()}`);
    assert.ok(x.shown <= RIDES * RIDERS * perRider, report());
  });

  it('leaves no rider alone, and answers no error but the reaction bound', () => {
    assert.deepEqual(result.alone, { ridersClosed: 0, ridesEnded: 0, ridesShortOfRiders: 0 }, report());
    assert.deepEqual(Object.keys(result.errors), ['react:RATE_LIMITED'], report());
    const errorLines = server
      .output()
      .split('\n')
      .filter((l) => /"level":(5\d|60)/.test(l));
    assert.deepEqual(errorLines, [], 'no error-level log line');
  });
});
