import { assignRoomAccessors, kickClient, sizeEncodeBuffers, wildcardType } from '../colyseusInternals.js';
import { Room, ServerError, matchMaker, RegisteredHandler, type Client } from '@colyseus/core';
import type { Logger } from 'pino';
import { LeaderboardView, ColiseumState, KpiTile, LeaderboardRow } from '../../schema/ColiseumState.js';
import {
  BroadcasterFullError,
  keyOf,
  type BoardRow,
  type BroadcastTick,
  type LeaderboardBroadcaster,
  type Subscription,
} from '../../features/leaderboard/LeaderboardBroadcaster.js';
import type { KpiTileValue, LiveCounts } from '../../features/leaderboard/boards.js';
import { ColiseumOptionsError, channelOf, parseColiseumOptions, type ColiseumLimits, type ColiseumOptions } from './options.js';
import { InboundGuard, echoableType, reportUncaught } from '../inboundGuard.js';
import { reply } from './replies.js';

export interface ColiseumRoomSettings extends ColiseumLimits {
  /** Before matchmaking opens another room with the same channel. Default 1,000. */
  maxClientsPerRoom: number;
  /** e.g. the Redis key prefix: test runs sharing one Redis cannot steal each other's spectators. */
  namespace: string;
  /** Before RATE_LIMITED (spectators send nothing legitimate). */
  messageRatePerSec: number;
  disconnectRatePerSec: number;
  /** One RATE_LIMITED reply and one log line per misbehaving spectator per this many ms. */
  noticeIntervalMs: number;
}

/** Bound by the wiring in src/, never passed as room options. */
export interface ColiseumServices {
  log: Logger;
  /** One computation per (leaderboard, window) per tick for the process. */
  broadcaster: LeaderboardBroadcaster;
  settings: ColiseumRoomSettings;
}

const replyError = (client: Client, forType: string, code: 'INTERNAL', message: string) => reply(client, 'error', { code, message, for: forType });

/** No previous window to compare with: the page shows no trend. */
const NO_PREVIOUS = -1;

/** onCreate errors travel back as the matchmaking request's HTTP status, so they must be valid HTTP codes (4xxx → 500). */
export const JOIN_INVALID = 400;
/** The process shows too many distinct leaderboards already. */
export const JOIN_FULL = 503;
export const COLISEUM_ROOM = 'coliseum';

/**
 * A room shows one (leaderboards, window, limit) to every spectator: the broadcaster computes each board once per
 * tick for the process, the room copies changed rows in place and sends ONE patch, the same bytes to every client.
 */
export function createColiseumRoom(services: ColiseumServices) {
  const { settings, broadcaster } = services;
  const rateLimited = `more than ${settings.messageRatePerSec} messages/s; further messages are dropped without reply`;

  return class ColiseumRoom extends Room<{ state: ColiseumState }> {
    constructor() {
      super();
      assignRoomAccessors(this, { maxClients: settings.maxClientsPerRoom, state: new ColiseumState() });
    }
    /** Called through matchMaker.remoteRoomCall. */
    opsKick = (sessionId: string): boolean => kickClient(this, sessionId);
    override maxMessagesPerSecond = settings.disconnectRatePerSec;
    private readonly guard = new InboundGuard({ ratePerSec: settings.messageRatePerSec, noticeIntervalMs: settings.noticeIntervalMs, now: Date.now });
    options!: ColiseumOptions;
    log!: Logger;
    private subscription?: Subscription;
    private readonly versions = new Map<string, number>();

    override async onCreate(raw: unknown): Promise<void> {
      this.log = services.log.child({ roomId: this.roomId, room: COLISEUM_ROOM });
      try {
        this.options = parseColiseumOptions(raw, settings);
      } catch (err) {
        throw err instanceof ColiseumOptionsError ? new ServerError(JOIN_INVALID, err.message) : err;
      }
      // Patches go out right after each broadcaster tick, not on a timer.
      this.patchRate = null;
      // The boards outgrow the default buffers (sized for session rooms): each join would grow them again.
      sizeEncodeBuffers(this, coliseumStateBytes(this.options));
      this.state.window = this.options.window;
      const keys = this.options.leaderboards.map((leaderboard) => ({ leaderboard, window: this.options.window }));
      try {
        this.subscription = broadcaster.subscribe(keys, this.options.limit, (tick) => this.apply(tick));
      } catch (err) {
        throw err instanceof BroadcasterFullError ? new ServerError(JOIN_FULL, err.message) : err;
      }
      this.apply(await broadcaster.prime(keys, this.options.limit));
      this.onMessage('*', (client, type, third) => this.refuse(client, echoableType(wildcardType(type, third))));
      this.log.debug({ options: this.options }, 'coliseum room created');
    }

    /** Every message is refused READ_ONLY, and a chatty spectator soon gets silence. */
    private refuse(client: Client, forType: string): void {
      const admission = this.guard.admit(client);
      if (admission === 'ok') reply(client, 'error', { code: 'READ_ONLY', message: 'the coliseum is read-only: spectators send no messages', for: forType });
      else if (admission === 'limited') reply(client, 'error', { code: 'RATE_LIMITED', message: rateLimited, for: forType });
    }

    override onLeave(client: Client): void {
      this.guard.forget(client);
    }

    /** Logged (throttled per client); the room keeps running. */
    override onUncaughtException(err: Error, methodName: string): void {
      reportUncaught({ log: this.log ?? services.log, guard: this.guard, replyError }, err, methodName);
    }

    override onDispose(): void {
      this.subscription?.unsubscribe();
    }

    apply(tick: BroadcastTick): void {
      if (applyTick(this.state, this.options, tick, this.versions)) this.broadcastPatch();
    }
  };
}

/** Boards whose snapshot version moved (rows updated in place) and the KPI tiles; true when anything changed. */
export function applyTick(state: ColiseumState, options: ColiseumOptions, tick: BroadcastTick, versions: Map<string, number>): boolean {
  let dirty = false;
  for (const leaderboard of options.leaderboards) {
    const snapshot = tick.leaderboards.get(keyOf(leaderboard, options.window));
    if (!snapshot || versions.get(leaderboard) === snapshot.version) continue;
    versions.set(leaderboard, snapshot.version);
    let view = state.leaderboards.get(leaderboard);
    if (!view) state.leaderboards.set(leaderboard, (view = new LeaderboardView().assign({ leaderboard, title: snapshot.title, window: options.window })));
    if (applyRows(view, snapshot.rows.slice(0, options.limit))) {
      view.updatedAt = snapshot.computedAt;
      dirty = true;
    }
  }
  if (applyKpis(state, tick.kpis.get(options.window) ?? [])) dirty = true;
  return dirty;
}

const setIf = <T extends object, K extends keyof T>(target: T, key: K, value: T[K]): boolean => {
  if (target[key] === value) return false;
  target[key] = value;
  return true;
};

/** At most: the numbers plus an id, a name and an artwork URL of ~80 UTF-8 bytes each. */
const ROW_BYTES = 280;
/** A board's own fields, and the KPI tiles with their labels. */
const BOARD_BYTES = 256;
const KPI_BYTES = 4096;

/** For the largest full state, whole KiB. */
export function coliseumStateBytes(options: Pick<ColiseumOptions, 'leaderboards' | 'limit'>): number {
  const bytes = KPI_BYTES + options.leaderboards.length * (BOARD_BYTES + options.limit * ROW_BYTES);
  return Math.ceil(bytes / 1024) * 1024;
}

/** index = rank − 1; only changed fields are marked for the patch. */
export function applyRows(view: LeaderboardView, rows: readonly BoardRow[]): boolean {
  let changed = false;
  rows.forEach((entry, i) => {
    let row = view.rows[i];
    if (!row) {
      row = new LeaderboardRow();
      view.rows.push(row);
      changed = true;
    }
    changed = setIf(row, 'rank', entry.rank) || changed;
    changed = setIf(row, 'previousRank', entry.previousRank ?? 0) || changed;
    changed = setIf(row, 'entityId', entry.entityId) || changed;
    changed = setIf(row, 'name', entry.name ?? '') || changed;
    changed = setIf(row, 'score', entry.score) || changed;
    changed = setIf(row, 'trend', entry.trend) || changed;
    changed = setIf(row, 'change', Math.max(-2_147_483_648, Math.min(2_147_483_647, Math.round(entry.change)))) || changed;
    changed = setIf(row, 'changePercent', Math.fround(Math.round(entry.changePercent * 10) / 10)) || changed;
    changed = setIf(row, 'image', entry.image ?? '') || changed;
  });
  while (view.rows.length > rows.length) {
    view.rows.pop();
    changed = true;
  }
  return changed;
}

export function applyKpis(state: ColiseumState, kpis: readonly KpiTileValue[]): boolean {
  let changed = false;
  for (const k of kpis) {
    let tile = state.kpis.get(k.key);
    if (!tile) {
      state.kpis.set(k.key, (tile = new KpiTile().assign({ label: k.label, unit: k.unit })));
      changed = true;
    }
    changed = setIf(tile, 'value', k.value) || changed;
    changed = setIf(tile, 'previous', k.previous ?? NO_PREVIOUS) || changed;
  }
  return changed;
}

/** Instead of `server.define`: spectators with the same (leaderboards, window, limit) share a room. */
export function defineColiseumRoom(klass: ReturnType<typeof createColiseumRoom>, { settings }: Pick<ColiseumServices, 'settings'>): RegisteredHandler {
  const handler = new (class extends RegisteredHandler {
    /** The drivers compare with `!==`, so arrays become one canonical string. */
    override getFilterOptions(options: unknown): { channel: string } {
      return { channel: channelOf(options, settings.namespace, settings) };
    }
  })(klass);
  handler.name = COLISEUM_ROOM;
  handler.filterBy(['channel']);
  matchMaker.addRoomType(handler);
  return handler;
}

/**
 * From per-type room counts (session rooms include those holding a dropped client). The wiring sums every process's
 * counts from memory and heartbeats: a matchmaker query would, with Redis, read every room of the cluster each tick.
 */
export function liveCountsOf(rooms: Readonly<Record<string, { rooms: number; clients: number }>>): LiveCounts {
  return { activeSessions: rooms.session?.rooms ?? 0, spectators: rooms[COLISEUM_ROOM]?.clients ?? 0 };
}
