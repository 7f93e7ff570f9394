/**
 * What the server processes share: pub/sub channels, key-value maps with a TTL, binary values, bounded groups
 * (slots) and rate limiters. Chosen once at boot, like Colyseus's presence: a {@link LocalBackplane} when this
 * process is alone, a {@link RedisBackplane} when several share a Redis. Every component that spans processes is
 * built on it, so nothing else decides Local or Redis; it builds no feature's store (the leaderboard store is
 * chosen by persistence/leaderboard/RedisLeaderboardStore.ts leaderboardStoreOn).
 */
import type { RedisDriver } from '@colyseus/redis-driver';
import type { RedisPresence } from '@colyseus/redis-presence';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';

/**
 * A named channel between processes. A process does not hear its own messages: it acted on them when it
 * published. Local: there is no other process, so nothing is ever heard.
 */
export interface BackplaneChannel {
  /** Sends `body` to every other process (fire and forget; a failure goes to the channel's `onError`). */
  publish(body: string): void;
  /** `onRemote` gets every message another process sends, with that process's id. Resolves once subscribed. */
  subscribe(onRemote: (body: string, origin: string) => void): Promise<void>;
  /** Stops hearing this channel. */
  close(): Promise<void>;
}

/**
 * A map of string values with a TTL per entry, shared by every process (Local: this process's memory).
 * Expiry is decided against the time the caller passes, so it can be tested without waiting.
 */
export interface BackplaneMap {
  get(key: string): Promise<string | undefined>;
  /** Stores `value` until `expiresAtMs` (at least 1 ms from `nowMs`). */
  set(key: string, value: string, nowMs: number, expiresAtMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Every entry live at `nowMs`, ordered by key (code point order); forgets the expired ones. */
  entries(nowMs: number): Promise<Array<[string, string]>>;
  /** Removes every entry. */
  clear(): Promise<void>;
  /** Forgets entries expired at `nowMs`; returns how many. */
  purgeExpired(nowMs: number): Promise<number>;
}

/**
 * Binary values under one name, each with its own TTL, shared by every process (Local: this process's memory).
 * Unlike {@link BackplaneMap} there is no index to list them: one command per write, read or delete.
 */
export interface BackplaneBlobs {
  get(key: string, nowMs: number): Promise<Buffer | undefined>;
  /** Stores `value` for `ttlMs` (at least 1). */
  set(key: string, value: Buffer, nowMs: number, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface BackplaneMapOptions {
  /** Where the map's index lives (under the prefix): which keys the map holds, scored by expiry. */
  indexKey: string;
  /** Where one entry's value lives (under the prefix). */
  keyOf(key: string): string;
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
 * Members counted in groups with a bound each (e.g. live sessions per user and per device), shared by every
 * process. A member is held by one holder until its expiry; the holder extends it while it lives, so a
 * crashed holder's members lapse. Expiry is decided against the time the caller passes.
 */
export interface BackplaneSlots {
  /**
   * Claims `member` in every group at once, held by `holder` until `expiresAtMs`, or refuses (changing
   * nothing) when a group it is not already in is full. A member already claimed counts once: claiming it
   * again, by any holder, extends it and makes that holder its holder. `scope` (e.g. the user) names where the
   * groups and members of one claim live together: on Redis one hash tag, so a Redis Cluster keeps a claim's
   * keys on one shard; a group or member is always used within one scope.
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
  map(options: BackplaneMapOptions): BackplaneMap;
  /** Binary values with a TTL each, keyed under `<prefix><name>:` (e.g. session snapshots). */
  blobs(name: string): BackplaneBlobs;
  /** Bounded groups of members named `name` (under the prefix), shared by every process (Local: this process's memory). */
  slots(name: string): BackplaneSlots;
  /** A rate limiter whose counts every process shares (Local: this process's memory). */
  rateLimiter(options: BackplaneLimiterOptions): RateLimiterAbstract;
  /**
   * Colyseus's presence and driver on the same store, with connections of their own (Colyseus quits them at
   * its shutdown, before the backplane's last writes). Local: none, and Colyseus keeps both in this process.
   */
  colyseus(): Promise<ColyseusScaleOut | undefined>;
  /** Whether the shared store answers (Local: always). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
