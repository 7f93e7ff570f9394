/**
 * One soak sample of everything a leak would show in: each server's GET /metrics (RSS, heap used, active
 * handles and timers from prom-client's process defaults, rooms and session clients), Redis (keys of the
 * run's database, channel and pattern subscriptions held by that database's connections, and the
 * server-wide PUBSUB CHANNELS / NUMPAT for reference), and Postgres (pg_stat_activity rows of the run's
 * database). A part that cannot be read becomes null and its error is kept; the sample never throws.
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import { parsePrometheusText, valueOf } from './promText.js';

export interface ProcessSample {
  rssMb: number | null;
  heapUsedMb: number | null;
  /** ds_heap_used_after_gc_bytes: the heap just after the latest collection (what survives). */
  heapAfterGcMb: number | null;
  handles: number | null;
  timers: number | null;
  rooms: number | null;
  sessionRooms: number | null;
  sessionClients: number | null;
}

export interface SoakSample extends ProcessSample {
  /** Seconds since the soak started. */
  t: number;
  phase: 'idle' | 'ramp' | 'warmup' | 'steady' | 'drain';
  /** Bots connected, as the workers last reported. */
  population: number;
  redisKeys: number | null;
  /** Channel / pattern subscriptions of the connections on the run's Redis database (CLIENT LIST sub=, psub=). */
  redisChannels: number | null;
  redisPatterns: number | null;
  redisClients: number | null;
  /** Server-wide, for reference: other users of the same Redis count here too. */
  pubsubChannelsAll: number | null;
  pubsubPatternsAll: number | null;
  pgConnections: number | null;
  processes: ProcessSample[];
}

export interface ProbeTarget {
  url: string;
  adminToken: string;
}

const MB = 2 ** 20;
const sum = (xs: Array<number | null>): number | null =>
  xs.some((x) => x === null) ? null : Math.round(xs.reduce<number>((s, x) => s + (x as number), 0) * 10) / 10;

/** Reads one server's /metrics into a {@link ProcessSample} (nulls when unreadable). */
export function processSampleOf(text: string | null): ProcessSample {
  if (text === null)
    return { rssMb: null, heapUsedMb: null, heapAfterGcMb: null, handles: null, timers: null, rooms: null, sessionRooms: null, sessionClients: null };
  const s = parsePrometheusText(text);
  const mb = (v: number | null) => (v === null ? null : Math.round((v / MB) * 10) / 10);
  return {
    rssMb: mb(valueOf(s, 'process_resident_memory_bytes')),
    heapUsedMb: mb(valueOf(s, 'nodejs_heap_size_used_bytes')),
    // 0 until the process's first collection (an unlabelled prom-client gauge always has a value).
    heapAfterGcMb: mb(valueOf(s, 'ds_heap_used_after_gc_bytes') || null),
    handles: valueOf(s, 'nodejs_active_handles_total'),
    // Only ref'd timers are active resources; an absent label means none are pending.
    timers: valueOf(s, 'nodejs_active_resources', { type: 'Timeout' }) ?? (valueOf(s, 'nodejs_active_resources_total') === null ? null : 0),
    rooms: valueOf(s, 'ds_rooms'),
    sessionRooms: valueOf(s, 'ds_rooms', { room: 'session' }),
    sessionClients: valueOf(s, 'ds_room_clients', { room: 'session' }),
  };
}

/** Sums of `sub=` / `psub=` and the number of connections over CLIENT LIST lines on database `db`. */
export function subscriptionsOf(clientList: string, db: number): { channels: number; patterns: number; clients: number } {
  let channels = 0;
  let patterns = 0;
  let clients = 0;
  for (const line of clientList.split('\n')) {
    const fields = new Map(
      line
        .trim()
        .split(' ')
        .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as const),
    );
    if (fields.get('db') !== String(db)) continue;
    clients++;
    channels += Number(fields.get('sub') ?? 0);
    patterns += Number(fields.get('psub') ?? 0);
  }
  return { channels, patterns, clients };
}

export class SoakProbe {
  readonly errors = new Map<string, string>();
  private readonly redis: Redis | null;
  private readonly redisDb: number;
  private readonly pgClient: pg.Client;
  private pgReady: Promise<void> | null = null;

  constructor(
    private readonly targets: readonly ProbeTarget[],
    redisUrl: string | undefined,
    adminDatabaseUrl: string,
    private readonly databaseName: string,
  ) {
    this.redis = redisUrl ? new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectionName: 'ds-soak-probe' }) : null;
    this.redis?.on('error', (err) => this.errors.set('redis', err.message));
    this.redisDb = redisUrl ? Number(new URL(redisUrl).pathname.slice(1) || 0) : 0;
    this.pgClient = new pg.Client({ connectionString: adminDatabaseUrl, connectionTimeoutMillis: 5000 });
  }

  async sample(t: number, phase: SoakSample['phase'], population: number): Promise<SoakSample> {
    const [texts, redis, pgConnections] = await Promise.all([Promise.all(this.targets.map((s) => this.scrape(s))), this.readRedis(), this.readPostgres()]);
    const processes = texts.map(processSampleOf);
    const total = (k: keyof ProcessSample) => sum(processes.map((p) => p[k]));
    return {
      t,
      phase,
      population,
      rssMb: total('rssMb'),
      heapUsedMb: total('heapUsedMb'),
      heapAfterGcMb: total('heapAfterGcMb'),
      handles: total('handles'),
      timers: total('timers'),
      rooms: total('rooms'),
      sessionRooms: total('sessionRooms'),
      sessionClients: total('sessionClients'),
      ...redis,
      pgConnections,
      processes,
    };
  }

  async close(): Promise<void> {
    this.redis?.disconnect();
    await this.pgClient.end().catch(() => undefined);
  }

  private async scrape(target: ProbeTarget): Promise<string | null> {
    try {
      const res = await fetch(`${target.url.replace(/^ws/, 'http')}/metrics`, {
        headers: { authorization: `Bearer ${target.adminToken}` },
        signal: AbortSignal.timeout(5000),
      });
      if (res.status === 200) return await res.text();
      this.errors.set(`metrics ${target.url}`, `answered ${res.status}`);
    } catch (err) {
      this.errors.set(`metrics ${target.url}`, (err as Error).message);
    }
    return null;
  }

  private async readRedis(): Promise<
    Pick<SoakSample, 'redisKeys' | 'redisChannels' | 'redisPatterns' | 'redisClients' | 'pubsubChannelsAll' | 'pubsubPatternsAll'>
  > {
    const none = { redisKeys: null, redisChannels: null, redisPatterns: null, redisClients: null, pubsubChannelsAll: null, pubsubPatternsAll: null };
    if (!this.redis) return none;
    try {
      if (this.redis.status === 'wait') await this.redis.connect();
      const [keys, list, channels, numpat] = await Promise.all([
        this.redis.dbsize(),
        this.redis.client('LIST') as Promise<string>,
        this.redis.pubsub('CHANNELS') as Promise<string[]>,
        this.redis.pubsub('NUMPAT') as unknown as Promise<number>,
      ]);
      // The probe's own connection is on the database too; it subscribes to nothing.
      const subs = subscriptionsOf(list, this.redisDb);
      return {
        redisKeys: keys,
        redisChannels: subs.channels,
        redisPatterns: subs.patterns,
        redisClients: subs.clients - 1,
        pubsubChannelsAll: channels.length,
        pubsubPatternsAll: numpat,
      };
    } catch (err) {
      this.errors.set('redis', (err as Error).message);
      return none;
    }
  }

  private async readPostgres(): Promise<number | null> {
    try {
      this.pgReady ??= this.pgClient.connect().then(() => undefined);
      await this.pgReady;
      const { rows } = await this.pgClient.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [this.databaseName]);
      return rows[0].n;
    } catch (err) {
      this.errors.set('postgres', (err as Error).message);
      return null;
    }
  }
}
