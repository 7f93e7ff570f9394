/**
 * What the server processes share: channels, TTL maps, blobs, bounded slots and rate limiters. Chosen once at
 * boot (Local when alone, Redis when several share one), so nothing else decides Local or Redis.
 */
import type { RedisDriver } from '@colyseus/redis-driver';
import type { RedisPresence } from '@colyseus/redis-presence';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';

/** A channel between processes. A process does not hear its own messages: it acted on them when it published. */
export interface BackplaneChannel {
  /** Sends `body` to every other process (fire and forget; a failure goes to the channel's `onError`). */
  publish(body: string): void;
  /** `onRemote` gets every message another process sends, with that process's id. Resolves once subscribed. */
  subscribe(onRemote: (body: string, origin: string) => void): Promise<void>;
  close(): Promise<void>;
}

/** String values with a TTL each; expiry is against the caller's time, so tests need not wait. */
export interface BackplaneMap {
  get(key: string): Promise<string | undefined>;
  /** Stores `value` until `expiresAtMs` (at least 1 ms from `nowMs`). */
  set(key: string, value: string, nowMs: number, expiresAtMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Every entry live at `nowMs`, ordered by key (code point order); forgets the expired ones. */
  entries(nowMs: number): Promise<Array<[string, string]>>;
  clear(): Promise<void>;
  /** Forgets entries expired at `nowMs`; returns how many. */
  purgeExpired(nowMs: number): Promise<number>;
}

/** Binary values with a TTL each; no index, so one command per write, read or delete. */
export interface BackplaneBlobs {
  get(key: string, nowMs: number): Promise<Buffer | undefined>;
  /** Stores `value` for `ttlMs` (at least 1). */
  set(key: string, value: Buffer, nowMs: number, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
}

/** A fixed-window counter per key (rate-limiter-flexible): `points` per `durationSec` window. */
export interface BackplaneLimiterOptions {
  /** Names the limiter's keys (under the prefix); two limiters never share one. */
  name: string;
  points: number;
  durationSec: number;
}

/** One bound a slot is claimed in: at most `limit` members in group `key`. */
export interface SlotGroup {
  key: string;
  limit: number;
}

/** A claim's outcome: taken, or refused naming the first full group and how many it holds. */
export type SlotClaim = { ok: true } | { ok: false; group: string; held: number };

/**
 * Members counted in bounded groups. A holder extends its members while it lives, so a crashed holder's members
 * lapse; expiry is against the caller's time.
 */
export interface BackplaneSlots {
  /**
   * Claims `member` in every group at once, or refuses (changing nothing) when a group it is not in is full.
   * Claiming again extends it and makes that holder its holder. `scope` is one Redis hash tag, so a Redis Cluster
   * keeps a claim's keys on one shard.
   */
  claim(scope: string, groups: readonly SlotGroup[], member: string, holder: string, nowMs: number, expiresAtMs: number): Promise<SlotClaim>;
  /** Extends `member` in `groups` to `expiresAtMs` (again, if it lapsed) while `holder` holds it; false when another holder took it. */
  refresh(scope: string, groups: readonly string[], member: string, holder: string, nowMs: number, expiresAtMs: number): Promise<boolean>;
  /** Removes `member` from `groups` unless another holder took it; true when removed. */
  release(scope: string, groups: readonly string[], member: string, holder: string): Promise<boolean>;
  /** The members of `group` live at `nowMs`, in code point order. */
  members(scope: string, group: string, nowMs: number): Promise<string[]>;
}

/** Colyseus's presence and matchmaking driver on the backplane's store, so several processes share rooms. */
export interface ColyseusScaleOut {
  presence: RedisPresence;
  driver: RedisDriver;
}

export interface Backplane {
  /** `shared`: other processes may be listening (Redis); `local`: this process is alone. */
  readonly kind: 'local' | 'redis';
  /** REDIS_PREFIX: every key and channel name lives under it. */
  readonly prefix: string;
  /** A channel named `<prefix><name>`; `onError` hears failed publishes (Redis away). */
  channel(name: string, onError?: (err: unknown) => void): BackplaneChannel;
  /** A map named `name` (under the prefix): an index of its keys scored by expiry, and one key per entry. */
  map(name: string): BackplaneMap;
  /** Binary values with a TTL each, keyed under `<prefix><name>:` (e.g. session snapshots). */
  blobs(name: string): BackplaneBlobs;
  /** Bounded groups of members named `name` (under the prefix), shared by every process (Local: this process's memory). */
  slots(name: string): BackplaneSlots;
  /** A rate limiter whose counts every process shares (Local: this process's memory). */
  rateLimiter(options: BackplaneLimiterOptions): RateLimiterAbstract;
  /** Colyseus's presence and driver, on connections of their own (Colyseus quits them before the backplane's last writes). */
  colyseus(): Promise<ColyseusScaleOut | undefined>;
  /** Whether the shared store answers (Local: always). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
