/**
 * One listener's connection to the `session` room: join (or rejoin after a reload), typed messages
 * both ways, and a session that comes back by itself when its server drains or dies (SessionLink):
 * every input carries a `seq`, and the inputs the restored session had not applied are sent again.
 * Message types come from messages.ts (generated from the server's zod schemas); docs/PROTOCOL.md is
 * the reference ("Moving and resuming"). The web player (web/src/play/) uses this class.
 */
import type { Room } from '@colyseus/sdk';
import { InputPacer, type InputPacerOptions } from './InputPacer.js';
import { InputLog, type SequencedInput } from './InputLog.js';
import { SessionLink, type AccessTokenSource, type ConnectionInfo, type ConnectionStatus, type SdkReconnection } from './SessionLink.js';
import { memoryStore, SessionRecordStore, type TokenStore } from './SessionRecord.js';
import type { BackoffOptions } from './backoff.js';
import type {
  BadgeMessage,
  CapturedMessage,
  ClockMessage,
  ConnectionMessage,
  DuplicateMessage,
  InboxEntry,
  JournalMessage,
  LockedMessage,
  MovingMessage,
  NotificationsMarkedMessage,
  NotificationsMessage,
  NotificationsReadMessage,
  OfflineSyncedMessage,
  ReactionMessage,
  RecommendationsMessage,
  RideEndedMessage,
  RideJoinedMessage,
  RideMessage,
  RideOpenMessage,
  ResumedMessage,
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

export type { AccessTokenSource, ConnectionInfo, ConnectionStatus, TokenStore };

export interface SessionEvents {
  /** A fresh session (a first join, or a resume that could not be honoured). */
  welcome(msg: WelcomeMessage): void;
  /** The session came back after a move or a crash; inputs it had not applied were sent again. */
  resumed(msg: ResumedMessage): void;
  /** The server is draining and will move this session (the `connection` status says `moving` too). */
  moving(msg: MovingMessage): void;
  /** An input resent after a move that the session had already applied: ignored by the server. */
  duplicate(msg: DuplicateMessage): void;
  locked(msg: LockedMessage): void;
  transition(msg: TransitionMessage): void;
  captured(msg: CapturedMessage): void;
  badge(msg: BadgeMessage): void;
  clock(msg: ClockMessage): void;
  sensor_ack(msg: SensorAckMessage): void;
  offline_synced(msg: OfflineSyncedMessage): void;
  /** Refusals of inputs; `MOVING` (an input that reached a draining session) is not emitted: it is resent by itself. */
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
  /** A new inbox entry, live (the same id may come again in `notifications`: keep one per id). */
  notification(msg: InboxEntry): void;
  /** The unread entries after a join, a resume or a reconnection. */
  notifications(msg: NotificationsMessage): void;
  /** Answer to markNotificationsRead(). */
  notifications_marked(msg: NotificationsMarkedMessage): void;
  /** Only from a server run with PATCH_BASELINE=json (a benchmark): the whole state as JSON text. */
  state_json(msg: StateJsonMessage): void;
  /** The ride on this session (or the one this client rides in): who rides, who has the dial; the host's copy has the invite. */
  ride(msg: RideMessage): void;
  /** Someone in the ride reacted. */
  reaction(msg: ReactionMessage): void;
  /** The ride ended; a rider is taken back to their own session (a `welcome` follows). */
  ride_ended(msg: RideEndedMessage): void;
  /** Every decoded patch (the state object is the same instance each time). */
  state(state: SessionStateView): void;
  /**
   * The link: `connected`; `moving` (the server hands the session over); `reconnecting` (dropped, coming
   * back); `offline` (no network, or many failed tries: still trying, slower); `closed` only when the user
   * left, an operator ended the session (4000) or it continues elsewhere (4409).
   */
  connection(status: ConnectionStatus, detail: string | undefined, info: ConnectionInfo): void;
  /** Something was lost on the way back (an input dropped from a full queue, a resume refused): worth a log line. */
  warning(detail: string): void;
}

export interface SessionClientOptions {
  storage?: TokenStore;
  /** Storage key of the session record (resume credential, session id, next seq). */
  storageKey?: string;
  /** Input pacing (rate, burst, backoff after RATE_LIMITED); see InputPacer. Inputs wait there while not connected (default at most 64). */
  pacing?: InputPacerOptions;
  /** Other servers to matchmake at when `endpoint` cannot be reached. */
  fallbackEndpoints?: string[];
  /** Rejoin backoff (default 250 ms × 2 up to 8 s, full jitter). */
  backoff?: BackoffOptions;
  /** Sent inputs kept for a resend after a resume. Default 64. */
  keepSent?: number;
  /** The SDK's own reconnection to the same room; see SDK_RECONNECTION. */
  sdkReconnection?: Partial<SdkReconnection>;
  /** Failed rejoins before the status says `offline`. Default 4. */
  offlineAfterFailures?: number;
}

type Listeners = { [K in keyof SessionEvents]: Array<SessionEvents[K]> };
/**
 * Every message type the `session` room sends, each handled (the SDK warns about a pushed type without
 * a handler). `connection` is emitted as `star_connection`: `connection` is the link status event here.
 */
export const SESSION_MESSAGE_TYPES = ['welcome', 'resumed', 'moving', 'duplicate', 'locked', 'transition', 'captured', 'badge', 'clock', 'sensor_ack', 'offline_synced', 'error', 'recommendations', 'suggestions', 'tip', 'journal', 'search', 'state_json', 'connection', 'notification', 'notifications', 'notifications_marked', 'ride', 'ride_joined', 'reaction', 'ride_ended'] as const;
/** Types passed straight to listeners; the others are handled here first. */
const PLAIN_TYPES = ['locked', 'transition', 'captured', 'badge', 'clock', 'sensor_ack', 'offline_synced', 'recommendations', 'suggestions', 'tip', 'journal', 'search', 'state_json', 'duplicate', 'notification', 'notifications', 'notifications_marked', 'ride', 'reaction', 'ride_ended'] as const;

/** Join refused for the access token: 401 at matchmaking, 4401 at the WebSocket join. Refreshed and retried. */
export const MATCHMAKE_UNAUTHORIZED = 401;
export const JOIN_UNAUTHORIZED = 4401;
/** How long inputs wait for `welcome`/`resumed` after a join before going out anyway (a server that sends neither). */
const GREETING_TIMEOUT_MS = 3000;

/** The state object exists before the first full state is decoded into it; wait for its parts. */
function isDecoded(state: unknown): state is SessionStateView {
  const s = state as Partial<SessionStateView> | undefined;
  return !!s?.station && !!s.dial && !!s.orbs && !!s.camera && !!s.badges;
}

export class SessionClient {
  private readonly record: SessionRecordStore;
  private readonly link: SessionLink;
  private readonly log: InputLog;
  private readonly pacer: InputPacer;
  private readonly listeners: Listeners = { welcome: [], resumed: [], moving: [], duplicate: [], locked: [], transition: [], captured: [], badge: [], clock: [], sensor_ack: [], offline_synced: [], error: [], recommendations: [], suggestions: [], star_connection: [], tip: [], journal: [], search: [], notification: [], notifications: [], notifications_marked: [], state_json: [], ride: [], reaction: [], ride_ended: [], state: [], connection: [], warning: [] };
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private greetingTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(endpoint: string, options: SessionClientOptions = {}) {
    const storage = options.storage ?? (typeof sessionStorage !== 'undefined' ? sessionStorage : memoryStore());
    this.record = new SessionRecordStore(storage, options.storageKey ?? 'ds.play.session');
    this.log = new InputLog({ nextSeq: this.record.current.nextSeq, keepSent: options.keepSent });
    // Inputs are paced under the server's rate, back off when it still says RATE_LIMITED, and wait there while the link is down.
    this.pacer = new InputPacer((type, payload) => this.dispatch(type, payload), () => Date.now(), { maxQueued: 64, ...options.pacing });
    this.pacer.held = true;
    this.link = new SessionLink(
      this.record,
      {
        room: (room, greeting) => this.wire(room, greeting),
        restored: () => this.release(),
        status: (status, detail, info) => {
          if (status !== 'connected') this.hold();
          this.emit('connection', status, detail, info);
        },
        warning: (detail) => this.emit('warning', detail),
      },
      { endpoints: [endpoint, ...(options.fallbackEndpoints ?? [])], backoff: options.backoff, sdkReconnection: options.sdkReconnection, offlineAfterFailures: options.offlineAfterFailures },
    );
  }

  on<K extends keyof SessionEvents>(event: K, listener: SessionEvents[K]): void {
    this.listeners[event].push(listener);
  }

  get state(): SessionStateView | null {
    return (this.link.room?.state as SessionStateView | undefined) ?? null;
  }

  /** The link's status now (the `connection` event tells each change). */
  get status(): ConnectionStatus {
    return this.link.status;
  }

  /** The session's id (from `welcome`/`resumed`); it stays the same across moves and resumes. */
  get sessionId(): string | null {
    return this.record.current.sessionId;
  }

  /** The seq the next input will carry. */
  get nextSeq(): number {
    return this.log.nextSeq;
  }

  /**
   * Takes back the seat held before a reload (SDK reconnection token), else resumes the stored session
   * (`resumed` follows), else joins a new one (`welcome`). Rejects when no join worked (after a token
   * refresh and a few tries); after that first join the client comes back by itself until leave().
   */
  async connect(options: SessionJoinOptions, auth: AccessTokenSource): Promise<void> {
    await this.link.connect(options, auth);
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

  /** Marks inbox entries read (`{ ids }` or `{ all: true }`); `notifications_marked` answers. */
  markNotificationsRead(request: Omit<NotificationsReadMessage, 'seq'>): void {
    this.input('notifications_read', request);
  }

  /** Opens a ride on this session (you host it): `ride` answers with the invite; `invite` tells those friends in their inbox. */
  openRide(options: Omit<RideOpenMessage, 'seq'> = {}): void {
    this.input('ride_open', options);
  }

  /** A new invite code (the old one stops working), or `revoke: true` for none. */
  renewInvite(options: { revoke?: true; who?: 'friends' | 'link'; invite?: [string, ...string[]] } = {}): void {
    this.input('ride_invite', options);
  }

  /** The host passes the dial to a rider who is here; `takeDial()` takes it back. */
  passDial(userId: string): void {
    this.input('ride_pass', { userId });
  }

  takeDial(): void {
    this.input('ride_take', {});
  }

  /** The host removes a rider; they cannot rejoin this ride. */
  kickRider(userId: string): void {
    this.input('ride_kick', { userId });
  }

  /** The host ends the ride: every rider goes back to their own session. */
  endRide(): void {
    this.input('ride_end', {});
  }

  /** A reaction shown to everyone in the ride. */
  react(reaction: ReactionMessage['reaction']): void {
    this.input('react', { reaction });
  }

  /**
   * Rides along: leaves this session (kept, to come back to) and joins the ride of invite `code` (a link's `ride`
   * parameter). The ride's patches then drive `state`; `ride` says who rides and who has the dial. Rejects when the
   * ride refuses (unknown or expired invite, friends only, full): this session is joined again.
   */
  async joinRide(code: string): Promise<void> {
    this.hold();
    await this.link.joinRide(code);
  }

  /** Leaves the ride for this client's own session, where it was. */
  async leaveRide(): Promise<void> {
    this.hold();
    await this.link.leaveRide();
  }

  /** Whether this client rides in someone's ride. */
  get riding(): boolean {
    return this.link.riding;
  }

  /** Inputs waiting (for the pacer, or for the connection). */
  get pendingInputs(): number {
    return this.pacer.pending;
  }

  async leave(): Promise<void> {
    this.hold();
    await this.link.leave();
  }

  private input(type: string, payload: unknown): void {
    const dropped = this.pacer.dropped;
    this.pacer.input(type, payload);
    if (this.pacer.dropped > dropped) this.emit('warning', `too many inputs waiting: the oldest (${type} or earlier) was dropped`);
    this.scheduleFlush();
  }

  /** The pacer lets an input go: it gets its seq (stored, so a reload continues the numbering) and is sent. */
  private dispatch(type: string, payload: unknown): void {
    const input = this.log.stamp(type, payload);
    this.record.update({ nextSeq: this.log.nextSeq });
    this.transmit(input);
  }

  private transmit(input: SequencedInput): void {
    this.link.room?.send(input.type, input.payload);
    this.log.sentOne(input);
  }

  private hold(): void {
    this.pacer.held = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
  }

  private release(): void {
    if (this.greetingTimer) clearTimeout(this.greetingTimer);
    this.greetingTimer = null;
    if (this.link.status !== 'connected') return;
    this.pacer.held = false;
    this.pacer.flush();
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer || this.pacer.held || !this.pacer.pending) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.pacer.flush();
      this.scheduleFlush();
    }, Math.max(10, this.pacer.waitMs));
  }

  private emit<K extends keyof SessionEvents>(event: K, ...args: Parameters<SessionEvents[K]>): void {
    for (const listener of this.listeners[event]) (listener as (...a: Parameters<SessionEvents[K]>) => void)(...args);
  }

  private onWelcome(m: WelcomeMessage): void {
    // A new session: what the old one did not apply is not replayed into it; waiting inputs go to it.
    this.record.update({ resume: m.resume ?? null, sessionId: m.sessionId });
    this.log.forgetSent();
    this.emit('welcome', m);
    this.release();
  }

  private onResumed(m: ResumedMessage): void {
    this.record.update({ resume: m.resume, sessionId: m.sessionId });
    const { resend, lost } = this.log.replayAfter(m.appliedSeq);
    this.record.update({ nextSeq: this.log.nextSeq });
    if (lost) this.emit('warning', `${lost} input(s) sent before the move were not kept and are lost`);
    this.emit('resumed', m);
    for (const input of resend) this.transmit(input);
    this.release();
  }

  /** A rider's greeting: inputs the ride had not applied (its own numbering) go again, then the rest. */
  private onRideJoined(m: RideJoinedMessage): void {
    this.link.rodeIn(m.rideId);
    const { resend } = this.log.replayAfter(m.appliedSeq);
    this.record.update({ nextSeq: this.log.nextSeq });
    for (const input of resend) this.transmit(input);
    this.release();
  }

  private onMoving(m: MovingMessage): void {
    this.log.acknowledge(m.appliedSeq);
    this.link.noteMoving(m.resume, m.retryAfterMs);
    this.emit('moving', m);
  }

  private wire(room: Room, greeting: boolean): void {
    // The server's `connection` message is `star_connection` here: `connection` is the link status event.
    room.onMessage('connection', (m: ConnectionMessage) => this.emit('star_connection', m));
    room.onMessage('welcome', (m: WelcomeMessage) => this.onWelcome(m));
    room.onMessage('resumed', (m: ResumedMessage) => this.onResumed(m));
    room.onMessage('moving', (m: MovingMessage) => this.onMoving(m));
    room.onMessage('ride_joined', (m: RideJoinedMessage) => this.onRideJoined(m));
    room.onMessage('error', (m: SessionErrorMessage) => {
      if (m?.code === 'MOVING') return; // resent after `resumed`
      if (m?.code === 'RATE_LIMITED') {
        this.pacer.rateLimited();
        this.scheduleFlush();
      }
      this.emit('error', m);
    });
    for (const type of PLAIN_TYPES) room.onMessage(type, (m: unknown) => this.emit(type, m as never));
    room.onStateChange((state) => isDecoded(state) && this.emit('state', state));
    if (isDecoded(room.state)) this.emit('state', room.state);
    if (!greeting) return void queueMicrotask(() => this.release());
    // Inputs wait for `welcome`/`resumed`: the resend of what the session missed goes first.
    this.greetingTimer = setTimeout(() => this.release(), GREETING_TIMEOUT_MS);
  }
}
