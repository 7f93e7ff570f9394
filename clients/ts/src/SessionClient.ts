/**
 * One listener's connection to the `session` room: join (or rejoin after a reload), typed messages
 * both ways, and reconnection. Message types come from messages.ts (generated from the server's zod
 * schemas); docs/PROTOCOL.md is the reference. The web player (web/src/play/) uses this class.
 */
import { InputPacer, type InputPacerOptions } from './InputPacer.js';
import { Client, type Room } from '@colyseus/sdk';
import type {
  BadgeMessage,
  CapturedMessage,
  ClockMessage,
  ConnectionMessage,
  DuplicateMessage,
  MovingMessage,
  ResumedMessage,
  JournalMessage,
  LockedMessage,
  OfflineSyncedMessage,
  RecommendationsMessage,
  SearchMessage,
  SearchRequest,
  SensorAckMessage,
  SensorBatchMessage,
  SessionErrorMessage,
  SessionJoinOptions,
  StateJsonMessage,
  SuggestionsMessage,
  SwipeMessage,
  SyncOfflineMessage,
  TipMessage,
  TransitionMessage,
  WelcomeMessage,
} from './messages.js';
import type { SessionStateView } from './state.js';

export interface SessionEvents {
  welcome(msg: WelcomeMessage): void;
  locked(msg: LockedMessage): void;
  transition(msg: TransitionMessage): void;
  captured(msg: CapturedMessage): void;
  badge(msg: BadgeMessage): void;
  clock(msg: ClockMessage): void;
  sensor_ack(msg: SensorAckMessage): void;
  offline_synced(msg: OfflineSyncedMessage): void;
  error(msg: SessionErrorMessage): void;
  recommendations(msg: RecommendationsMessage): void;
  suggestions(msg: SuggestionsMessage): void;
  /** A lock drew a line between two of the user's stars (the server's `connection` message). */
  star_connection(msg: ConnectionMessage): void;
  tip(msg: TipMessage): void;
  /** Answer to journal(): the constellation journal. */
  journal(msg: JournalMessage): void;
  /** Answer to search(), with its `requestId`. */
  search(msg: SearchMessage): void;
  /** Only from a server run with PATCH_BASELINE=json (a benchmark): the whole state as JSON text. */
  state_json(msg: StateJsonMessage): void;
  /** Instead of `welcome` after a move or a crash: the session was restored (docs/PROTOCOL.md "Moving and resuming"). */
  resumed(msg: ResumedMessage): void;
  /** The process is draining: the session was saved and moves to another process. */
  moving(msg: MovingMessage): void;
  /** An input resent after a move had already been applied: ignored by the server. */
  duplicate(msg: DuplicateMessage): void;
  /** Every decoded patch (the state object is the same instance each time). */
  state(state: SessionStateView): void;
  connection(status: 'connected' | 'reconnecting' | 'closed', detail?: string): void;
}

/** Where the access token comes from (POST /api/auth/device or /refresh; e.g. web/src/play/auth.ts). */
export interface AccessTokenSource {
  accessToken(): Promise<string>;
  /** The server refused the token (401 at matchmaking, 4401 at the join): forget it so the next accessToken() fetches a new one. */
  invalidate(): void;
}

/** Where the reconnection token is kept across reloads (browser: sessionStorage). */
export interface TokenStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface SessionClientOptions {
  storage?: TokenStore;
  /** Storage key of the reconnection token. */
  storageKey?: string;
  /** Input pacing (rate, burst, backoff after RATE_LIMITED); see InputPacer. */
  pacing?: InputPacerOptions;
}

type Listeners = { [K in keyof SessionEvents]: Array<SessionEvents[K]> };
/**
 * Every message type the `session` room sends, each handled (the SDK warns about a pushed type without
 * a handler). `connection` is emitted as `star_connection`: `connection` is the link status event here.
 */
export const SESSION_MESSAGE_TYPES = ['welcome', 'locked', 'transition', 'captured', 'badge', 'clock', 'sensor_ack', 'offline_synced', 'error', 'recommendations', 'suggestions', 'tip', 'journal', 'search', 'state_json', 'resumed', 'moving', 'duplicate', 'connection'] as const;
type PushedType = Exclude<(typeof SESSION_MESSAGE_TYPES)[number], 'connection'>;

/**
 * Join refused for the access token (missing, expired, forged, unknown device): get a new one and retry once.
 * Matchmaking checks the token, and the SDK rejects with its HTTP status (401); 4401 comes from the
 * WebSocket join when the token's user is gone by then.
 */
export const MATCHMAKE_UNAUTHORIZED = 401;
export const JOIN_UNAUTHORIZED = 4401;
const refusedToken = (err: unknown): boolean => {
  const code = (err as { code?: number }).code;
  return code === MATCHMAKE_UNAUTHORIZED || code === JOIN_UNAUTHORIZED;
};

function memoryStore(): TokenStore {
  const items = new Map<string, string>();
  return { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v), removeItem: (k) => void items.delete(k) };
}

/** The state object exists before the first full state is decoded into it; wait for its parts. */
function isDecoded(state: unknown): state is SessionStateView {
  const s = state as Partial<SessionStateView> | undefined;
  return !!s?.station && !!s.dial && !!s.orbs && !!s.camera && !!s.badges;
}

export class SessionClient {
  private room: Room | null = null;
  private readonly client: Client;
  private readonly storage: TokenStore;
  private readonly storageKey: string;
  private readonly listeners: Listeners = { welcome: [], locked: [], transition: [], captured: [], badge: [], clock: [], sensor_ack: [], offline_synced: [], error: [], recommendations: [], suggestions: [], star_connection: [], tip: [], journal: [], search: [], state_json: [], resumed: [], moving: [], duplicate: [], state: [], connection: [] };

  private readonly pacer: InputPacer;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(endpoint: string, options: SessionClientOptions = {}) {
    this.client = new Client(endpoint);
    // Inputs are paced under the server's rate and back off when it still says RATE_LIMITED.
    this.pacer = new InputPacer((type, payload) => this.room?.send(type, payload), () => Date.now(), options.pacing);
    this.storage = options.storage ?? (typeof sessionStorage !== 'undefined' ? sessionStorage : memoryStore());
    this.storageKey = options.storageKey ?? 'ds.play.reconnectionToken';
  }

  on<K extends keyof SessionEvents>(event: K, listener: SessionEvents[K]): void {
    this.listeners[event].push(listener);
  }

  get state(): SessionStateView | null {
    return (this.room?.state as SessionStateView | undefined) ?? null;
  }

  /**
   * Rejoins the session held before a reload (within the server's reconnection window; the
   * reconnection token is the credential there), otherwise joins a new one with the access token.
   * The `welcome` message only arrives on a fresh join.
   */
  async connect(options: SessionJoinOptions, auth: AccessTokenSource): Promise<void> {
    const token = this.storage.getItem(this.storageKey);
    let room: Room | null = null;
    if (token) room = await this.client.reconnect(token).catch(() => null);
    room ??= await this.join(options, auth);
    this.attach(room);
  }

  private async join(options: SessionJoinOptions, auth: AccessTokenSource): Promise<Room> {
    this.client.auth.token = await auth.accessToken();
    try {
      return await this.client.create('session', options);
    } catch (err) {
      if (!refusedToken(err)) throw err;
      auth.invalidate(); // e.g. expired while the app slept, or the server's key changed
      this.client.auth.token = await auth.accessToken();
      return this.client.create('session', options);
    }
  }

  swipe(swipe: SwipeMessage): void {
    this.input('swipe', swipe);
  }

  tune(frequency: number): void {
    this.input('tune', { frequency });
  }

  /** Asks the server's time (a `clock` reply follows): orbs move on the server clock. */
  syncClock(): void {
    this.input('clock', { t0: Date.now() });
  }

  tapOrb(orbId: string): void {
    this.input('tap_orb', { orbId });
  }

  /** Captures the current station's artist (or `artistId`); `opId` makes a retried capture idempotent. */
  capture(opId: string = crypto.randomUUID(), artistId?: string): void {
    this.input('capture', artistId === undefined ? { opId } : { opId, artistId });
  }

  sendSensors(batch: SensorBatchMessage): void {
    this.input('sensor_batch', batch);
  }

  /** Replays the offline queue; `offline_synced` says which operations to drop. */
  syncOffline(message: SyncOfflineMessage): void {
    this.input('sync_offline', message);
  }

  /** Asks for the constellation journal; `journal` answers. */
  journal(): void {
    this.input('journal', {});
  }

  /** Searches artists (one search at a time per session: send the next after the `search` answer); `search` answers with `requestId`. */
  search(request: SearchRequest): void {
    this.input('search', request);
  }

  /** Inputs waiting for the pacer (0 when everything went out). */
  get pendingInputs(): number {
    return this.pacer.pending;
  }

  private input(type: string, payload: unknown): void {
    this.pacer.input(type, payload);
    this.scheduleFlush();
  }

  private backOff(): void {
    this.pacer.rateLimited();
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer || !this.pacer.pending) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.pacer.flush();
      this.scheduleFlush();
    }, Math.max(10, this.pacer.waitMs));
  }

  async leave(): Promise<void> {
    this.storage.removeItem(this.storageKey);
    await this.room?.leave(true);
  }

  private emit<K extends keyof SessionEvents>(event: K, ...args: Parameters<SessionEvents[K]>): void {
    for (const listener of this.listeners[event]) (listener as (...a: Parameters<SessionEvents[K]>) => void)(...args);
  }

  private attach(room: Room): void {
    this.room = room;
    this.storage.setItem(this.storageKey, room.reconnectionToken);
    // The server's `connection` message is `star_connection` here: `connection` is the link status event.
    room.onMessage('connection', (m: ConnectionMessage) => this.emit('star_connection', m));
    for (const type of SESSION_MESSAGE_TYPES) {
      if (type === 'connection') continue;
      room.onMessage(type, (m: Parameters<SessionEvents[PushedType]>[0]) => {
        if (type === 'error' && (m as { code?: string } | undefined)?.code === 'RATE_LIMITED') this.backOff();
        this.emit(type, m as never);
      });
    }
    room.onStateChange((state) => isDecoded(state) && this.emit('state', state));
    // The SDK reconnects by itself after a drop (within the server's window) and keeps the same room.
    room.onDrop((code) => this.emit('connection', 'reconnecting', `connection dropped (${code}); reconnecting…`));
    room.onReconnect(() => {
      this.storage.setItem(this.storageKey, room.reconnectionToken);
      this.emit('connection', 'connected');
    });
    room.onLeave((code, reason) => {
      this.storage.removeItem(this.storageKey);
      this.emit('connection', 'closed', `session closed (${code}${reason ? `: ${reason}` : ''})`);
    });
    this.emit('connection', 'connected');
    if (isDecoded(room.state)) this.emit('state', room.state);
  }
}
