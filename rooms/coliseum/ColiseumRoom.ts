import { assignRoomAccessors, sizeEncodeBuffers, wildcardType } from '../colyseusInternals.js';
import { Room, ServerError, matchMaker, RegisteredHandler, type Client } from '@colyseus/core';
import { kickClient } from '../ops/opsActions.js';
import type { Logger } from 'pino';
import { LeaderboardView, ColiseumState, KpiTile, LeaderboardRow } from '../../schema/ColiseumState.js';
import { BroadcasterFullError, keyOf, type BoardRow, type BroadcastTick, type Subscription } from '../../features/leaderboard/LeaderboardBroadcaster.js';
import type { KpiTileValue, LiveCounts } from '../../features/leaderboard/boards.js';
import { ColiseumOptionsError, channelOf, parseColiseumOptions, type ColiseumOptions } from './options.js';
import type { ColiseumServices } from './ports.js';
import { InboundGuard, echoableType } from '../inboundGuard.js';
import { reportUncaught } from '../uncaught.js';
import { reply } from './replies.js';

/** A KPI tile's `previous` when there is no previous window to compare with (the page shows no trend). */
const NO_PREVIOUS = -1;

/**
 * Join rejected: bad options. onCreate errors travel back as the HTTP status of the matchmaking request
 * (POST /matchmake/…), so they must be valid HTTP codes (a 4xxx code becomes a bare 500).
 */
export const JOIN_INVALID = 400;
/** Join rejected: the process shows too many distinct leaderboards already. */
export const JOIN_FULL = 503;
export const COLISEUM_ROOM = 'coliseum';

/**
 * Builds the `coliseum` room class closed over its services. A room shows one (leaderboards, window, limit)
 * combination to every spectator in it: the LeaderboardBroadcaster computes each leaderboard once per tick for the
 * whole process, the room copies changed rows into its state in place and sends ONE patch (encoded
 * once, the same bytes to every client). Spectators only listen; any message they send gets an error.
 */
export function createColiseumRoom(services: ColiseumServices) {
  const { settings, broadcaster } = services;

  return class ColiseumRoom extends Room<{ state: ColiseumState }> {
    constructor() {
      super();
      assignRoomAccessors(this, { maxClients: settings.maxClientsPerRoom, state: new ColiseumState() });
    }
    /** Ops: an operator closes one client (rooms/ops/opsActions.ts), called through matchMaker.remoteRoomCall. */
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
        if (err instanceof ColiseumOptionsError) throw new ServerError(JOIN_INVALID, err.message);
        throw err;
      }
      // Patches go out right after each broadcaster tick, not on a timer.
      this.patchRate = null;
      // The boards outgrow the process's small default buffers (sized for session rooms): each join would grow them again.
      sizeEncodeBuffers(this, coliseumStateBytes(this.options));
      this.state.window = this.options.window;
      const keys = this.options.leaderboards.map((leaderboard) => ({ leaderboard, window: this.options.window }));
      try {
        this.subscription = broadcaster.subscribe(keys, this.options.limit, (tick) => this.apply(tick));
      } catch (err) {
        if (err instanceof BroadcasterFullError) throw new ServerError(JOIN_FULL, err.message);
        throw err;
      }
      this.apply(await broadcaster.prime(keys, this.options.limit));
      this.onMessage('*', (client, type, third) => this.refuse(client, echoableType(wildcardType(type, third))));
      this.log.debug({ options: this.options }, 'coliseum room created');
    }

    /** Spectators only listen: every message is refused READ_ONLY, and a chatty one soon gets silence. */
    private refuse(client: Client, forType: string): void {
      const admission = this.guard.admit(client);
      if (admission === 'ok') reply(client, 'error', { code: 'READ_ONLY', message: 'the coliseum is read-only: spectators send no messages', for: forType });
      else if (admission === 'limited')
        reply(client, 'error', {
          code: 'RATE_LIMITED',
          message: `more than ${settings.messageRatePerSec} messages/s; further messages are dropped without reply`,
          for: forType,
        });
    }

    override onLeave(client: Client): void {
      this.guard.forget(client);
    }

    /** Any exception a hook or handler lets escape is logged (throttled per client); the room keeps running. */
    override onUncaughtException(err: Error, methodName: string): void {
      reportUncaught(
        {
          log: this.log ?? services.log,
          guard: this.guard,
          replyError: (client, forType, code, message) => reply(client, 'error', { code, message, for: forType }),
        },
        err,
        methodName,
      );
    }

    override onDispose(): void {
      this.subscription?.unsubscribe();
    }

    /** Copies what changed in a tick into the state, then sends one patch to every spectator. */
    apply(tick: BroadcastTick): void {
      if (applyTick(this.state, this.options, tick, this.versions)) this.broadcastPatch();
    }
  };
}

/**
 * Copies a tick into a coliseum state: leaderboards whose snapshot version moved (rows updated in place) and
 * the KPI tiles. `versions` remembers the last version applied per leaderboard. Returns true when anything changed.
 */
export function applyTick(state: ColiseumState, options: ColiseumOptions, tick: BroadcastTick, versions: Map<string, number>): boolean {
  let dirty = false;
  for (const leaderboard of options.leaderboards) {
    const snapshot = tick.leaderboards.get(keyOf(leaderboard, options.window));
    if (!snapshot || versions.get(leaderboard) === snapshot.version) continue;
    versions.set(leaderboard, snapshot.version);
    let view = state.leaderboards.get(leaderboard);
    if (!view) {
      view = new LeaderboardView();
      view.leaderboard = leaderboard;
      view.title = snapshot.title;
      view.window = options.window;
      state.leaderboards.set(leaderboard, view);
    }
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

/** Bytes of one row at most: the numbers plus an entity id, a display name and an artwork URL of ~80 UTF-8 bytes each. */
const ROW_BYTES = 280;
/** A board's own fields, and the KPI tiles with their labels. */
const BOARD_BYTES = 256;
const KPI_BYTES = 4096;

/** The encode buffer a room needs for its largest full state (rounded up to whole KiB). */
export function coliseumStateBytes(options: Pick<ColiseumOptions, 'leaderboards' | 'limit'>): number {
  const bytes = KPI_BYTES + options.leaderboards.length * (BOARD_BYTES + options.limit * ROW_BYTES);
  return Math.ceil(bytes / 1024) * 1024;
}

/** Updates rows in place (index = rank − 1); only fields whose value changed are marked for the patch. */
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

/** Updates the KPI tiles in place. */
export function applyKpis(state: ColiseumState, kpis: readonly KpiTileValue[]): boolean {
  let changed = false;
  for (const k of kpis) {
    let tile = state.kpis.get(k.key);
    if (!tile) {
      tile = new KpiTile();
      tile.label = k.label;
      tile.unit = k.unit;
      state.kpis.set(k.key, tile);
      changed = true;
    }
    changed = setIf(tile, 'value', k.value) || changed;
    changed = setIf(tile, 'previous', k.previous ?? NO_PREVIOUS) || changed;
  }
  return changed;
}

/** Matchmaking for the coliseum: spectators with the same (leaderboards, window, limit) share a room. */
export class ColiseumHandler extends RegisteredHandler {
  constructor(
    klass: ReturnType<typeof createColiseumRoom>,
    private readonly services: Pick<ColiseumServices, 'settings'>,
  ) {
    super(klass);
    this.name = COLISEUM_ROOM;
    this.filterBy(['channel']);
  }

  /** Arrays cannot be compared by the drivers (`!==`), so filter on one canonical string. */
  override getFilterOptions(options: unknown): { channel: string } {
    return { channel: channelOf(options, this.services.settings.namespace, this.services.settings) };
  }
}

/** Registers the `coliseum` room type with the matchmaker (instead of `server.define`). */
export function defineColiseumRoom(klass: ReturnType<typeof createColiseumRoom>, services: Pick<ColiseumServices, 'settings'>): ColiseumHandler {
  const handler = new ColiseumHandler(klass, services);
  matchMaker.addRoomType(handler);
  return handler;
}

/**
 * Live KPI counts from per-type room counts (session rooms open, one per session, including those
 * holding a dropped client for reconnection; coliseum clients). The wiring sums every process's counts
 * from memory and the ops heartbeats: a matchmaker query here would, with the Redis driver, read and
 * parse every room of the cluster (HGETALL) on each broadcaster tick.
 */
export function liveCountsOf(rooms: Readonly<Record<string, { rooms: number; clients: number }>>): LiveCounts {
  return { activeSessions: rooms.session?.rooms ?? 0, spectators: rooms[COLISEUM_ROOM]?.clients ?? 0 };
}
