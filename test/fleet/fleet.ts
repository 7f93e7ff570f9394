/**
 * A fleet on real hosts, on one machine: N room hosts, a store host (a private Redis and PostgreSQL, each
 * on its own address), the nginx entry and a clients host, each in its own network namespace with its own
 * address on a bridge (10.231.0.0/24, or FLEET_SUBNET; nothing leaves the machine). The room hosts run the server as
 * production does behind deploy/nginx's entry: PUBLIC_ADDRESS = <entry>/<letter>, one Redis, one database.
 *
 * Addresses: .1 the bridge (this process, the operator's vantage), .2 the entry, .3 the clients,
 * .10 Redis, .11 PostgreSQL, .12 the latency relay, .21… the room hosts.
 *
 * Everything a fleet makes is undone by {@link Fleet.down}, which is synchronous and also runs on
 * process exit, SIGINT and SIGTERM, and when start() fails half-way.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { RunResult } from '../../loadtest/runner.js';
import { RAISED_LIMITS } from '../support/serverProcess.js';
import { serverEntryCommand } from '../support/serverBuild.js';
import { Network, SUBNET, whyUnavailable, FleetUnavailable } from './net.js';
import { canQuery, makeStore, query, spawnOn, waitFor, type Proc, type Store } from './processes.js';
import { startEntry } from './entry.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PORT = 2567;
export const ENTRY_ADDRESS = `${SUBNET}.2`;
export const CLIENTS_ADDRESS = `${SUBNET}.3`;
const REDIS_ADDRESS = `${SUBNET}.10`;
const POSTGRES_ADDRESS = `${SUBNET}.11`;
const RELAY_ADDRESS = `${SUBNET}.12`;
const LETTERS = 'abcdefghijklmnop';

export interface FleetOptions {
  roomHosts?: number;
  /** Latency added to every round trip between a room host and the store (a relay on the store host, half each way). */
  storeRttMs?: number;
  /** Extra environment for every room host. */
  serverEnv?: Record<string, string>;
  /** Where logs go (default a temp dir, removed by down() unless `keepLogs` or FLEET_KEEP_LOGS=1). */
  logDir?: string;
  keepLogs?: boolean;
  log?: (line: string) => void;
}

export interface RoomHost {
  name: string;
  letter: string;
  address: string;
  /** The Colyseus process id of its current server process. */
  processId?: string;
  proc?: Proc;
}

const live = new Set<Fleet>();
let handlersInstalled = false;
function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.once('exit', () => live.forEach((f) => f.down()));
  // `on`, not `once`: with no listener left, a second signal (mocha's parent process sends SIGINT, then
  // SIGTERM, right after the terminal's) would take its default action and kill this process mid-teardown.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      live.forEach((f) => f.down());
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

export class Fleet {
  readonly net: Network;
  readonly dir: string;
  readonly hosts: RoomHost[] = [];
  readonly entryUrl = `http://${ENTRY_ADDRESS}`;
  readonly redisUrl = `redis://${REDIS_ADDRESS}:6379`;
  readonly databaseUrl = `postgres://postgres@${POSTGRES_ADDRESS}:5432/deepstream`;
  readonly adminToken = randomBytes(24).toString('hex');
  readonly authSecret = randomBytes(32).toString('hex');
  readonly redisPrefix = 'ds:';
  store!: Store;
  private readonly others: Proc[] = [];
  private readonly relays: Proc[] = [];
  private readonly log: (line: string) => void;

  private constructor(readonly options: FleetOptions) {
    this.net = new Network(randomBytes(2).toString('hex'));
    this.dir = options.logDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ds-fleet-'));
    fs.mkdirSync(this.dir, { recursive: true });
    fs.chmodSync(this.dir, 0o755); // the postgres user reaches its data directory inside
    this.log = options.log ?? (() => undefined);
  }

  /** Builds the fleet; refuses with {@link FleetUnavailable} where it cannot run; undoes everything if a step fails. */
  static async start(options: FleetOptions = {}): Promise<Fleet> {
    const why = whyUnavailable();
    if (why) throw new FleetUnavailable(why);
    installHandlers();
    const fleet = new Fleet(options);
    live.add(fleet);
    try {
      await fleet.build(options.roomHosts ?? 3);
      return fleet;
    } catch (err) {
      fleet.down();
      throw err;
    }
  }

  private async build(count: number): Promise<void> {
    const started = Date.now();
    this.net.up();
    this.net.addHost('store', [REDIS_ADDRESS, POSTGRES_ADDRESS, RELAY_ADDRESS]);
    this.net.addHost('entry', [ENTRY_ADDRESS]);
    this.net.addHost('clients', [CLIENTS_ADDRESS]);
    for (let i = 0; i < count; i++) {
      const host: RoomHost = { name: `h${i + 1}`, letter: LETTERS[i], address: `${SUBNET}.${21 + i}` };
      this.net.addHost(host.name, [host.address]);
      this.hosts.push(host);
    }
    this.store = makeStore(this.net, this.dir, REDIS_ADDRESS, POSTGRES_ADDRESS);
    await Promise.all([this.store.startRedis(), this.store.startPostgres()]);
    await query(this.databaseUrl.replace(/deepstream$/, 'postgres'), 'CREATE DATABASE deepstream');
    if (this.options.storeRttMs) {
      this.startRelays(this.options.storeRttMs / 2);
      await waitFor('latency relays', async () => canQuery(this.databaseUrl.replace(POSTGRES_ADDRESS, RELAY_ADDRESS)), 20_000);
    }
    this.others.push(
      await startEntry(
        this.net,
        this.dir,
        this.hosts.map((h) => ({ letter: h.letter, upstream: `${h.address}:${PORT}` })),
      ),
    );
    // One after the other: the first migrates the empty database, and each new process id is told apart in Redis.
    for (const host of this.hosts) await this.startHost(host.name);
    this.log(`fleet up in ${Date.now() - started} ms: ${count} room hosts, store, entry ${this.entryUrl}, logs ${this.dir}`);
  }

  private startRelays(oneWayMs: number): void {
    for (const [name, target] of [
      ['relay-redis', `${REDIS_ADDRESS}:6379`],
      ['relay-postgres', `${POSTGRES_ADDRESS}:5432`],
    ]) {
      const listen = `${RELAY_ADDRESS}:${target.split(':')[1]}`;
      const relay = spawnOn(
        this.net,
        'store',
        name,
        [process.execPath, '--import', 'tsx', 'test/fleet/relay.ts', listen, target, String(oneWayMs), String(oneWayMs), 'off'],
        this.dir,
        process.env,
        ROOT,
      );
      this.others.push(relay);
      this.relays.push(relay);
    }
  }

  /** Turns the latency to the store on or off (a fleet started with `storeRttMs` boots without it). */
  setStoreLatency(on: boolean): void {
    if (this.relays.length === 0) throw new Error('this fleet has no latency relay: start it with storeRttMs');
    for (const relay of this.relays) relay.child.kill(on ? 'SIGUSR2' : 'SIGUSR1');
  }

  /** Session clients connected over the fleet now: each live host's own /metrics (`ds_room_clients{room="session"}`). */
  async ccu(): Promise<number> {
    const counts = await Promise.all(
      this.hosts.map(async (h) => {
        if (!this.alive(h.name)) return 0;
        const text = await fetch(`http://${h.address}:${PORT}/metrics`, {
          headers: { authorization: `Bearer ${this.adminToken}` },
          signal: AbortSignal.timeout(3000),
        }).then(
          (r) => r.text(),
          () => '',
        );
        const line = text.split('\n').find((l) => l.startsWith('ds_room_clients{') && l.includes('room="session"'));
        return line ? Number(line.split(' ').pop()) : 0;
      }),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  host(name: string): RoomHost {
    const h = this.hosts.find((x) => x.name === name);
    if (!h) throw new Error(`no room host ${name}`);
    return h;
  }

  private hostEnv(host: RoomHost): NodeJS.ProcessEnv {
    const viaRelay = !!this.options.storeRttMs;
    const redis = viaRelay ? `redis://${RELAY_ADDRESS}:6379` : this.redisUrl;
    const database = viaRelay ? this.databaseUrl.replace(POSTGRES_ADDRESS, RELAY_ADDRESS) : this.databaseUrl;
    return {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      ...RAISED_LIMITS,
      ASSET_ARTWORK: 'false',
      PASSPORT_MAX_LAG_MS: '5000',
      HTTP_TRUST_FORWARDED_FOR: 'true',
      TRANSPORT: 'uws',
      ...this.options.serverEnv,
      HOST: '0.0.0.0',
      PORT: String(PORT),
      PUBLIC_ADDRESS: `${ENTRY_ADDRESS}:80/${host.letter}`,
      REDIS_URL: redis,
      REDIS_PREFIX: this.redisPrefix,
      DATABASE_URL: database,
      AUTH_SECRET: this.authSecret,
      ADMIN_TOKEN: this.adminToken,
    };
  }

  /** Starts the host's server process and waits until it serves /health and has announced itself (its process id). */
  async startHost(name: string): Promise<number> {
    const host = this.host(name);
    const started = Date.now();
    const before = new Set(Object.keys(await this.roomHostAnnouncements()));
    const command = serverEntryCommand();
    host.proc = spawnOn(this.net, name, `server-${name}`, command, this.dir, this.hostEnv(host), ROOT);
    const proc = host.proc;
    await waitFor(
      `server on ${name}`,
      async () => (await fetch(`http://${host.address}:${PORT}/health`, { signal: AbortSignal.timeout(1000) })).status === 200,
      60_000,
      () => proc.child.exitCode !== null,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${proc.log().slice(-3000)}`);
    });
    await waitFor(
      `${name} announced`,
      async () => {
        const fresh = Object.keys(await this.roomHostAnnouncements()).filter((id) => !before.has(id));
        host.processId = fresh[0];
        return fresh.length === 1;
      },
      10_000,
    );
    return Date.now() - started;
  }

  /** Whether the host's server process is running (not exited, not killed by a signal). */
  alive(name: string): boolean {
    const child = this.host(name).proc?.child;
    return !!child && child.exitCode === null && child.signalCode === null;
  }

  /** Kills every process on the host (SIGKILL): the host is lost. */
  killHost(name: string): number {
    return this.net.signalAll(name, 'SIGKILL');
  }

  /**
   * Stops the host's server with `signal` (SIGTERM: a drain), waits for its exit, starts it again. Returns the exit
   * code, the ms until it served again, and of those the boot's (the drain's last as long as the others re-admit).
   */
  async restartHost(name: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; backMs: number; bootMs: number }> {
    const start = Date.now();
    const code = (await this.host(name).proc?.stop(signal, 60_000)) ?? null;
    const bootMs = await this.startHost(name);
    return { code, backMs: Date.now() - start, bootMs };
  }

  /** The host cannot reach Redis, nor Redis it (silent drops); Postgres, the entry and its clients still reach it. */
  partitionFromRedis(name: string): void {
    this.net.partition(name, REDIS_ADDRESS);
  }

  healFromRedis(name: string): void {
    this.net.heal(name, REDIS_ADDRESS);
  }

  /** `processId → epoch ms` of the room hosts' announcements (src/roomHosts.ts). */
  async roomHostAnnouncements(): Promise<Record<string, string>> {
    return this.withRedis((r) => r.hgetall(`${this.redisPrefix}roomhosts`));
  }

  async withRedis<T>(fn: (r: Redis) => Promise<T>): Promise<T> {
    const redis = new Redis(this.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000, retryStrategy: () => null });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      return await fn(redis);
    } finally {
      redis.disconnect();
    }
  }

  query<T>(text: string, params: unknown[] = []): Promise<T[]> {
    return query<T>(this.databaseUrl, text, params);
  }

  /**
   * Lines of a host's server log that report an unhandled rejection (src/main.ts logs them), an uncaught
   * exception or a crash. A MaxRetriesPerRequestError the server caught and logged is not one of them.
   */
  unhandled(name: string): string[] {
    return this.logLines(name, /unhandled promise rejection|uncaught exception|uncaughtException|FATAL ERROR/i);
  }

  /** Lines of a host's server log (every process it ran) matching `pattern`. */
  logLines(name: string, pattern: RegExp): string[] {
    return this.hostLogs(name)
      .split('\n')
      .filter((l) => pattern.test(l));
  }

  /** Lines of the nginx entry's error log matching `pattern` ("no live upstreams", upstream resets). */
  entryLogLines(pattern: RegExp): string[] {
    const file = path.join(this.dir, 'nginx', 'error.log');
    return fs.existsSync(file)
      ? fs
          .readFileSync(file, 'utf8')
          .split('\n')
          .filter((l) => pattern.test(l))
      : [];
  }

  private hostLogs(name: string): string {
    const file = path.join(this.dir, `server-${name}.log`);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  }

  /** Runs the load harness (loadtest/cli.ts) on the clients host against the entry; resolves with its JSON result. */
  async harness(args: string[], label = 'harness'): Promise<{ result: Partial<RunResult>; code: number | null; log: string }> {
    const out = path.join(this.dir, `${label}.json`);
    const argv = [process.execPath, '--import', 'tsx', 'loadtest/cli.ts', '--url', `ws://${ENTRY_ADDRESS}:80`, '--quiet', '--out', out, ...args];
    const proc = spawnOn(this.net, 'clients', label, argv, this.dir, { ...process.env, ADMIN_TOKEN: '' }, ROOT);
    this.others.push(proc);
    const code = await proc.exited;
    const result = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : {};
    return { result, code, log: proc.log() };
  }

  /** Removes everything the fleet made. Synchronous: safe in exit handlers; idempotent. */
  down(): void {
    if (!live.has(this)) return;
    live.delete(this);
    this.net.down();
    if (!this.options.keepLogs && process.env.FLEET_KEEP_LOGS !== '1' && !this.options.logDir) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export { FleetUnavailable };
