/**
 * One listener's journey against the `session` room: a swipe every 1–4 s at seed-like velocities
 * (200–1200 px/s, random direction), an orb tap now and then, a capture every 3–5 locked stations,
 * a sensor batch every 30 s, and (for a planned few) one drop + reconnect with the reconnection token.
 * Every input carries a `seq`. A session that moves (`moving`, close 4100) or whose process dies (the SDK's
 * quick reconnection fails) is rejoined with its resume credential, the inputs it missed are resent, and
 * the move is counted (loadtest/handoff.ts: counters.handoff, histograms handoffGap and handoffRejoin).
 *
 * Latencies (only for inputs sent inside the measurement window):
 * - swipeToPatch: swipe sent → first state patch whose dial shows it (predicted target changed, or an
 *   idle dial unlocked);
 * - swipeToLocked: the latest swipe → `locked` (includes the dial's 0.5–1.8 s travel by design);
 * - captureToCaptured, tapToTransition: request → reply message;
 * - authDevice: the bot's one `POST /api/auth/device` before it joins (a new user's first launch);
 *   joinSession: the join alone, with that token.
 */
import { randomBytes } from 'node:crypto';
import { MeteredClient, type FrameMeter, type MeteredRoom } from './meteredClient.js';
import { epochNow, type BotPlan, type WorkerContext } from './context.js';
import { bump, countFrameIn, countFrameOut, jitterOf } from './stats.js';
import { BotLifetime } from './botLifetime.js';
import { signInNewDevice } from './auth.js';
import { isFinalClose, SessionContinuity, type MovingView, type ResumedView } from './handoff.js';
import { SDK_RECONNECTION } from '../clients/ts/src/SessionLink.js';

const PENDING_TIMEOUT_MS = 10_000;
const JOIN_TIMEOUT_MS = 30_000;
const JOIN_OPTIONS = { deviceModel: 'loadtest-bot', appVersion: 'loadtest/1' };
/** How long the SDK may try the same room after a drop before the bot resumes elsewhere (SessionLink's sdkGiveUpMs). */
const SDK_GIVE_UP_MS = 1500;

interface Pending {
  t: number;
  measure: boolean;
}

type BotState = 'idle' | 'joining' | 'connected' | 'moving' | 'rejoining' | 'dropping' | 'dead' | 'stopped';

/** Rejects after `ms` with `what timed out`; the underlying promise is left to settle on its own. */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms)))]).finally(
    () => clearTimeout(timer),
  );
}

export class SessionBot extends BotLifetime implements FrameMeter {
  private readonly client: MeteredClient;
  private readonly clients = new Map<string, MeteredClient>();
  /** The tracker, the inputs to resend, where and when to rejoin (loadtest/handoff.ts). */
  private readonly link: SessionContinuity;
  private accessToken = '';
  private room: MeteredRoom | null = null;
  private state: BotState = 'idle';
  private lastPatchAt = 0;
  private swipe: (Pending & { predicted: number; wasLocked: boolean; interactions: number; frequency: number }) | null = null;
  private lock: Pending | null = null;
  private capture: Pending | null = null;
  private tap: Pending | null = null;
  private awaitingArrival = false;
  private stationArtist = '';
  private locksSinceCapture = 0;
  private captureEvery: number;

  constructor(
    ctx: WorkerContext,
    private readonly plan: BotPlan,
  ) {
    super(ctx);
    this.client = this.clientFor(ctx.urlFor(plan));
    // A dial still gliding is a swipe in flight too (a later swipe's glide can outlast an earlier one's `locked`).
    this.link = new SessionContinuity(
      ctx,
      () => this.urls,
      plan.index % this.urls.length,
      () => !this.lock && !this.capture && !this.tap && !this.awaitingArrival && this.room?.state?.dial?.locked !== false,
    );
    this.captureEvery = 3 + Math.floor(ctx.random() * 3);
  }

  private get tracker() {
    return this.link.tracker;
  }

  get connected(): boolean {
    return this.state === 'connected';
  }

  get idle(): boolean {
    return this.plan.idle === true;
  }

  frameIn(bytes: number, isPatch: boolean, full: boolean, now: number): void {
    if (isPatch || full) this.tracker.state(now);
    if (isPatch) {
      if (this.lastPatchAt && this.ctx.measuring) {
        const interval = now - this.lastPatchAt;
        this.ctx.record('patchInterval', interval);
        this.ctx.record('patchJitter', jitterOf(interval, this.ctx.patchPeriodMs));
      }
      this.lastPatchAt = now;
    }
    if (this.ctx.measuring) countFrameIn(this.traffic, bytes, isPatch);
  }

  frameOut(bytes: number): void {
    if (this.ctx.measuring) countFrameOut(this.traffic, bytes);
  }

  async start(): Promise<void> {
    if (this.ctx.stopping) return;
    const c = this.ctx.counters;
    c.sessions.attempted++;
    this.state = 'joining';
    try {
      const tAuth = performance.now();
      await this.renewToken();
      this.client.auth.token = this.accessToken;
      this.ctx.record('authDevice', performance.now() - tAuth);
      if (this.ctx.stopping || this.state !== 'joining') return void (this.state = 'stopped');
      const t0 = performance.now();
      const joining = this.ctx.init.joinMethod === 'create' ? this.client.create('session', JOIN_OPTIONS) : this.client.joinOrCreate('session', JOIN_OPTIONS);
      // A join that completes after the timeout still holds a seat: leave it so it does not load the server unseen.
      joining.then(
        (late) => {
          if (this.state !== 'joining') void late.leave(true).catch(() => undefined);
        },
        () => undefined,
      );
      const room = (await withTimeout(joining, JOIN_TIMEOUT_MS, 'join')) as unknown as MeteredRoom;
      if (this.state !== 'joining') return; // left while joining: the handler above leaves the late room
      this.ctx.record('joinSession', performance.now() - t0);
      c.sessions.connected++;
      this.attach(room);
      if (this.ctx.stopping) return void this.leave();
      if (this.plan.idle) return;
      this.startActivity();
      if (this.plan.dropAt) {
        c.reconnects.planned++;
        this.later(this.plan.dropAt - epochNow(), () => void this.dropAndReconnect());
      }
    } catch (err) {
      this.state = 'dead';
      c.sessions.failed++;
      bump(c.joinFailures, describe(err));
    }
  }

  /** Leaves with consent and closes the window accounting. */
  async leave(): Promise<void> {
    this.stopActivity();
    const room = this.room;
    const wasConnected = this.state === 'connected';
    this.state = 'stopped';
    this.markDisconnected();
    if (room && wasConnected) await withTimeout(room.leave(true), 5000, 'leave').catch(() => undefined);
  }

  /** Called once at the end: window seconds connected, for per-bot rates. */
  override finish(): void {
    super.finish();
    if (this.traffic.botSeconds > 0.5 && !this.plan.idle) {
      this.ctx.recordRate('sessionBytesInPerSec', this.traffic.bytesIn / this.traffic.botSeconds);
      this.ctx.recordRate('sessionBytesOutPerSec', this.traffic.bytesOut / this.traffic.botSeconds);
    }
  }

  private get urls(): string[] {
    return this.ctx.init.urls.length ? this.ctx.init.urls : [this.ctx.init.url];
  }

  private clientFor(url: string): MeteredClient {
    let client = this.clients.get(url);
    if (!client) this.clients.set(url, (client = new MeteredClient(url, this)));
    return client;
  }

  /** The device's access token (one device per bot: a renewal signs the same device in again). */
  private async renewToken(): Promise<void> {
    this.plan.deviceSecret ??= randomBytes(32).toString('base64url');
    this.accessToken = (await signInNewDevice(this.link.url, 'loadtest-bot', this.plan.deviceSecret)).accessToken;
  }

  private startActivity(): void {
    this.later(this.ctx.between(1000, 4000), () => this.act());
    this.later(this.ctx.between(0, 30_000), () => this.sensorLoop());
  }

  /** Every input gets the next seq and is kept for a resend after a resume. */
  private send(type: string, payload: Record<string, unknown>): void {
    const input = this.link.inputs.stamp(type, payload);
    this.link.inputs.sentOne(input);
    this.room?.send(type, input.payload);
  }

  private attach(room: MeteredRoom): void {
    this.room = room;
    this.state = 'connected';
    this.lastPatchAt = 0;
    this.markConnected();
    Object.assign(room.reconnection, SDK_RECONNECTION);
    const c = this.ctx.counters;
    room.onMessage('welcome', (msg: { sessionId?: string; resume?: string; lastStation?: { artistId?: string } }) => {
      if (this.link.welcome(msg) && !this.plan.idle) this.startActivity();
    });
    room.onMessage('resumed', (msg: ResumedView) => this.onResumed(msg));
    room.onMessage('moving', (msg: MovingView) => {
      if (this.room !== room || this.state !== 'connected') return;
      this.noteState(room.state);
      this.link.moving(msg);
      this.state = 'moving';
      // Whatever closes this socket now (4100, or the process dying first), the next step is the rejoin.
      room.reconnection.enabled = false;
      this.pauseActivity();
    });
    room.onMessage('duplicate', () => void c.handoff.duplicates++);
    room.onMessage('state_json', () => undefined); // PATCH_BASELINE=json servers: counted on the server
    room.onMessage('locked', (msg: { artistId: string }) => {
      c.actions.locks++;
      this.locksSinceCapture++;
      this.ctx.lagEvents.push({ stream: 'visit', entityId: msg.artistId, t: epochNow() });
      if (this.lock) {
        if (this.lock.measure) this.ctx.record('swipeToLocked', performance.now() - this.lock.t);
        this.lock = null;
      }
    });
    room.onMessage('transition', () => {
      c.actions.transitions++;
      this.awaitingArrival = true;
      if (this.tap) {
        if (this.tap.measure) this.ctx.record('tapToTransition', performance.now() - this.tap.t);
        this.tap = null;
      }
    });
    room.onMessage('captured', (msg: { alreadyCaptured?: boolean; star?: { artistId?: string } }) => {
      c.actions.capturedReplies++;
      if (!msg.alreadyCaptured && msg.star?.artistId) this.ctx.lagEvents.push({ stream: 'capture', entityId: msg.star.artistId, t: epochNow() });
      if (this.capture) {
        if (this.capture.measure) this.ctx.record('captureToCaptured', performance.now() - this.capture.t);
        this.capture = null;
      }
    });
    room.onMessage('sensor_ack', () => void c.actions.sensorAcks++);
    room.onMessage('error', (msg: { code?: string; for?: string }) => {
      if (msg.code === 'MOVING') return void c.handoff.movingErrors++; // resent after `resumed`
      bump(c.errors, `${msg.for ?? '?'}:${msg.code ?? '?'}`);
      if (msg.for === 'swipe') this.swipe = this.lock = null;
      else if (msg.for === 'capture') this.capture = null;
      else if (msg.for === 'tap_orb') this.tap = null;
    });
    room.onMessage('*', () => undefined);
    room.onStateChange((state: any) => this.onState(state));
    this.watchConnection(room);
  }

  /** A drop the SDK may take back (bounded), its reconnection, and the room's end: a rejoin unless the close is final. */
  private watchConnection(room: MeteredRoom): void {
    const c = this.ctx.counters;
    let giveUp: NodeJS.Timeout | null = null;
    room.onDrop(() => {
      if (this.state !== 'connected' || this.room !== room) return;
      c.reconnects.sdkAutomatic++;
      this.tracker.lost(false);
      this.markDisconnected();
      // In Node a refused connection fires no close event, so the SDK's retries can stall: bound them.
      giveUp ??= setTimeout(resumeElsewhere, SDK_GIVE_UP_MS);
    });
    const resumeElsewhere = (): void => {
      if (giveUp) clearTimeout(giveUp);
      giveUp = null;
      if (this.state !== 'connected' || this.room !== room) return;
      room.reconnection.enabled = false;
      void this.recover(); // first: it leaves `connected` at once, so the old room's leave below is ignored
      void room.leave(false).catch(() => undefined);
    };
    // Its error is the refusal's only sign: resume at once, as SessionLink does.
    room.onError(() => giveUp && resumeElsewhere());
    room.onReconnect(() => {
      if (giveUp) clearTimeout(giveUp);
      giveUp = null;
      if (this.room !== room) return;
      this.tracker.restored();
      this.markConnected();
    });
    room.onLeave((code) => {
      if ((this.state !== 'connected' && this.state !== 'moving') || this.room !== room) return;
      this.markDisconnected();
      if (!isFinalClose(code)) return void this.recover();
      this.state = 'dead';
      this.link.dropped();
      this.stopActivity();
    });
  }

  private pauseActivity(): void {
    this.stopActivity();
    this.swipe = this.lock = this.capture = this.tap = null;
  }

  private noteState(state: any): void {
    if (state?.station?.artistId) this.tracker.artistId = state.station.artistId;
    if (typeof state?.totalStars === 'number') this.tracker.totalStars = state.totalStars;
  }

  /** The session moved or its process is gone: rejoin with the credential (another server if this one is unreachable). */
  private async recover(): Promise<void> {
    this.state = 'rejoining';
    this.room = null;
    this.tracker.lost(false); // before the pending inputs are forgotten: it notes whether one was in flight
    this.pauseActivity();
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
    const client = this.clientFor(url);
    client.auth.token = this.accessToken;
    const room = (await withTimeout(
      client.create('session', this.link.rejoinOptions(JOIN_OPTIONS, resume)),
      JOIN_TIMEOUT_MS,
      'rejoin',
    )) as unknown as MeteredRoom;
    if (this.state !== 'rejoining') return void (await room.leave(true).catch(() => undefined));
    this.attach(room);
  }

  /** Back after a move or a crash: resend what the session had not applied, then carry on. */
  private onResumed(msg: ResumedView): void {
    this.link.resumed(msg, (type, payload) => this.room?.send(type, payload));
    if (!this.plan.idle) {
      this.stopActivity();
      this.startActivity();
    }
  }

  private onState(state: any): void {
    this.noteState(state);
    const dial = state?.dial;
    const sw = this.swipe;
    if (sw && dial && (dial.predicted !== sw.predicted || (sw.wasLocked && !dial.locked) || (state.interactions ?? 0) > sw.interactions)) {
      const ms = performance.now() - sw.t;
      if (sw.measure) this.ctx.record('swipeToPatch', ms);
      if (ms > 1000)
        this.ctx.outlier({
          bot: this.plan.index,
          kind: 'swipeToPatch',
          ms: Math.round(ms),
          atSend: { predicted: sw.predicted, wasLocked: sw.wasLocked, frequency: sw.frequency, interactions: sw.interactions },
          now: { predicted: dial.predicted, locked: dial.locked, frequency: dial.frequency, interactions: state.interactions },
        });
      this.swipe = null;
    }
    const artist: string = state?.station?.artistId ?? '';
    if (artist !== this.stationArtist) {
      if (this.awaitingArrival && this.stationArtist) this.ctx.lagEvents.push({ stream: 'visit', entityId: artist, t: epochNow() });
      this.awaitingArrival = false;
      this.stationArtist = artist;
    }
  }

  private act(): void {
    if (this.state !== 'connected' || this.ctx.stopping || !this.room) return;
    this.expireStale();
    const room = this.room;
    const c = this.ctx.counters;
    const measure = this.ctx.measuring;
    const orbIds: string[] = room.state?.orbs ? Array.from(room.state.orbs.keys()) : [];
    if (this.locksSinceCapture >= this.captureEvery && !this.capture) {
      this.locksSinceCapture = 0;
      this.captureEvery = 3 + Math.floor(this.ctx.random() * 3);
      this.capture = { t: performance.now(), measure };
      c.actions.captures++;
      this.send('capture', {});
    } else if (orbIds.length && !this.tap && !this.awaitingArrival && this.ctx.random() < 0.1) {
      this.tap = { t: performance.now(), measure };
      c.actions.taps++;
      this.send('tap_orb', { orbId: this.ctx.pick(orbIds) });
    } else {
      const dial = room.state?.dial;
      if (this.swipe) c.unmatched.swipePatch++;
      if (this.lock) c.unmatched.swipeLocked++;
      const t = performance.now();
      this.swipe = {
        t,
        measure,
        predicted: dial?.predicted ?? NaN,
        wasLocked: dial?.locked ?? true,
        interactions: room.state?.interactions ?? 0,
        frequency: dial?.frequency ?? NaN,
      };
      this.lock = { t, measure };
      c.actions.swipes++;
      this.send('swipe', { direction: this.ctx.random() < 0.5 ? 'left' : 'right', velocity: Math.round(this.ctx.between(200, 1200)) });
    }
    this.later(this.ctx.between(1000, 4000), () => this.act());
  }

  private expireStale(): void {
    const now = performance.now();
    const u = this.ctx.counters.unmatched;
    if (this.swipe && now - this.swipe.t > PENDING_TIMEOUT_MS) {
      this.swipe = null;
      u.swipePatch++;
    }
    if (this.lock && now - this.lock.t > PENDING_TIMEOUT_MS) {
      this.lock = null;
      u.swipeLocked++;
    }
    if (this.capture && now - this.capture.t > PENDING_TIMEOUT_MS) {
      this.capture = null;
      u.capture++;
    }
    if (this.tap && now - this.tap.t > PENDING_TIMEOUT_MS) {
      this.tap = null;
      u.tap++;
    }
  }

  private sensorLoop(): void {
    if (this.state === 'connected' && this.room && !this.ctx.stopping) {
      const n = 1 + Math.floor(this.ctx.random() * 4);
      const samples = Array.from({ length: n }, () => ({
        type: 'gyroscope',
        duration: Math.round(this.ctx.between(0.5, 5) * 10) / 10,
        maxTiltX: Math.round(this.ctx.between(-30, 30)),
        maxTiltY: Math.round(this.ctx.between(-30, 30)),
        at: new Date().toISOString(),
      }));
      this.ctx.counters.actions.sensorBatches++;
      this.send('sensor_batch', { samples });
    }
    if (this.state === 'connected') this.later(30_000, () => this.sensorLoop());
  }

  /** Drops the socket without consent (the server holds the seat), waits, then reconnects with the token. */
  private async dropAndReconnect(): Promise<void> {
    const room = this.room;
    if (this.state !== 'connected' || !room || this.ctx.stopping) return;
    const c = this.ctx.counters;
    c.reconnects.attempted++;
    const token = room.reconnectionToken;
    this.state = 'dropping';
    room.reconnection.enabled = false;
    this.swipe = this.lock = this.capture = this.tap = null;
    await withTimeout(room.leave(false), 5000, 'drop').catch(() => undefined);
    this.markDisconnected();
    await new Promise((r) => this.later(this.ctx.between(500, 3000), () => r(undefined)));
    // leave() while dropped (a soak ends a life at any moment): the bot stays gone.
    if (this.ctx.stopping || this.state !== 'dropping') return void (this.state = 'stopped');
    const t0 = performance.now();
    try {
      const next = (await withTimeout(this.client.reconnect(token), JOIN_TIMEOUT_MS, 'reconnect')) as unknown as MeteredRoom;
      if (this.state !== 'dropping') return void (await next.leave(true).catch(() => undefined));
      this.ctx.record('reconnect', performance.now() - t0);
      c.reconnects.ok++;
      this.attach(next);
      this.stopActivity();
      this.startActivity();
    } catch (err) {
      c.reconnects.failed++;
      bump(c.joinFailures, `reconnect: ${describe(err)}`);
      this.state = 'dead';
    }
  }
}

/** A short, bounded description of a join failure for the counters. */
export function describe(err: unknown): string {
  const e = err as { code?: number; message?: string };
  const message = (e?.message ?? String(err)).replace(/[0-9a-f]{8,}|\d+(\.\d+)?/gi, 'N').slice(0, 120);
  return e?.code !== undefined ? `${e.code} ${message}` : message;
}
