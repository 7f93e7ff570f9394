/**
 * The connection under a {@link SessionClient}: joins, follows a session that moves (drain: `moving` then
 * close 4100) or whose process went away (the SDK's own reconnection to that room fails), and rejoins
 * through the matchmaker with the resume credential, with jittered exponential backoff. It reports one
 * explicit status; the SessionClient turns rooms into messages and inputs. docs/PROTOCOL.md "Moving and resuming".
 */
import { Client, type Room } from '@colyseus/sdk';
import { Backoff, jittered, type BackoffOptions } from './backoff.js';
import { afterClose, classifyJoinFailure, CLOSE } from './resumePolicy.js';
import type { SessionRecordStore } from './SessionRecord.js';
import type { SessionJoinOptions } from './messages.js';

export type ConnectionStatus = 'connected' | 'moving' | 'reconnecting' | 'offline' | 'closed';

export interface ConnectionInfo {
  /** The close code or refusal that led here. */
  code?: number | string;
  /** Failed rejoins so far. */
  attempt?: number;
  /** When the next try goes (ms from now). */
  retryInMs?: number;
}

/** Where an access token comes from (POST /api/auth/device or /refresh; e.g. DeviceAuth). */
export interface AccessTokenSource {
  accessToken(): Promise<string>;
  /** The server refused the token (401 at matchmaking, 4401 at the join): forget it so the next accessToken() fetches a new one. */
  invalidate(): void;
}

export interface LinkHooks {
  /** A new room object to wire. `greeting`: a join (`welcome` or `resumed` follows); otherwise a held seat taken back (nothing follows). */
  room(room: Room, greeting: boolean): void;
  /** The SDK reconnected the same room object (a short drop on a live process). */
  restored(): void;
  status(status: ConnectionStatus, detail: string | undefined, info: ConnectionInfo): void;
  warning(detail: string): void;
}

/** The SDK's reconnection to the same room (room.reconnection): few, quick tries, so a dead process is given up on in about a second. */
export interface SdkReconnection {
  maxRetries: number;
  delay: number;
  minDelay: number;
  maxDelay: number;
  minUptime: number;
}

export interface LinkOptions {
  /** The server, then others to matchmake at when it cannot be reached. */
  endpoints: string[];
  backoff?: BackoffOptions;
  /** After this many failed rejoins in a row the status is `offline` (still trying, slower). Default 4. */
  offlineAfterFailures?: number;
  sdkReconnection?: Partial<SdkReconnection>;
  /** How long to wait for the close 4100 after `moving` before leaving on our own. Default 5,000 ms after retryAfterMs. */
  movingGraceMs?: number;
  /**
   * How long the SDK may try to reconnect to the same room before the session is resumed elsewhere. Default
   * 1,500 ms. Needed besides maxRetries: a connection that never completes (a blackholed host; in Node,
   * a refused one fires no close event) would otherwise stall the SDK's retries for good.
   */
  sdkGiveUpMs?: number;
  random?: () => number;
}

/** Tries 200, 400, 500 ms after a drop; the first refused (a dead host) goes to the resume at once (see adopt), sdkGiveUpMs bounds the rest. */
export const SDK_RECONNECTION: SdkReconnection = { maxRetries: 3, delay: 100, minDelay: 100, maxDelay: 500, minUptime: 0 };

/** Tries in a row within PROMPT_RETRY_MAX_MS of each other while a session moves (then the usual backoff): about 1–2 s. */
const PROMPT_RETRIES = 8;
const PROMPT_RETRY_MAX_MS = 250;
/**
 * The longest wait between a rider's looks for its ride, whatever failed: the host is back in seconds, and a proxy
 * that tries a ride's 503 on every process answers 502 when its last try meets the one that crashed.
 */
const RIDE_RETRY_MAX_MS = 1000;

class Superseded extends Error {}

const hasWindowEvents = typeof addEventListener === 'function';
const networkDown = (): boolean => typeof navigator !== 'undefined' && navigator.onLine === false;

export class SessionLink {
  room: Room | null = null;
  status: ConnectionStatus = 'closed';
  private readonly clients: Client[];
  private endpoint = 0;
  private joinOptions: SessionJoinOptions = {};
  private auth: AccessTokenSource | null = null;
  /** Bumped by every new recovery and by leave(): older loops and rooms stand down. */
  private generation = 0;
  private movingNotice: { retryAfterMs: number } | null = null;
  private wake: (() => void) | null = null;
  private lastStatus = '';
  private readonly random: () => number;
  /** The ride this client rides in: joined with its invite code, then (after its greeting) by its id; null: the own session. */
  private ride: { code?: string; id?: string } | null = null;

  constructor(
    private readonly record: SessionRecordStore,
    private readonly hooks: LinkHooks,
    private readonly options: LinkOptions,
  ) {
    this.clients = options.endpoints.map((e) => new Client(e));
    this.random = options.random ?? Math.random;
    if (hasWindowEvents) {
      // Back online: try now instead of at the end of the current backoff.
      addEventListener('online', () => this.wake?.());
      addEventListener('offline', () => this.status !== 'connected' && this.status !== 'closed' && this.setStatus('offline', 'no network', {}));
    }
  }

  /** Takes back a held seat, else resumes the stored session, else joins a new one. Rejects when it cannot join (after ~3 tries). */
  async connect(joinOptions: SessionJoinOptions, auth: AccessTokenSource): Promise<void> {
    this.joinOptions = joinOptions;
    this.auth = auth;
    const gen = ++this.generation;
    const token = this.record.current.reconnectionToken;
    const held = token ? await this.clients[0]!.reconnect(token).catch(() => null) : null;
    if (held) return this.adopt(held, false);
    this.adopt(await this.joinLoop(gen, 0, false), true);
  }

  /** Whether this client rides in someone's ride (rather than its own session). */
  get riding(): boolean {
    return this.ride !== null;
  }

  /**
   * Leaves the own session (its id and credential are kept) and joins the ride of invite `code`. Rejects when the
   * ride refuses (not found, forbidden, full): the own session is joined again.
   */
  async joinRide(code: string): Promise<void> {
    const gen = ++this.generation;
    const room = this.room;
    this.room = null;
    await room?.leave(true).catch(() => undefined);
    this.ride = { code };
    try {
      this.adopt(await this.joinLoop(gen, 0, false), true);
    } catch (err) {
      this.ride = null;
      void this.recover('resume', 0, CLOSE.RIDE_ENDED);
      throw err;
    }
  }

  /** The rider's greeting named the ride: it is rejoined by id from now on (after a move or a crash). */
  rodeIn(rideId: string): void {
    if (this.ride) this.ride = { id: rideId };
  }

  /** Back from a ride to the own session, where it was (a rider leaving, or the ride ended). */
  async leaveRide(): Promise<void> {
    if (!this.ride) return;
    const room = this.room;
    this.room = null;
    this.ride = null;
    ++this.generation;
    await room?.leave(true).catch(() => undefined);
    void this.recover('resume', 0, CLOSE.RIDE_ENDED);
  }

  /** `moving`: keep the credential (a rider's names its ride, which it rejoins by id); the 4100 close follows and the rejoin waits about `retryAfterMs`. */
  noteMoving(resume: string, retryAfterMs: number): void {
    const room = this.room;
    this.movingNotice = { retryAfterMs };
    if (!this.ride) this.record.update({ resume });
    // The server this client matchmade at may be the draining one: with several, rejoin through the next.
    this.endpoint = (this.endpoint + 1) % this.clients.length;
    // The draining room is no place to reconnect to: whatever closes the socket now, the next step is the rejoin.
    if (room) room.reconnection.enabled = false;
    this.setStatus('moving', 'the server is moving this session…', { retryInMs: retryAfterMs });
    // A server that never closes the socket must not leave the client on a draining process.
    setTimeout(() => {
      if (!room || this.room !== room) return;
      this.onLeave(room, CLOSE.SESSION_MOVING, 'no close after moving');
      room.reconnection.enabled = false;
      void room.leave(false).catch(() => undefined);
    }, retryAfterMs + (this.options.movingGraceMs ?? 5000));
  }

  /** Leaves for good (consented): `closed`, and nothing is resumed. */
  async leave(): Promise<void> {
    ++this.generation;
    this.wake?.();
    const room = this.room;
    this.room = null;
    this.record.clear();
    this.setStatus('closed', 'you left the session', { code: CLOSE.CONSENTED });
    await room?.leave(true).catch(() => undefined);
  }

  private adopt(room: Room, greeting: boolean): void {
    this.room = room;
    this.movingNotice = null;
    Object.assign(room.reconnection, SDK_RECONNECTION, this.options.sdkReconnection);
    this.record.update({ reconnectionToken: room.reconnectionToken });
    let giveUp: ReturnType<typeof setTimeout> | null = null;
    const resumeElsewhere = (): void => {
      if (giveUp) clearTimeout(giveUp);
      giveUp = null;
      if (this.room !== room) return;
      room.reconnection.enabled = false;
      this.onLeave(room, CLOSE.FAILED_TO_RECONNECT, 'no reconnection in time');
      void room.leave(false).catch(() => undefined);
    };
    room.onDrop((code) => {
      if (this.room !== room) return;
      this.setStatus('reconnecting', `connection dropped (${code}); reconnecting…`, { code });
      giveUp ??= setTimeout(resumeElsewhere, this.options.sdkGiveUpMs ?? 1500);
    });
    // A reconnection attempt refused (the room's process is gone) reports an error, and the SDK (0.18.4) tries no
    // more: waiting out sdkGiveUpMs would only delay the resume.
    room.onError(() => giveUp && resumeElsewhere());
    room.onReconnect(() => {
      if (giveUp) clearTimeout(giveUp);
      giveUp = null;
      if (this.room !== room) return;
      this.record.update({ reconnectionToken: room.reconnectionToken });
      this.setStatus('connected', undefined, {});
      this.hooks.restored();
    });
    room.onLeave((code, reason) => this.onLeave(room, code, reason));
    this.hooks.room(room, greeting);
    this.setStatus('connected', undefined, {});
  }

  private onLeave(room: Room, code: number, reason?: string): void {
    if (this.room !== room) return;
    this.room = null;
    if (this.ride && (code === CLOSE.RIDE_ENDED || code === CLOSE.CONSENTED)) {
      this.ride = null; // the ride ended or the host removed this rider: back to the own session
      return void this.recover('resume', 0, code);
    }
    const next = afterClose(code, this.movingNotice !== null);
    if (next === 'closed') {
      this.record.clear();
      ++this.generation;
      const why = code === CLOSE.SESSION_TAKEN_OVER ? 'the session continues on another tab or device' : `session closed (${code}${reason ? `: ${reason}` : ''})`;
      return this.setStatus('closed', why, { code });
    }
    const first = next === 'moving' ? jittered(this.movingNotice?.retryAfterMs ?? 0, this.random) : new Backoff({ ...this.options.backoff, random: this.random }).next();
    void this.recover(next, first, code);
  }

  private async recover(kind: 'moving' | 'resume', firstDelayMs: number, code: number): Promise<void> {
    const gen = ++this.generation;
    if (kind === 'moving') this.setStatus('moving', 'the server is moving this session…', { code, retryInMs: firstDelayMs });
    else this.setStatus(networkDown() ? 'offline' : 'reconnecting', `connection lost (${code}); resuming…`, { code, retryInMs: firstDelayMs });
    try {
      this.adopt(await this.joinLoop(gen, firstDelayMs, true), true);
    } catch (err) {
      if (err instanceof Superseded) return;
      if (this.ride) {
        this.ride = null; // the ride is gone (ended while moving, or refused): the own session instead
        return void this.recover('resume', 0, code);
      }
      this.record.clear();
      this.setStatus('closed', `session closed: ${(err as Error).message}`, { code: (err as { code?: number }).code });
    }
  }

  /**
   * Joins (with the credential while there is one), until it works. `background` (after a drop): keeps
   * trying with backoff and reports each failure; otherwise (connect) gives up after 3 failures.
   */
  private async joinLoop(gen: number, firstDelayMs: number, background: boolean): Promise<Room> {
    const backoff = new Backoff({ ...this.options.backoff, random: this.random });
    let delay = firstDelayMs;
    let failures = 0;
    let busyTries = 0;
    let tokenRenewed = false;
    for (;;) {
      if (delay > 0) await this.sleep(delay);
      if (gen !== this.generation) throw new Superseded();
      const resume = this.record.current.resume;
      try {
        const room = await this.join(resume);
        if (gen !== this.generation) {
          void room.leave(true).catch(() => undefined);
          throw new Superseded();
        }
        return room;
      } catch (err) {
        if (err instanceof Superseded) throw err;
        const failure = classifyJoinFailure(err, resume !== null);
        if (failure.kind === 'fallback') {
          this.record.update({ resume: null });
          this.hooks.warning(`the session could not be resumed (${failure.code}); starting a new one`);
          delay = 0;
          continue;
        }
        if (failure.kind === 'token') {
          // Expired while the app slept, or the server's key changed: one new token, at once.
          if (!tokenRenewed) {
            this.auth?.invalidate();
            tokenRenewed = true;
            delay = 0;
            continue;
          }
          if (!background) throw err;
          this.auth?.invalidate();
        }
        // A connect gives up after 3 failures; a ride moving (503 with Retry-After) is waited for longer, and counted
        // apart: it is back in seconds, and its waits must not use up the tries left for a process that went away.
        const tries = failure.kind === 'busy' ? ++busyTries : ++failures;
        if (failure.kind === 'fatal' || (!background && tries >= (failure.kind === 'busy' ? 10 : 3))) throw err;
        // Unreachable, failing or draining: the next server, if there is one.
        if (failure.kind === 'retry' || failure.kind === 'elsewhere') this.endpoint = (this.endpoint + 1) % this.clients.length;
        // A draining process's refusal closed the connection, and after `moving` another process takes the session: a
        // new connection (which a balancer may send to the process that just left) is tried promptly, a few times.
        const prompt = failure.kind === 'elsewhere' || (failure.kind === 'retry' && failure.network && this.movingNotice !== null);
        // A ride waits for its host to be back, not for a busy process to drain: it looks again at the hint, without growing.
        if (failure.kind === 'busy') delay = this.ride ? jittered(failure.retryAfterMs, this.random) : backoff.after(failure.retryAfterMs);
        else delay = Math.min(backoff.next(), prompt && failures <= PROMPT_RETRIES ? PROMPT_RETRY_MAX_MS : this.ride ? RIDE_RETRY_MAX_MS : Infinity);
        const code = (err as { code?: number | string }).code;
        const offline = networkDown() || failures >= (this.options.offlineAfterFailures ?? 4);
        if (background) this.setStatus(offline ? 'offline' : 'reconnecting', `${offline ? 'offline' : 'reconnecting'}: ${(err as Error).message || code}; retrying in ${(delay / 1000).toFixed(1)} s`, { code, attempt: failures, retryInMs: delay });
      }
    }
  }

  private async join(resume: string | null): Promise<Room> {
    const client = this.clients[this.endpoint]!;
    client.auth.token = await this.auth!.accessToken();
    if (this.ride) {
      // Where the ride is now (its room moves with the host's session): then that room, by id.
      const found = await client.http.get(`/api/rides/${encodeURIComponent(this.ride.id ?? this.ride.code ?? '')}`);
      return client.joinById((found.data as { roomId: string }).roomId, { ride: this.ride });
    }
    const options = resume ? { ...this.joinOptions, resume } : { ...this.joinOptions, lastSessionId: this.record.current.sessionId ?? this.joinOptions.lastSessionId };
    return client.create('session', options);
  }

  /** Waits `ms`, or less when woken (back online, left). */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.wake === done) this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private setStatus(status: ConnectionStatus, detail: string | undefined, info: ConnectionInfo): void {
    const key = `${status}|${detail ?? ''}`;
    this.status = status;
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    this.hooks.status(status, detail, info);
  }
}
