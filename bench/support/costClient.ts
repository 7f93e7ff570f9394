/**
 * A session on the real @colyseus/sdk whose frames are tallied into whatever {@link FrameTally} is current:
 * the message-cost bench swaps the tally per window, so every frame in or out lands in the window it was
 * seen in. Incoming frames are split into full state, patches and messages by type (the type is read
 * where the SDK dispatches the message, right after the frame that carried it was counted).
 */
import { Client, Room } from '@colyseus/sdk';
import { signInNewDevice } from '../../loadtest/auth.js';

// @colyseus/shared-types Protocol codes (low 5 bits of the first byte).
const ROOM_STATE = 14;
const ROOM_STATE_PATCH = 15;

export interface Count {
  frames: number;
  bytes: number;
}

/** Frames and payload bytes (WebSocket headers not included) of one window, all sessions together. */
export class FrameTally {
  readonly out: Count = { frames: 0, bytes: 0 };
  readonly patches: Count = { frames: 0, bytes: 0 };
  readonly fullStates: Count = { frames: 0, bytes: 0 };
  readonly replies = new Map<string, Count>();

  add(into: Count, bytes: number): void {
    into.frames++;
    into.bytes += bytes;
  }

  reply(type: string, bytes: number): void {
    let count = this.replies.get(type);
    if (!count) this.replies.set(type, (count = { frames: 0, bytes: 0 }));
    this.add(count, bytes);
  }
}

/** The tally frames go to now (null between windows: frames then count nowhere). */
export const tallies: { current: FrameTally | null } = { current: null };

class CostRoom extends Room<any, any> {
  private lastBytes = 0;

  protected override onMessageCallback(event: MessageEvent): void {
    const data = event.data as ArrayBuffer | Uint8Array;
    const bytes = data.byteLength;
    const tally = tallies.current;
    this.lastBytes = 0;
    if (tally && bytes > 0) {
      const code = new Uint8Array(data instanceof ArrayBuffer ? data : data.buffer, data instanceof ArrayBuffer ? 0 : data.byteOffset, 1)[0] & 31;
      if (code === ROOM_STATE_PATCH) tally.add(tally.patches, bytes);
      else if (code === ROOM_STATE) tally.add(tally.fullStates, bytes);
      else this.lastBytes = bytes;
    }
    super.onMessageCallback(event);
  }

  constructor(name: string) {
    super(name);
    // The SDK calls its (private) dispatchMessage for every room message, right after the frame that carried it.
    const self = this as unknown as { dispatchMessage(type: string | number, message: unknown): void };
    const dispatch = self.dispatchMessage.bind(this);
    self.dispatchMessage = (type, message) => {
      if (this.lastBytes && tallies.current) tallies.current.reply(String(type), this.lastBytes);
      this.lastBytes = 0;
      dispatch(type, message);
    };
  }

  override connect(endpoint: string, options?: any, headers?: any): void {
    super.connect(endpoint, options, headers);
    const connection = this.connection;
    const send = connection.send.bind(connection);
    connection.send = (data: Buffer | Uint8Array) => {
      if (tallies.current) tallies.current.add(tallies.current.out, data.byteLength);
      send(data);
    };
  }
}

class CostSdkClient extends Client {
  protected override createRoom<T>(roomName: string): Room<any, T> {
    return new CostRoom(roomName) as unknown as Room<any, T>;
  }
}

/** One listener: a new device, one `session` room, its inputs numbered like a client app's. */
export class CostSession {
  room!: Room<any, any>;
  seq = 0;
  /** Replies by type this session has received (to wait for answers). */
  readonly received = new Map<string, number>();

  constructor(private readonly url: string) {}

  async join(): Promise<void> {
    const { accessToken } = await signInNewDevice(this.url, 'message-cost-bench');
    const client = new CostSdkClient(this.url.replace(/^ws/, 'http'));
    client.auth.token = accessToken;
    this.room = await client.create('session', { deviceModel: 'message-cost-bench', appVersion: 'bench/1' });
    this.room.onMessage('*', (type: string | number) => this.received.set(String(type), (this.received.get(String(type)) ?? 0) + 1));
  }

  send(type: string, payload: Record<string, unknown>): void {
    this.room.send(type, { ...payload, seq: ++this.seq });
  }

  /** Keys of state.orbs (the orbs of the station on screen). */
  orbIds(): string[] {
    const orbs = this.room.state?.orbs as { keys?: () => Iterable<string>; forEach?: (fn: (v: unknown, k: string) => void) => void } | undefined;
    const ids: string[] = [];
    orbs?.forEach?.((_v, k) => ids.push(k));
    return ids;
  }

  get frequency(): number {
    return Number(this.room.state?.station?.frequency ?? 0);
  }

  async leave(): Promise<void> {
    await this.room.leave(true).catch(() => undefined);
  }
}
