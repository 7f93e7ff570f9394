/**
 * Live `session` rooms per user and device, counted on the backplane in two steps: rooms per user before the join
 * touches the session (every join within the resume window resumes the same session); then sessions by id per user
 * and device, so a resume or handoff counts once. Claims are refreshed every third of the TTL, so a crashed process's lapse.
 */
import type { Logger } from 'pino';
import type { Backplane, BackplaneSlots } from '../../persistence/backplane/Backplane.js';

/** A room about to join, named by `holder` (its room id). */
export interface LiveRoomKey {
  userId: string;
  holder: string;
}

/** A live session as it is counted; the newest room of a session (`holder`) holds the session's count. */
export interface LiveSessionKey extends LiveRoomKey {
  deviceId: string;
  sessionId: string;
}

export type LiveSessionClaim = { ok: true } | { ok: false; code: 'LIVE_SESSIONS_LIMIT'; message: string };

/** Counted in the user's scope (one Redis Cluster shard per user's claims): a device belongs to one user. */
const groupsOf = (key: Pick<LiveSessionKey, 'userId' | 'deviceId'>): [string, string] => [`user:${key.userId}`, `device:${key.deviceId}`];
const roomsOf = (userId: string): string => `rooms:${userId}`;
const roomMember = (holder: string): string => `room:${holder}`;
const refusal = (what: string): LiveSessionClaim => ({
  ok: false,
  code: 'LIVE_SESSIONS_LIMIT',
  message: `${what} (the most allowed); leave one (or let it end) and join again`,
});

export class LiveSessions {
  private readonly slots: BackplaneSlots;
  private readonly ttlMs: number;
  /** The rooms of this process holding a claim, by room (with their session once it is claimed): refreshed together. */
  private readonly held = new Map<string, LiveRoomKey | LiveSessionKey>();
  private timer?: NodeJS.Timeout;

  constructor(
    backplane: Backplane,
    private readonly settings: Record<'liveSessionsPerUser' | 'liveSessionsPerDevice' | 'liveRoomsPerUser' | 'liveSessionsTtlSec', number>,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.slots = backplane.slots('live-sessions');
    this.ttlMs = settings.liveSessionsTtlSec * 1000;
  }

  /** Step one, before the join reads or writes anything: counts the room for its user, or refuses. @throws when the backplane does not answer. */
  async admit(key: LiveRoomKey, nowMs = this.now()): Promise<LiveSessionClaim> {
    const { liveRoomsPerUser: perUser } = this.settings;
    const room = await this.slots.claim(
      key.userId,
      [{ key: roomsOf(key.userId), limit: perUser }],
      roomMember(key.holder),
      key.holder,
      nowMs,
      nowMs + this.ttlMs,
    );
    if (!room.ok) return refusal(`this account already has ${perUser} live session rooms`);
    this.held.set(key.holder, { userId: key.userId, holder: key.holder });
    return { ok: true };
  }

  /** At matchmaking, before a room exists: the refusal when the user's rooms are at their bound, else null (unknown: null, the room's admit decides). */
  async roomsRefusal(userId: string, nowMs = this.now()): Promise<string | null> {
    const held = await this.slots.members(userId, roomsOf(userId), nowMs).catch(() => []);
    const { liveRoomsPerUser: perUser } = this.settings;
    return held.length >= perUser ? `LIVE_SESSIONS_LIMIT: this account already has ${perUser} live session rooms` : null;
  }

  /** Step two, once the join knows its session: counts the session for its user and device, or refuses (then release the room). @throws when the backplane does not answer. */
  async claim(key: LiveSessionKey, nowMs = this.now()): Promise<LiveSessionClaim> {
    const { liveSessionsPerUser: perUser, liveSessionsPerDevice: perDevice } = this.settings;
    const [user, device] = groupsOf(key);
    const session = await this.slots.claim(
      key.userId,
      [
        { key: user, limit: perUser },
        { key: device, limit: perDevice },
      ],
      key.sessionId,
      key.holder,
      nowMs,
      nowMs + this.ttlMs,
    );
    if (!session.ok)
      return refusal(session.group === user ? `this account already has ${perUser} live sessions` : `this device already has ${perDevice} live sessions`);
    this.held.set(key.holder, key);
    return { ok: true };
  }

  /** Extends the room's claim and its session's (unless a newer room holds it). False when the room's own claim was lost. */
  async refresh(key: LiveRoomKey | LiveSessionKey, nowMs = this.now()): Promise<boolean> {
    const expiresAtMs = nowMs + this.ttlMs;
    const [room] = await Promise.all([
      this.slots.refresh(key.userId, [roomsOf(key.userId)], roomMember(key.holder), key.holder, nowMs, expiresAtMs),
      'sessionId' in key ? this.slots.refresh(key.userId, groupsOf(key), key.sessionId, key.holder, nowMs, expiresAtMs) : undefined,
    ]);
    if (!room) this.held.delete(key.holder);
    return room;
  }

  /** The room ended (or its join failed): it stops counting, and so does its session unless a newer room holds it. Never rejects. */
  async release(holder: string): Promise<void> {
    const key = this.held.get(holder);
    if (!key) return;
    this.held.delete(holder);
    await Promise.all([
      this.slots.release(key.userId, [roomsOf(key.userId)], roomMember(holder), holder),
      'sessionId' in key ? this.slots.release(key.userId, groupsOf(key), key.sessionId, holder) : undefined,
    ]).catch((err: Error) => this.log.warn({ err: err.message, holder }, 'live session not released; its claim lapses with LIVE_SESSIONS_TTL_SEC'));
  }

  get size(): number {
    return this.held.size;
  }

  /** Refreshes every held claim every third of the TTL. */
  start(): void {
    this.timer ??= setInterval(() => void this.refreshAll(), Math.max(1000, Math.floor(this.ttlMs / 3)));
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One round: every claim at once (the commands share the connection's pipeline); a failed round is retried at the next one. */
  async refreshAll(nowMs = this.now()): Promise<void> {
    const results = await Promise.allSettled([...this.held.values()].map((key) => this.refresh(key, nowMs)));
    const failed = results.filter((r) => r.status === 'rejected').length;
    if (failed > 0)
      this.log.warn({ failed, held: this.held.size }, 'live session claims not refreshed; retried next round, they lapse after LIVE_SESSIONS_TTL_SEC');
  }
}
