/**
 * One listener's connection to the `session` room: join (or rejoin after a reload), typed messages
 * both ways, and reconnection. The iOS client has the same shape (see docs/PROTOCOL.md).
 */
import { Client, type Room } from '@colyseus/sdk';
import type { CapturedMessage, ErrorMessage, LockedMessage, SessionJoinOptions, SessionStateView, SwipeMessage, TransitionMessage, WelcomeMessage, ClockMessage } from './protocol.js';
import type { DeviceAuth } from './auth.js';

export interface SessionEvents {
  welcome(msg: WelcomeMessage): void;
  locked(msg: LockedMessage): void;
  transition(msg: TransitionMessage): void;
  captured(msg: CapturedMessage): void;
  badge(msg: { badge: string }): void;
  clock(msg: ClockMessage): void;
  error(msg: ErrorMessage): void;
  /** Every decoded patch (the state object is the same instance each time). */
  state(state: SessionStateView): void;
  connection(status: 'connected' | 'reconnecting' | 'closed', detail?: string): void;
}

type Listeners = { [K in keyof SessionEvents]: Array<SessionEvents[K]> };

const TOKEN_KEY = 'ds.play.reconnectionToken';
/** Join refused for the access token (missing, expired, forged, unknown user): get a new one and retry once. */
const JOIN_UNAUTHORIZED = 4401;

/** The state object exists before the first full state is decoded into it; wait for its parts. */
function isDecoded(state: unknown): state is SessionStateView {
  const s = state as Partial<SessionStateView> | undefined;
  return !!s?.station && !!s.dial && !!s.orbs && !!s.camera && !!s.badges;
}

export class SessionClient {
  private room: Room | null = null;
  private readonly client: Client;
  private readonly listeners: Listeners = { welcome: [], locked: [], transition: [], captured: [], badge: [], clock: [], error: [], state: [], connection: [] };

  constructor(endpoint: string) {
    this.client = new Client(endpoint);
  }

  on<K extends keyof SessionEvents>(event: K, listener: SessionEvents[K]): void {
    this.listeners[event].push(listener);
  }

  get state(): SessionStateView | null {
    return (this.room?.state as SessionStateView | undefined) ?? null;
  }

  /**
   * Rejoins the session this tab held before a reload (within the server's reconnection window; the
   * reconnection token is the credential there), otherwise joins a new one as the signed-in device.
   * The `welcome` message only arrives on a fresh join.
   */
  async connect(options: SessionJoinOptions, auth: DeviceAuth): Promise<void> {
    const token = sessionStorage.getItem(TOKEN_KEY);
    let room: Room | null = null;
    if (token) room = await this.client.reconnect(token).catch(() => null);
    room ??= await this.join(options, auth);
    this.attach(room);
  }

  private async join(options: SessionJoinOptions, auth: DeviceAuth): Promise<Room> {
    this.client.auth.token = await auth.accessToken();
    try {
      return await this.client.create('session', options);
    } catch (err) {
      if ((err as { code?: number }).code !== JOIN_UNAUTHORIZED) throw err;
      auth.invalidate(); // e.g. expired while the tab slept, or the server's key changed
      this.client.auth.token = await auth.accessToken();
      return this.client.create('session', options);
    }
  }

  swipe(swipe: SwipeMessage): void {
    this.room?.send('swipe', swipe);
  }

  tune(frequency: number): void {
    this.room?.send('tune', { frequency });
  }

  /** Asks the server's time (a `clock` reply follows): orbs move on the server clock. */
  syncClock(): void {
    this.room?.send('clock', { t0: Date.now() });
  }

  tapOrb(orbId: string): void {
    this.room?.send('tap_orb', { orbId });
  }

  /** Captures the current station's artist; `opId` makes a retried capture idempotent. */
  capture(opId: string = crypto.randomUUID()): void {
    this.room?.send('capture', { opId });
  }

  async leave(): Promise<void> {
    sessionStorage.removeItem(TOKEN_KEY);
    await this.room?.leave(true);
  }

  private attach(room: Room): void {
    this.room = room;
    sessionStorage.setItem(TOKEN_KEY, room.reconnectionToken);
    const emit = <K extends keyof SessionEvents>(event: K, ...args: Parameters<SessionEvents[K]>) => {
      for (const listener of this.listeners[event]) (listener as (...a: Parameters<SessionEvents[K]>) => void)(...args);
    };
    room.onMessage('welcome', (m: WelcomeMessage) => emit('welcome', m));
    room.onMessage('locked', (m: LockedMessage) => emit('locked', m));
    room.onMessage('transition', (m: TransitionMessage) => emit('transition', m));
    room.onMessage('captured', (m: CapturedMessage) => emit('captured', m));
    room.onMessage('badge', (m: { badge: string }) => emit('badge', m));
    room.onMessage('clock', (m: ClockMessage) => emit('clock', m));
    room.onMessage('error', (m: ErrorMessage) => emit('error', m));
    // Acknowledgements this page does not act on; registered so the SDK does not warn about them.
    for (const type of ['sensor_ack', 'offline_synced', 'connection', 'tip']) room.onMessage(type, () => undefined);
    room.onStateChange((state) => isDecoded(state) && emit('state', state));
    // The SDK reconnects by itself after a drop (within the server's window) and keeps the same room.
    room.onDrop((code) => emit('connection', 'reconnecting', `connection dropped (${code}); reconnecting…`));
    room.onReconnect(() => {
      sessionStorage.setItem(TOKEN_KEY, room.reconnectionToken);
      emit('connection', 'connected');
    });
    room.onLeave((code, reason) => {
      sessionStorage.removeItem(TOKEN_KEY);
      emit('connection', 'closed', `session closed (${code}${reason ? `: ${reason}` : ''})`);
    });
    emit('connection', 'connected');
    if (isDecoded(room.state)) emit('state', room.state);
  }
}
