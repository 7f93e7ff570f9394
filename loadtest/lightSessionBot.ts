/**
 * The bulk of a large run: a session bot on a raw WebSocket, with no SDK and no schema decoding. It signs
 * in and matchmakes over HTTP like any client, speaks the Colyseus handshake itself (JOIN_ROOM → one-byte
 * ack), counts every frame and byte, and plays the same journey as {@link SessionBot} (swipes every 1–4 s,
 * a capture every 3–5 locked stations, a sensor batch every 30 s) — but no orb taps (it does not decode
 * the state, so it knows no orb ids) and no drops. It measures no latency: that is the sampled
 * {@link SessionBot}s' job (`--measure-fraction`). Of the server's messages it reads only the type, and
 * the payload of `locked` and `captured` (the spectator-lag streams).
 */
import { WebSocket } from 'ws';
import { pack, unpack } from 'msgpackr';
import { epochNow, type BotPlan, type WorkerContext } from './context.js';
import { bump, countFrameIn, countFrameOut } from './stats.js';
import { BotLifetime } from './botLifetime.js';
import { signInNewDevice } from './auth.js';
import { describe, withTimeout } from './sessionBot.js';

/** Colyseus 0.18 protocol codes (@colyseus/shared-types Protocol; test/unit/loadtest/lightSessionBot.test.ts pins them). */
export const PROTOCOL = { JOIN_ROOM: 10, ERROR: 11, LEAVE_ROOM: 12, ROOM_DATA: 13, ROOM_STATE_PATCH: 15 } as const;
const JOIN_TIMEOUT_MS = 30_000;

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
  private state: 'idle' | 'joining' | 'connected' | 'dead' | 'stopped' = 'idle';
  private locksSinceCapture = 0;
  private captureEvery: number;

  constructor(
    ctx: WorkerContext,
    private readonly plan: BotPlan,
  ) {
    super(ctx);
    this.captureEvery = 3 + Math.floor(ctx.random() * 3);
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
      const { accessToken } = await signInNewDevice(this.ctx.urlFor(this.plan), 'loadtest-light-bot');
      await withTimeout(this.join(accessToken), JOIN_TIMEOUT_MS, 'join');
      if (this.ctx.stopping) return void this.leave();
      c.sessions.connected++;
      if (this.plan.idle) return;
      this.later(this.ctx.between(1000, 4000), () => this.act());
      this.later(this.ctx.between(0, 30_000), () => this.sensorLoop());
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

  /** POST /matchmake/create/session, then the room's WebSocket until the server's JOIN_ROOM is acknowledged. */
  private async join(accessToken: string): Promise<void> {
    const http = this.ctx.urlFor(this.plan).replace(/^ws/, 'http');
    const res = await fetch(`${http}/matchmake/create/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ deviceModel: 'loadtest-light-bot', appVersion: 'loadtest/1' }),
    });
    const seat = (await res.json().catch(() => ({}))) as { roomId?: string; sessionId?: string; processId?: string; publicAddress?: string; code?: number; error?: string };
    if (!res.ok || !seat.roomId || !seat.sessionId) throw new Error(`matchmake ${res.status} ${seat.code ?? ''} ${seat.error ?? ''}`.trim());
    const host = seat.publicAddress ? `ws://${seat.publicAddress}` : this.ctx.urlFor(this.plan);
    const url = `${host}/${seat.processId}/${seat.roomId}?sessionId=${encodeURIComponent(seat.sessionId)}&_authToken=${encodeURIComponent(accessToken)}`;
    const socket = new WebSocket(url, { perMessageDeflate: false });
    this.socket = socket;
    await new Promise<void>((resolve, reject) => {
      socket.on('message', (data: Buffer) => {
        if (this.state === 'joining' && data[0] === PROTOCOL.JOIN_ROOM) {
          this.send(Buffer.from([PROTOCOL.JOIN_ROOM]));
          this.state = 'connected';
          this.markConnected();
          resolve();
        }
        this.onFrame(data);
      });
      socket.once('error', reject);
      socket.once('close', (code) => {
        if (this.state === 'joining') reject(new Error(`closed ${code} before joining`));
        this.onClose();
      });
    });
  }

  private onFrame(frame: Buffer): void {
    const code = frame[0] & 31;
    if (this.ctx.measuring) countFrameIn(this.traffic, frame.length, code === PROTOCOL.ROOM_STATE_PATCH);
    if (code !== PROTOCOL.ROOM_DATA) return;
    const msg = decodeRoomMessage(frame, (type) => type === 'locked' || type === 'captured' || type === 'error');
    if (!msg) return;
    const c = this.ctx.counters;
    if (msg.type === 'locked') {
      c.actions.locks++;
      this.locksSinceCapture++;
      const artistId = (msg.payload as { artistId?: string } | undefined)?.artistId;
      if (artistId) this.ctx.lagEvents.push({ stream: 'visit', entityId: artistId, t: epochNow() });
    } else if (msg.type === 'captured') {
      c.actions.capturedReplies++;
      const p = msg.payload as { alreadyCaptured?: boolean; star?: { artistId?: string } } | undefined;
      if (p && !p.alreadyCaptured && p.star?.artistId) this.ctx.lagEvents.push({ stream: 'capture', entityId: p.star.artistId, t: epochNow() });
    } else if (msg.type === 'error') {
      const p = msg.payload as { code?: string; for?: string } | undefined;
      bump(c.errors, `${p?.for ?? '?'}:${p?.code ?? '?'}`);
    }
  }

  private onClose(): void {
    if (this.state !== 'connected') return;
    this.state = 'dead';
    this.ctx.counters.sessions.dropped++;
    this.markDisconnected();
    this.stopActivity();
  }

  private act(): void {
    if (this.state !== 'connected' || this.ctx.stopping) return;
    const c = this.ctx.counters;
    if (this.locksSinceCapture >= this.captureEvery) {
      this.locksSinceCapture = 0;
      this.captureEvery = 3 + Math.floor(this.ctx.random() * 3);
      c.actions.captures++;
      this.send(encodeRoomMessage('capture', {}));
    } else {
      c.actions.swipes++;
      this.send(encodeRoomMessage('swipe', { direction: this.ctx.random() < 0.5 ? 'left' : 'right', velocity: Math.round(this.ctx.between(200, 1200)) }));
    }
    this.later(this.ctx.between(1000, 4000), () => this.act());
  }

  private sensorLoop(): void {
    if (this.state !== 'connected' || this.ctx.stopping) return;
    const n = 1 + Math.floor(this.ctx.random() * 4);
    const samples = Array.from({ length: n }, () => ({ type: 'gyroscope', duration: Math.round(this.ctx.between(0.5, 5) * 10) / 10, maxTiltX: Math.round(this.ctx.between(-30, 30)), maxTiltY: Math.round(this.ctx.between(-30, 30)), at: new Date().toISOString() }));
    this.ctx.counters.actions.sensorBatches++;
    this.send(encodeRoomMessage('sensor_batch', { samples }));
    this.later(30_000, () => this.sensorLoop());
  }

  private send(frame: Buffer): void {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return;
    if (this.ctx.measuring) countFrameOut(this.traffic, frame.length);
    this.socket.send(frame);
  }



}
