import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Room } from '@colyseus/sdk';
import { createTestDatabase, type TestDatabase } from './db.js';
import { freePort } from './postgres.js';
import { startServerProcess, type ServerProcess } from './serverProcess.js';
import { deleteKeysWithPrefix } from './redis.js';

export interface RedisCluster {
  /** The Redis the processes share (its own logical database: the matchmaker's keys have fixed names). */
  redis: Redis;
  /** REDIS_PREFIX of every process (the deployment's own keys). */
  prefix: string;
  pg: TestDatabase;
  /** Processes started, in order; `after` stops them (SIGTERM, exit code 0) last first. */
  servers: ServerProcess[];
  /** Rooms the test joined; `after` leaves them first. */
  rooms: Room[];
  /** One more server process on the shared database and Redis, with `env` over the cluster's. */
  start(env?: Record<string, string>): Promise<ServerProcess>;
  /** The process (public address) hosting a room, from the Redis driver's room listing. */
  hostOf(roomId: string): Promise<string>;
}

/**
 * Server processes sharing one fresh database and one Redis logical database (`redisUrl`, or a function giving it
 * once a `before` hook registered earlier started that Redis), for a describe block: call at its top; the first process started runs the migrations alone. Everything is
 * cleaned up after the block (rooms left, processes stopped, the prefix's keys deleted, the database dropped).
 */
export function useRedisCluster(options: { redisUrl: string | (() => string); name: string; env: Record<string, string> }): RedisCluster {
  const redisUrl = () => (typeof options.redisUrl === 'string' ? options.redisUrl : options.redisUrl());
  const cluster = {
    prefix: `test:${options.name}:${randomUUID().slice(0, 8)}:`,
    servers: [] as ServerProcess[],
    rooms: [] as Room[],
  } as RedisCluster;
  cluster.start = async (env = {}) => {
    const port = await freePort();
    const server = await startServerProcess({
      PORT: String(port),
      PUBLIC_ADDRESS: `127.0.0.1:${port}`,
      REDIS_URL: redisUrl(),
      REDIS_PREFIX: cluster.prefix,
      DATABASE_URL: cluster.pg.url,
      ...options.env,
      ...env,
    });
    cluster.servers.push(server);
    return server;
  };
  cluster.hostOf = async (roomId) => {
    const raw = await cluster.redis.hget('roomcaches', roomId);
    assert.ok(raw, `room ${roomId} is listed in Redis`);
    return (JSON.parse(raw) as { publicAddress?: string }).publicAddress ?? '?';
  };
  before(async () => {
    cluster.pg = await createTestDatabase();
    cluster.redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
  });
  after(async () => {
    await Promise.all(cluster.rooms.splice(0).map((r) => r.leave(true).catch(() => undefined)));
    for (const s of cluster.servers.splice(0).reverse()) {
      const code = await s.stop('SIGTERM');
      assert.equal(code, 0, s.output());
    }
    if (cluster.redis) {
      await deleteKeysWithPrefix(cluster.redis, cluster.prefix);
      await cluster.redis.quit();
    }
    await cluster.pg?.drop();
  });
  return cluster;
}
