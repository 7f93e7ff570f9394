/**
 * `npm run fleet -- <command> [options]`: the fleet testbed by hand (root only).
 *   check                     say whether this machine can run a fleet, and why not
 *   up                        start a fleet and keep it until Ctrl-C (prints its addresses)
 *   load                      start a fleet, run the load harness on its clients host, print the table and the hosts' CPU, stop
 *   efficiency                the same load on one room host, then on --hosts (default 3), each at half and at all the
 *                             sessions: CPU per session, where the difference goes (fixed per process, per session),
 *                             cross-host join p50/p99 (test/fleet/efficiency.ts)
 *   clean                     remove namespaces and links a killed run left behind (names dsf…, or FLEET_NAME_PREFIX…)
 * Options: --hosts N (room hosts, default 3)  --store-rtt MS (latency to the store)  --loss PCT (packet loss
 * on the room hosts' links)  --keep-logs  --placement local|least_rooms (ROOM_PLACEMENT of the hosts)  and for
 * `load`/`efficiency`: --sessions N --spectators N --duration S --ramp S (passed to loadtest/cli.ts), --out FILE (JSON).
 * Environment: FLEET_NAME_PREFIX, FLEET_SUBNET (a second testbed beside the first), FLEET_KEEP_LOGS=1 (net.ts, fleet.ts).
 * Exit codes: 0 done, 1 failure, 2 bad arguments, 3 this machine cannot run a fleet.
 */
import { parseArgs } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import { buildServerForTests } from '../support/serverBuild.js';
import { formatTable } from '../../loadtest/report.js';
import { cleanLeftovers, whyUnavailable } from './net.js';
import { Fleet, FleetUnavailable, type FleetOptions } from './fleet.js';
import { describeEfficiency, measureLoad, type LoadFigures, type LoadOptions } from './efficiency.js';

const USAGE =
  'usage: npm run fleet -- check|up|load|efficiency|clean [--hosts N] [--store-rtt MS] [--loss PCT] [--keep-logs] [--placement local|least_rooms] [--sessions N] [--spectators N] [--duration S] [--ramp S] [--out FILE]';
const COMMANDS = ['check', 'up', 'load', 'efficiency', 'clean'];
const log = (line: string) => void process.stderr.write(`${line}\n`);

function options() {
  try {
    return parseArgs({
      allowPositionals: true,
      strict: true,
      options: {
        hosts: { type: 'string', default: '3' },
        'store-rtt': { type: 'string', default: '0' },
        loss: { type: 'string', default: '0' },
        'keep-logs': { type: 'boolean', default: false },
        placement: { type: 'string', default: 'local' },
        sessions: { type: 'string', default: '90' },
        spectators: { type: 'string', default: '0' },
        duration: { type: 'string', default: '20' },
        ramp: { type: 'string', default: '5' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    log(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

function int(name: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) {
    log(`--${name} must be a number between ${min} and ${max}, got "${raw}"\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<number> {
  const { values: v, positionals } = options();
  const command = positionals[0];
  if (v.help || !command || !COMMANDS.includes(command)) return (log(USAGE), v.help ? 0 : 2);
  if (command === 'clean') {
    const removed = cleanLeftovers();
    log(removed.length ? `removed ${removed.join(', ')}` : 'nothing to remove');
    return 0;
  }
  const why = whyUnavailable();
  if (command === 'check' || why) return (log(why ? `cannot run a fleet here: ${why}` : 'this machine can run a fleet'), why ? 3 : 0);
  if (!['local', 'least_rooms'].includes(v.placement)) return (log(`--placement must be local or least_rooms\n${USAGE}`), 2);
  const hosts = int('hosts', v.hosts, command === 'efficiency' ? 2 : 1, 16);
  const loss = int('loss', v.loss, 0, 100);
  const load: LoadOptions = {
    sessions: int('sessions', v.sessions, 1, 100_000),
    spectators: int('spectators', v.spectators, 0, 10_000),
    duration: int('duration', v.duration, 5, 86_400),
    ramp: int('ramp', v.ramp, 0, 3600),
  };
  const fleetOptions: FleetOptions = {
    storeRttMs: int('store-rtt', v['store-rtt'], 0, 10_000),
    keepLogs: v['keep-logs'],
    serverEnv: { ROOM_PLACEMENT: v.placement },
    log,
  };
  await buildServerForTests();
  process.env.DS_TEST_SERVER_BUILT = '1';
  const runs: LoadFigures[] = [];
  for (const size of command === 'efficiency' ? [1, hosts] : [hosts]) {
    const fleet = await Fleet.start({ ...fleetOptions, roomHosts: size });
    if (loss) for (const h of fleet.hosts) fleet.net.addLoss(h.name, loss);
    try {
      log(`entry ${fleet.entryUrl}  redis ${fleet.redisUrl}  postgres ${fleet.databaseUrl}  admin token ${fleet.adminToken}`);
      for (const h of fleet.hosts) log(`${h.name} ${h.address} process ${h.processId} via ${fleet.entryUrl}/${h.letter}/  ns ${fleet.net.host(h.name).ns}`);
      if (command === 'up') {
        log('up; Ctrl-C tears it down');
        await new Promise(() => undefined); // the SIGINT handler tears down and exits
      }
      // Two loads per size (half, then all the sessions) fit busy = a + c × sessions: what is fixed and what is per session.
      const levels = command === 'efficiency' ? [Math.max(1, Math.round(load.sessions / 2)), load.sessions] : [load.sessions];
      for (const sessions of levels) {
        const figures = await measureLoad(fleet, { ...load, sessions }, log);
        if (command === 'load') process.stdout.write(`${formatTable([figures.result as never])}\n`);
        runs.push(figures);
      }
    } finally {
      fleet.down();
    }
  }
  process.stdout.write(`${describeEfficiency(runs)}\n`);
  if (v.out) fs.writeFileSync(v.out, JSON.stringify({ command: process.argv.slice(2), machine: machine(), runs }, null, 1));
  return 0;
}

/** What the figures were taken on, for BENCHMARKS.md. */
function machine() {
  return { cores: os.availableParallelism(), model: os.cpus()[0]?.model, kernel: os.release(), node: process.version, at: new Date().toISOString() };
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    log(err instanceof FleetUnavailable ? `cannot run a fleet here: ${err.message}` : `fleet failed: ${err.stack ?? err.message}`);
    process.exit(err instanceof FleetUnavailable ? 3 : 1);
  },
);
