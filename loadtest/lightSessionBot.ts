/**
 * The bulk of a large run: a session bot on a raw WebSocket, with no SDK and no schema decoding. It signs
 * in and matchmakes over HTTP like any client, speaks the Colyseus handshake itself (JOIN_ROOM → one-byte
 * ack), counts every frame and byte, and plays the same journey as {@link SessionBot} (swipes every 1–4 s,
 * a capture every 3–5 locked stations, a sensor batch every 30 s) — but no orb taps (it does not decode
 * the state, so it knows no orb ids) and no drops. It measures no latency: that is the sampled
 * {@link SessionBot}s' job (`--measure-fraction`). Of the server's messages it reads only the type, and
 * the payload of `locked` and `captured` (the spectator-lag streams) and of the handoff messages. Every
 * input carries a `seq`; a session that moves (`moving`, close 4100) or loses its process (the socket
 * drops) is rejoined with its resume credential at once (no reconnection to the same room: that is the
 * SDK bot's), the inputs it missed are resent, and the move is counted (loadtest/handoff.ts).
 */
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { pack, unpack } from 'msgpackr';
import { epochNow, type BotPlan, type WorkerContext } from './context.js';
import { bump, countFrameIn, countFrameOut } from './stats.js';
import { BotLifetime } from './botLifetime.js';
import { signInNewDevice } from './auth.js';
import { describe, withTimeout } from './sessionBot.js';
import { randomBytes } from 'node:crypto';
import { isFinalClose, SessionContinuity, type MovingView, type ResumedView } from './handoff.js';

/** Colyseus 0.18 protocol codes (@colyseus/shared-types Protocol; test/unit/loadtest/lightSessionBot.test.ts pins them). */
export const PROTOCOL = { JOIN_ROOM: 10, ERROR: 11, LEAVE_ROOM: 12, ROOM_DATA: 13, ROOM_STATE: 14, ROOM_STATE_PATCH: 15 } as const;
const JOIN_TIMEOUT_MS = 30_000;
const JOIN_OPTIONS = { deviceModel: 'loadtest-light-bot', appVersion: 'loadtest/1' };
/** Server messages whose payload this bot reads. */
const READ = new Set(['locked', 'captured', 'error', 'welcome', 'resumed', 'moving']);

/** A client → server room message: ROOM_DATA, the type as a msgpack string, then the msgpack payload. */
export function encodeRoomMessage(type: string, payload: unknown): Buffer {
  return Buffer.concat([Buffer.from([PROTOCOL.ROOM_DATA]), pack(type), pack(payload)]);
}

/** The type (and, when asked, the payload) of a server → client ROOM_DATA frame; null for other frames. */
export function decodeRoomMessage(frame: Buffer, withPayload: (type: string) => boolean): { type: string; payload?: unknown } | null {
  if ((frame[0] & 31) !== PROTOCOL.ROOM_DATA) return null;
  const head = frame[1];
  // fixstr (0xa0–0xbf) or str8 (0xd9): every message type of this server is a short string.
  const [len, start] = head >= 0xa0 && head <= 0xbf ? [head & 31, 2] : head === 0xd9 ? [frame[2], 3] : [-1, 0];
  if (len < 0) return null;
  const type = frame.toString('utf8', start, start + len);
  const end = start + len;
  return withPayload(type) && frame.length > end ? { type, payload: unpack(frame.subarray(end)) } : { type };
}

export class LightSessionBot extends BotLifetime {
  private socket: WebSocket | null = null;
  private state: 'idle' | 'joining' | 'connected' | 'moving' | 'rejoining' | 'dead' | 'stopped' = 'idle';
  private locksSinceCapture = 0;
  private captureEvery: number;
  /** The tracker, the inputs to resend, where and when to rejoin (loadtest/handoff.ts). */
  private readonly link: SessionContinuity;
  private readonly deviceSecret = randomBytes(32).toString('base64url');
  private accessToken = '';
  /** When the last swipe or capture went out (performance.now()): one in flight at a move may change the station or stars. */
  private lastInputAt = -Infinity;

  constructor(
    ctx: WorkerContext,
    private readonly plan: BotPlan,
  ) {
    super(ctx);
    this.captureEvery = 3 + Math.floor(ctx.random() * 3);
    // A glide settles within ~2 s and a capture answers well within 3 s: older inputs cannot change the session any more.
    this.link = new SessionContinuity(
      ctx,
      () => this.urls,
      plan.index % this.urls.length,
      () => performance.now() - this.lastInputAt > 3000,
    );
  }

  private get tracker() {
    return this.link.tracker;
  }

  private get urls(): string[] {
    return this.ctx.init.urls.length ? this.ctx.init.urls : [this.ctx.init.url];
  }

  private async renewToken(): Promise<void> {
    this.accessToken = (await signInNewDevice(this.link.url, 'loadtest-light-bot', this.deviceSecret)).accessToken;
  }

  get connected(): boolean {
    return this.state === 'connected';
  }

  get idle(): boolean {
    return this.plan.idle === true;
  }

  async start(): Promise<void> {
    if (this.ctx.stopping) return;
    const c = this.ctx.counters;
    c.sessions.attempted++;
    this.state = 'joining';
    try {
      await this.renewToken();
      await withTimeout(this.join(this.link.url, JOIN_OPTIONS), JOIN_TIMEOUT_MS, 'join');
      if (this.ctx.stopping) return void this.leave();
      c.sessions.connected++;
      this.startActivity();
    } catch (err) {
      this.state = 'dead';
      this.socket?.terminate();
      c.sessions.failed++;
      bump(c.joinFailures, describe(err));
    }
  }

  /** Leaves with consent (LEAVE_ROOM); the server closes the socket. Bounded. */
  async leave(): Promise<void> {
    this.stopActivity();
    const socket = this.socket;
    const wasConnected = this.state === 'connected';
    this.state = 'stopped';
    this.markDisconnected();
    if (!socket || !wasConnected) return;
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.send(Buffer.from([PROTOCOL.LEAVE_ROOM]));
    await withTimeout(closed, 5000, 'leave').catch(() => socket.terminate());
  }

  private startActivity(): void {
    if (this.plan.idle) return;
    this.stopActivity();
    this.later(this.ctx.between(1000, 4000), () => this.act());
    this.later(this.ctx.between(0, 30_000), () => this.sensorLoop());
  }

  /**
   * POST /matchmake/create/session, then the room's WebSocket until the server's JOIN_ROOM is acknowledged.
   * A refusal rejects with the matchmaker's status (or the close code) as `code` and its message, as the SDK does.
   */
  private async join(wsUrl: string, options: Record<string, unknown>): Promise<void> {
    const res = await fetch(`${wsUrl.replace(/^ws/, 'http')}/matchmake/create/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${this.accessToken}` },
      body: JSON.stringify(options),
    }).catch((err: Error & { cause?: { code?: string } }) => Promise.reject(Object.assign(new Error(err.message), { code: err.cause?.code })));
    const seat = (await res.json().catch(() => ({}))) as {
      roomId?: string;
      sessionId?: string;
      processId?: string;
      publicAddress?: string;
      code?: number;
      error?: string;
    };
    if (!res.ok || !seat.roomId || !seat.sessionId)
      throw Object.assign(new Error(seat.error ?? `matchmake ${res.status}`), { code: res.ok ? seat.code : res.status });
    const host = seat.publicAddress ? `ws://${seat.publicAddress}` : wsUrl;
    const url = `${host}/${seat.processId}/${seat.roomId}?sessionId=${encodeURIComponent(seat.sessionId)}&_authToken=${encodeURIComponent(this.accessToken)}`;
    const socket = new WebSocket(url, { perMessageDeflate: false });
    this.socket = socket;
    await new Promise<void>((resolve, reject) => {
      let joined = false;
      socket.on('message', (data: Buffer) => {
        if (!joined && data[0] === PROTOCOL.JOIN_ROOM) {
          joined = true;
          this.sendFrame(Buffer.from([PROTOCOL.JOIN_ROOM]));
          this.state = 'connected';
          this.markConnected();
          resolve();
        }
        if (this.socket === socket) this.onFrame(data);
      });
      socket.once('error', (err) => joined || reject(err));
      socket.once('close', (code, reason) => {
        if (!joined) reject(Object.assign(new Error(`closed ${code} before joining: ${reason.toString()}`), { code }));
        else if (this.socket === socket) this.onClose(code);
      });
    });
  }

  private onFrame(frame: Buffer): void {
    const code = frame[0] & 31;
    if (code === PROTOCOL.ROOM_STATE || code === PROTOCOL.ROOM_STATE_PATCH) this.tracker.state(performance.now());
    if (this.ctx.measuring) countFrameIn(this.traffic, frame.length, code === PROTOCOL.ROOM_STATE_PATCH);
    if (code !== PROTOCOL.ROOM_DATA) return;
    const msg = decodeRoomMessage(frame, (type) => READ.has(type));
    if (!msg) return;
    const c = this.ctx.counters;
    if (msg.type === 'locked') {
      c.actions.locks++;
      this.locksSinceCapture++;
      const artistId = (msg.payload as { artistId?: string } | undefined)?.artistId;
      if (artistId) {
        this.tracker.artistId = artistId;
        this.ctx.lagEvents.push({ stream: 'visit', entityId: artistId, t: epochNow() });
      }
    } else if (msg.type === 'captured') {
      c.actions.capturedReplies++;
      const p = msg.payload as { alreadyCaptured?: boolean; totalStars?: number; star?: { artistId?: string } } | undefined;
      if (typeof p?.totalStars === 'number') this.tracker.totalStars = p.totalStars;
      if (p && !p.alreadyCaptured && p.star?.artistId) this.ctx.lagEvents.push({ stream: 'capture', entityId: p.star.artistId, t: epochNow() });
    } else if (msg.type === 'error') {
      const p = msg.payload as { code?: string; for?: string } | undefined;
      if (p?.code === 'MOVING')
        c.handoff.movingErrors++; // resent after `resumed`
      else bump(c.errors, `${p?.for ?? '?'}:${p?.code ?? '?'}`);
    } else this.onSessionMessage(msg.type, msg.payload);
  }

  private onSessionMessage(type: string, payload: unknown): void {
    if (type === 'welcome') {
      const rejoined = this.link.welcome(payload as { sessionId?: string; resume?: string; lastStation?: { artistId?: string } });
      // A brand-new user has no stars: the count the resume is compared with starts at 0.
      this.tracker.totalStars ??= 0;
      if (rejoined) this.startActivity();
    } else if (type === 'resumed') {
      this.link.resumed(payload as ResumedView, (t, p) => this.sendFrame(encodeRoomMessage(t, p)));
      this.startActivity();
    } else if (type === 'moving' && this.state === 'connected') {
      this.link.moving(payload as MovingView);
      this.state = 'moving';
      this.stopActivity();
    }
  }

  private onClose(code: number): void {
    if (this.state !== 'connected' && this.state !== 'moving') return;
    this.markDisconnected();
    this.stopActivity();
    if (!isFinalClose(code)) return void this.recover();
    this.state = 'dead';
    this.link.dropped();
  }

  /** The session moved or its process is gone: rejoin with the credential (another server if this one is unreachable). */
  private async recover(): Promise<void> {
    this.state = 'rejoining';
    this.socket = null;
    this.tracker.lost(false);
    const rejoined = await this.link.recover(
      (url, resume) => this.rejoinAt(url, resume),
      () => this.renewToken(),
    );
    if (rejoined === false && this.state === 'rejoining') {
      this.state = 'dead';
      this.link.dropped();
    }
  }

  private async rejoinAt(url: string, resume: string | null): Promise<void> {
    await withTimeout(this.join(url, this.link.rejoinOptions(JOIN_OPTIONS, resume)), JOIN_TIMEOUT_MS, 'rejoin').catch((err) => {
      this.socket?.terminate();
      throw err;
    });
    if (this.state !== 'connected') this.socket?.terminate();
  }

  private act(): void {
    if (this.state !== 'connected' || this.ctx.stopping) return;
    const c = this.ctx.counters;
    if (this.locksSinceCapture >= this.captureEvery) {
      this.locksSinceCapture = 0;
      this.captureEvery = 3 + Math.floor(this.ctx.random() * 3);
      c.actions.captures++;
      this.lastInputAt = performance.now();
      this.input('capture', {});
    } else {
      c.actions.swipes++;
      this.lastInputAt = performance.now();
      this.input('swipe', { direction: this.ctx.random() < 0.5 ? 'left' : 'right', velocity: Math.round(this.ctx.between(200, 1200)) });
    }
    this.later(this.ctx.between(1000, 4000), () => this.act());
  }

  private sensorLoop(): void {
    if (this.state !== 'connected' || this.ctx.stopping) return;
    const n = 1 + Math.floor(this.ctx.random() * 4);
    const samples = Array.from({ length: n }, () => ({
      type: 'gyroscope',
      duration: Math.round(this.ctx.between(0.5, 5) * 10) / 10,
      maxTiltX: Math.round(this.ctx.between(-30, 30)),
      maxTiltY: Math.round(this.ctx.between(-30, 30)),
      at: new Date().toISOString(),
    }));
    this.ctx.counters.actions.sensorBatches++;
    this.input('sensor_batch', { samples });
    this.later(30_000, () => this.sensorLoop());
  }

  /** Every input gets the next seq and is kept for a resend after a resume. */
  private input(type: string, payload: Record<string, unknown>): void {
    const input = this.link.inputs.stamp(type, payload);
    this.link.inputs.sentOne(input);
    this.sendFrame(encodeRoomMessage(type, input.payload));
  }

  private sendFrame(frame: Buffer): void {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return;
    if (this.ctx.measuring) countFrameOut(this.traffic, frame.length);
    this.socket.send(frame);
  }
}
