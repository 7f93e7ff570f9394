/**
 * `npm run loadtest -- --sessions 1000 --spectators 200 --duration 60 [--url ws://127.0.0.1:2567]
 * [--ramp 30] [--workers N] [--out FILE] [--admin-token T] [--spawn uws|ws [--jobs separate|inprocess]] [--compare-transports]`
 * Prints a table and writes the full results as JSON. Exit code 0 when the run completed (even with
 * failed joins: those are results), 1 on a harness error, 2 on bad arguments, 3 when a `--soak` fails its rule.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ArgsError, parseArgs, type LoadTestOptions } from './args.js';
import { formatJoinFailures, formatTable } from './report.js';
import { runLoad, type RunResult } from './runner.js';
import { runSoak, type SoakResult } from './soak.js';
import { formatSamples, formatVerdict } from './soakVerdict.js';
import { jobsPlan, spawnJobsProcess } from './jobsProcess.js';
import { clusterEnv, spawnCluster, spawnServer, type SpawnedServer } from './spawnServer.js';
import { ridesMain } from './rides.js';

const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** Whether `name` is on the PATH. */
function commandExists(name: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir !== '' && fs.existsSync(path.join(dir, name)));
}

/** Starts the servers the options ask for (one, or a cluster sharing Redis), runs `fn`, stops them. */
export async function withSpawned<T>(
  o: LoadTestOptions,
  transport: 'uws' | 'ws',
  resultsDir: string,
  fn: (servers: SpawnedServer[], o: LoadTestOptions) => Promise<T>,
): Promise<T> {
  const cwd = o.serverDir ? path.resolve(o.serverDir) : undefined;
  if (cwd && !fs.existsSync(path.join(cwd, 'src/main.ts')))
    throw new ArgsError(`--server-dir ${cwd} holds no src/main.ts: give the root of a checkout of this project (with its node_modules)`);
  if (o.serverCpus && !commandExists('taskset')) throw new ArgsError('--server-cpus needs taskset (util-linux) on this machine');
  // A cluster's Redis is chosen here, not in spawnCluster, so the plan's env and the cluster's agree.
  const plan = jobsPlan(o, o.processes > 1 ? clusterEnv(o.serverEnv) : o.serverEnv);
  const spawnOptions = { transport, adminDatabaseUrl: o.databaseUrl, env: plan.roomEnv, cpuProfDir: o.serverCpuProf, logDir: resultsDir, cwd };
  log(o.processes > 1 ? `starting ${o.processes} ${transport} processes (one fresh database, one Redis)…` : `starting a ${transport} server (fresh database)…`);
  const servers: SpawnedServer[] =
    o.processes > 1
      ? await spawnCluster(o.processes, { ...spawnOptions, cpus: o.serverCpus })
      : [await spawnServer({ ...spawnOptions, cpu: o.serverCpus?.[0] })];
  let jobs: SpawnedServer | undefined;
  try {
    for (const server of servers) log(`${transport} server on ${server.url} (log: ${server.logFile})`);
    // The jobs process is neither loaded nor sampled: the run's server figures are the room processes'.
    jobs = await spawnJobsProcess(plan, servers, { ...spawnOptions, cpuProfDir: undefined });
    const roomsOff = plan.jobs?.env.ROOMS_ENABLED === 'false' ? ' and hosts no rooms (ROOMS_ENABLED=false)' : '';
    log(
      jobs
        ? `jobs process on ${jobs.url} (log: ${jobs.logFile})${roomsOff}; room processes run JOBS_ENABLED=false`
        : 'jobs run in the room processes (--jobs inprocess)',
    );
    const urls = servers.map((s) => s.url);
    return await fn(servers, {
      ...o,
      url: urls[0],
      urls,
      adminToken: servers[0].adminToken,
      redisUrl: o.redisUrl ?? (o.processes > 1 ? 'redis://127.0.0.1:6379' : undefined),
      statementsDatabaseUrl: o.statementsDatabaseUrl ?? servers[0].databaseUrl,
    });
  } finally {
    // The jobs process shares the first server's database, which that server drops when it stops.
    await jobs?.stop();
    for (const server of [...servers].reverse()) await server.stop();
  }
}

function runAgainstSpawned(o: LoadTestOptions, transport: 'uws' | 'ws', resultsDir: string): Promise<RunResult> {
  return withSpawned(o, transport, resultsDir, (_servers, spawned) => runLoad(spawned, o.processes > 1 ? `${transport} × ${o.processes}` : transport, log));
}

/** `--soak`: the churn run against spawned servers; prints the samples and the verdict, writes the JSON. */
export async function soakMain(o: LoadTestOptions): Promise<SoakResult> {
  const soak = o.soak!;
  const out = o.out ?? path.join('loadtest-results', `soak-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const result = await withSpawned(o, o.spawn ?? 'uws', path.dirname(out), (servers, spawned) => {
    const options = {
      minutes: soak.minutes,
      sessions: o.sessions,
      sampleSec: soak.sampleSec,
      warmupSec: soak.warmupSec,
      rampSec: o.rampSec,
      lifeSec: soak.lifeSec,
      dropChance: o.dropFraction,
      workers: o.workers,
      seed: o.seed,
      quiet: o.quiet,
    };
    return runSoak(options, servers, spawned.redisUrl, o.databaseUrl, o.processes > 1 ? `soak ${o.spawn} × ${o.processes}` : `soak ${o.spawn}`, log);
  });
  process.stdout.write(`\n${formatSamples(result.samples)}\n\n${formatVerdict(result.verdict)}\n`);
  fs.writeFileSync(out, JSON.stringify(result, null, 2));
  process.stdout.write(`results: ${out}\n`);
  return result;
}

/** Runs what the options ask for and returns every result (one, or uws + ws). */
export async function main(o: LoadTestOptions): Promise<RunResult[]> {
  const out = o.out ?? path.join('loadtest-results', `run-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const resultsDir = path.dirname(out);
  fs.mkdirSync(resultsDir, { recursive: true });
  const results: RunResult[] = [];
  if (o.compareTransports) {
    results.push(await runAgainstSpawned(o, 'uws', resultsDir));
    results.push(await runAgainstSpawned(o, 'ws', resultsDir));
  } else if (o.spawn) {
    results.push(await runAgainstSpawned(o, o.spawn, resultsDir));
  } else {
    results.push(await runLoad(o, o.url, log));
  }
  process.stdout.write(`\n${formatTable(results)}\n`);
  const failures = formatJoinFailures(results);
  if (failures) process.stdout.write(`${failures}\n`);
  for (const r of results) if (r.coliseum !== 'available' && r.coliseum !== 'not requested') process.stdout.write(`note: ${r.coliseum}\n`);
  fs.writeFileSync(out, JSON.stringify(results.length === 1 ? results[0] : results, null, 2));
  process.stdout.write(`results: ${out}\n`);
  return results;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('loadtest/cli.ts')) {
  let options: LoadTestOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof ArgsError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const run = options.soak
    ? soakMain(options).then((r) => (r.verdict.pass ? 0 : 3))
    : options.riders !== undefined
      ? ridesMain(options, log).then(() => 0)
      : main(options).then(() => 0);
  run.then(
    (code) => process.exit(code),
    (err: Error) => {
      // A bad argument found only at start-up (e.g. --server-dir) is still a usage error: its message, exit 2.
      process.stderr.write(err instanceof ArgsError ? `${err.message}\n` : `load test failed: ${err.stack ?? err.message}\n`);
      process.exit(err instanceof ArgsError ? 2 : 1);
    },
  );
}
