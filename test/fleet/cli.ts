/**
 * `npm run fleet -- <command> [options]`: the fleet testbed by hand (root only).
 *   check                     say whether this machine can run a fleet, and why not
 *   up                        start a fleet and keep it until Ctrl-C (prints its addresses)
 *   load                      start a fleet, run the load harness on its clients host, print the table, stop
 *   clean                     remove namespaces and links a killed run left behind (names dsf…, or FLEET_NAME_PREFIX…)
 * Options: --hosts N (room hosts, default 3)  --store-rtt MS (latency to the store)  --loss PCT (packet loss
 * on the room hosts' links)  --keep-logs  and for `load`: --sessions N --duration S --ramp S (passed to loadtest/cli.ts).
 * Environment: FLEET_NAME_PREFIX, FLEET_SUBNET (a second testbed beside the first), FLEET_KEEP_LOGS=1 (net.ts, fleet.ts).
 * Exit codes: 0 done, 1 failure, 2 bad arguments, 3 this machine cannot run a fleet.
 */
import { parseArgs } from 'node:util';
import { buildServerForTests } from '../support/serverBuild.js';
import fs from 'node:fs';
import { formatTable } from '../../loadtest/report.js';
import { loaded } from './scenario.js';
import { cleanLeftovers, whyUnavailable } from './net.js';
import { Fleet, FleetUnavailable } from './fleet.js';

const USAGE = 'usage: npm run fleet -- check|up|load|clean [--hosts N] [--store-rtt MS] [--loss PCT] [--keep-logs] [--sessions N] [--duration S] [--ramp S]';
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
        sessions: { type: 'string', default: '90' },
        duration: { type: 'string', default: '20' },
        ramp: { type: 'string', default: '5' },
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
  if (v.help || !command || !['check', 'up', 'load', 'clean'].includes(command)) return (log(USAGE), v.help ? 0 : 2);
  if (command === 'clean') {
    const removed = cleanLeftovers();
    log(removed.length ? `removed ${removed.join(', ')}` : 'nothing to remove');
    return 0;
  }
  const why = whyUnavailable();
  if (command === 'check' || why) return (log(why ? `cannot run a fleet here: ${why}` : 'this machine can run a fleet'), why ? 3 : 0);
  const hosts = int('hosts', v.hosts, 2, 16);
  const loss = int('loss', v.loss, 0, 100);
  await buildServerForTests();
  process.env.DS_TEST_SERVER_BUILT = '1';
  const fleet = await Fleet.start({ roomHosts: hosts, storeRttMs: int('store-rtt', v['store-rtt'], 0, 10_000), keepLogs: v['keep-logs'], log });
  if (loss) for (const h of fleet.hosts) fleet.net.addLoss(h.name, loss);
  try {
    log(`entry ${fleet.entryUrl}  redis ${fleet.redisUrl}  postgres ${fleet.databaseUrl}  admin token ${fleet.adminToken}`);
    for (const h of fleet.hosts) log(`${h.name} ${h.address} process ${h.processId} via ${fleet.entryUrl}/${h.letter}/  ns ${fleet.net.host(h.name).ns}`);
    if (command === 'up') {
      log('up; Ctrl-C tears it down');
      await new Promise(() => undefined); // the SIGINT handler tears down and exits
    }
    const sessions = int('sessions', v.sessions, 1, 100_000);
    const duration = int('duration', v.duration, 1, 86_400);
    const running = fleet.harness(['--sessions', String(sessions), '--duration', String(duration), '--ramp', String(int('ramp', v.ramp, 0, 3600))]);
    // Each host's CPU over the steady state (from /proc: the harness samples one process's metrics at most, through
    // the entry): from the moment the fleet holds 95 % of the sessions until 2 s before the harness's duration ends.
    const steady = loaded(fleet, Math.floor(sessions * 0.95), 120_000).then(async () => {
      const from = { at: Date.now(), cpu: fleet.hosts.map((h) => cpuSeconds(h.proc?.child.pid)) };
      await new Promise((r) => setTimeout(r, Math.max(1000, (duration - 2) * 1000 - 5000)));
      const ccu = await fleet.ccu();
      const sec = (Date.now() - from.at) / 1000;
      const pct = fleet.hosts.map((h, i) => ((cpuSeconds(h.proc?.child.pid) - from.cpu[i]) / sec) * 100);
      return `room hosts' CPU over ${sec.toFixed(1)} s of steady state with ${ccu} sessions: ${fleet.hosts.map((h, i) => `${h.name} ${pct[i].toFixed(1)} %`).join(', ')}; sum ${pct.reduce((a, b) => a + b, 0).toFixed(1)} % of a core`;
    });
    const run = await running;
    if (run.code !== 0) throw new Error(`the harness exited ${run.code}:\n${run.log.slice(-3000)}`);
    process.stdout.write(`${formatTable([run.result as never])}\n`);
    log(await steady.catch((err: Error) => `room hosts' CPU not measured: ${err.message}`));
    return 0;
  } finally {
    fleet.down();
  }
}

/** User + system CPU seconds of a process and its threads (/proc/<pid>/stat, clock ticks of 1/100 s). */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    log(err instanceof FleetUnavailable ? `cannot run a fleet here: ${err.message}` : `fleet failed: ${err.stack ?? err.message}`);
    process.exit(err instanceof FleetUnavailable ? 3 : 1);
  },
);
