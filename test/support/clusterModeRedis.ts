import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './postgres.js';

export interface ClusterModeRedis {
  url: string;
  /** Stops the server and deletes its files. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => running.forEach((p) => p.kill('SIGKILL')));

/**
 * A private `redis-server` in cluster mode with every hash slot on its one node. It answers an ordinary client
 * (no redirects: every key is local) but refuses, as every Redis Cluster does, a multi-key command, a MULTI/EXEC
 * or a script whose declared keys hash to different slots (CROSSSLOT). So a server run against it shows which of
 * its operations a sharded Redis would refuse. Cluster mode has only database 0: the server gets it alone.
 */
export async function startClusterModeRedis(): Promise<ClusterModeRedis> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-cluster-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', path.join(dir, 'nodes.conf')];
  const proc = spawn('redis-server', [...args, '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  running.add(proc);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const redis = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
  redis.on('error', () => undefined); // refused until the server listens: the pings below wait for it
  try {
    await waitFor(async () => (await redis.ping().catch(() => '')) === 'PONG');
    await redis.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
    await waitFor(async () => String(await redis.call('CLUSTER', 'INFO')).includes('cluster_state:ok'));
  } catch (err) {
    proc.kill('SIGKILL');
    throw new Error(`a cluster-mode redis-server did not start on port ${port}: ${(err as Error).message}`);
  } finally {
    redis.disconnect();
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      proc.kill('SIGTERM');
      await exited;
      running.delete(proc);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
