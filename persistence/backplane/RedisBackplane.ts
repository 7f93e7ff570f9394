import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { Backplane, ColyseusScaleOut, BackplaneBlobs, BackplaneChannel, BackplaneLimiterOptions, BackplaneMap } from './Backplane.js';
import { assertExpiry } from './expiry.js';
import { byKey } from './LocalBackplane.js';
import { RedisSlots } from './RedisSlots.js';

type RemoteListener = (body: string, origin: string) => void;

/**
 * One key per entry (PX TTL as a backstop) plus a sorted set of keys by expiry: listing is one ZRANGEBYSCORE and
 * one MGET, clearing needs no SCAN. One hash tag per map keeps it on one Redis Cluster slot (maps are small).
 */
class RedisMap implements BackplaneMap {
  constructor(
    private readonly redis: Redis,
    /** `<prefix>{<name>}`: the index's key, and the start of every entry's. */
    private readonly indexKey: string,
  ) {}

  private keyOf(key: string): string {
    return `${this.indexKey}:${key}`;
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.keyOf(key))) ?? undefined;
  }

  async set(key: string, value: string, nowMs: number, expiresAtMs: number): Promise<void> {
    assertExpiry(nowMs, expiresAtMs);
    await exec(
      this.redis
        .multi()
        .set(this.keyOf(key), value, 'PX', Math.ceil(expiresAtMs - nowMs))
        .zadd(this.indexKey, expiresAtMs, key),
    );
  }

  async delete(key: string): Promise<void> {
    await exec(this.redis.multi().del(this.keyOf(key)).zrem(this.indexKey, key));
  }

  async entries(nowMs: number): Promise<Array<[string, string]>> {
    const [, live] = (await exec(this.redis.multi().zremrangebyscore(this.indexKey, '-inf', nowMs).zrangebyscore(this.indexKey, `(${nowMs}`, '+inf'))) as [
      unknown,
      string[],
    ];
    if (!live.length) return [];
    const values = await this.redis.mget(live.map((key) => this.keyOf(key)));
    // A value whose own TTL fired a moment before the index caught up is skipped.
    return live.flatMap((key, i): Array<[string, string]> => (values[i] == null ? [] : [[key, values[i] as string]])).sort(byKey);
  }

  async clear(): Promise<void> {
    const keys = await this.redis.zrange(this.indexKey, 0, -1);
    await exec(this.redis.multi().del(...keys.map((key) => this.keyOf(key)), this.indexKey));
  }

  async purgeExpired(nowMs: number): Promise<number> {
    return Number(await this.redis.zremrangebyscore(this.indexKey, '-inf', nowMs));
  }
}

/** One string key per value with its own PX expiry: a write, a read or a delete is one command. */
class RedisBlobs implements BackplaneBlobs {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  async get(key: string): Promise<Buffer | undefined> {
    return (await this.redis.getBuffer(this.keyPrefix + key)) ?? undefined;
  }

  async set(key: string, value: Buffer, nowMs: number, ttlMs: number): Promise<void> {
    assertExpiry(nowMs, nowMs + ttlMs);
    await this.redis.set(this.keyPrefix + key, value, 'PX', Math.ceil(ttlMs));
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.keyPrefix + key);
  }
}

/** Processes sharing one Redis. Owns its connections: the command connection and one subscriber. */
export class RedisBackplane implements Backplane {
  readonly kind = 'redis' as const;
  /** This process's origin on every channel. */
  readonly id = randomUUID();
  private subscriber?: Redis;
  private readonly listeners = new Map<string, Map<BackplaneChannel, RemoteListener>>();

  constructor(
    readonly redis: Redis,
    readonly prefix: string,
    /** REDIS_URL for Colyseus's own connections (without it they copy this one's options); `watch` sees every connection this backplane opens (an `error` listener: createBackplane.ts). */
    private readonly options: { url?: string; watch?: (client: Redis, name: string) => void } = {},
  ) {}

  async colyseus(): Promise<ColyseusScaleOut> {
    const { RedisPresence } = await import('@colyseus/redis-presence');
    const { RedisDriver } = await import('@colyseus/redis-driver');
    const connect = (): Redis => (this.options.url ? new Redis(this.options.url) : this.redis.duplicate());
    const presence = new RedisPresence(this.options.url ?? this.redis.duplicate());
    // Colyseus's presence logs its connections' errors once per reconnect attempt, unstructured: ours instead.
    const { pub, sub } = presence as unknown as { pub: Redis; sub: Redis };
    for (const [name, client] of [
      ['presence-pub', pub],
      ['presence-sub', sub],
    ] as const) {
      client.removeAllListeners('error');
      this.watch(client, name);
    }
    // Colyseus saves its room counts without awaiting (MatchMaker, a Stats timer): in an outage each was an unhandled
    // rejection. The promise still rejects for callers that await it; a dropped one is already in the lost-connection log.
    const hset = presence.hset.bind(presence);
    presence.hset = (...args) => {
      const saved = hset(...args);
      saved.catch(() => undefined);
      return saved;
    };
    return { presence, driver: new RedisDriver(this.watch(connect(), 'driver')) };
  }

  private watch(client: Redis, name: string): Redis {
    if (this.options.watch) this.options.watch(client, name);
    else client.on('error', () => undefined);
    return client;
  }

  /** Messages are `<origin>|<body>` so a process skips its own; one subscriber connection per backplane. */
  channel(name: string, onError: (err: unknown) => void = () => undefined): BackplaneChannel {
    const full = this.prefix + name;
    const channel: BackplaneChannel = {
      publish: (body) => void this.redis.publish(full, `${this.id}|${body}`).catch(onError),
      subscribe: (onRemote) => this.listen(full, channel, onRemote),
      close: () => this.unlisten(full, channel),
    };
    return channel;
  }

  map(name: string): BackplaneMap {
    return new RedisMap(this.redis, `${this.prefix}{${name}}`);
  }

  blobs(name: string): BackplaneBlobs {
    return new RedisBlobs(this.redis, `${this.prefix}${name}:`);
  }

  slots(name: string): RedisSlots {
    return new RedisSlots(this.redis, `${this.prefix}slots:${name}:`);
  }

  rateLimiter({ name, points, durationSec }: BackplaneLimiterOptions): RateLimiterRedis {
    // The counts live in Redis only (no in-memory block cache): a limit then means the same on every process.
    return new RateLimiterRedis({ storeClient: this.redis, keyPrefix: `${this.prefix}limit:${name}`, points, duration: durationSec, useRedisPackage: false });
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  private async listen(channel: string, key: BackplaneChannel, onRemote: RemoteListener): Promise<void> {
    const subscriber = this.subscriberConnection();
    let heard = this.listeners.get(channel);
    if (!heard) {
      heard = new Map();
      this.listeners.set(channel, heard);
      await subscriber.subscribe(channel);
    }
    heard.set(key, onRemote);
  }

  private async unlisten(channel: string, key: BackplaneChannel): Promise<void> {
    const heard = this.listeners.get(channel);
    if (!heard?.delete(key) || heard.size > 0) return;
    this.listeners.delete(channel);
    await this.subscriber?.unsubscribe(channel).catch(() => undefined);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.subscriber?.quit().catch(() => undefined);
    await this.redis.quit().catch(() => undefined);
  }

  private subscriberConnection(): Redis {
    if (this.subscriber) return this.subscriber;
    const subscriber = this.redis.duplicate();
    subscriber.on('message', (channel: string, message: string) => {
      const heard = this.listeners.get(channel);
      if (!heard) return;
      const sep = message.indexOf('|');
      const origin = sep > 0 ? message.slice(0, sep) : '';
      if (!origin || origin === this.id) return;
      const body = message.slice(sep + 1);
      for (const listener of heard.values()) listener(body, origin);
    });
    this.watch(subscriber, 'backplane-subscriber');
    this.subscriber = subscriber;
    return subscriber;
  }
}

type ExecResult = Array<[Error | null, unknown]> | null;

async function exec(transaction: { exec(): Promise<ExecResult> }): Promise<unknown[]> {
  const results = await transaction.exec();
  if (!results) throw new Error('redis transaction aborted');
  return results.map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}
