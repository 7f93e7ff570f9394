/**
 * The @colyseus/sdk client, metered: every WebSocket frame in and out of a room is counted where the
 * SDK touches the socket. Incoming frames are counted in `Room.onMessageCallback` (the handler the
 * SDK installs on its `Connection`, called once per WebSocket message, before decoding); outgoing
 * frames by wrapping `room.connection.send` (every SDK send goes through it, the JOIN ack and leave
 * included). Byte counts are payload bytes; the meter adds the RFC 6455 header size separately.
 */
import { Client, Room } from '@colyseus/sdk';

// @colyseus/shared-types Protocol codes (low 5 bits of the first byte).
const ROOM_STATE = 14;
const ROOM_STATE_PATCH = 15;

/** Receives every frame of the rooms a {@link MeteredClient} creates. `now` is performance.now(). */
export interface FrameMeter {
  frameIn(bytes: number, isPatch: boolean, isFullState: boolean, now: number): void;
  frameOut(bytes: number): void;
}

export class MeteredRoom extends Room<any, any> {
  meter?: FrameMeter;

  protected override onMessageCallback(event: MessageEvent): void {
    const data = event.data as ArrayBuffer | Uint8Array;
    const bytes = data.byteLength;
    if (this.meter && bytes > 0) {
      const code = new Uint8Array(data instanceof ArrayBuffer ? data : data.buffer, data instanceof ArrayBuffer ? 0 : data.byteOffset, 1)[0] & 31;
      this.meter.frameIn(bytes, code === ROOM_STATE_PATCH, code === ROOM_STATE, performance.now());
    }
    super.onMessageCallback(event);
  }

  override connect(endpoint: string, options?: any, headers?: any): void {
    super.connect(endpoint, options, headers);
    const connection = this.connection;
    const send = connection.send.bind(connection);
    connection.send = (data: Buffer | Uint8Array) => {
      this.meter?.frameOut(data.byteLength);
      send(data);
    };
  }
}

/** One SDK client per bot, so every room it creates reports to that bot's meter. */
export class MeteredClient extends Client {
  constructor(
    endpoint: string,
    private readonly meter: FrameMeter,
  ) {
    super(endpoint);
  }

  protected override createRoom<T>(roomName: string): Room<any, T> {
    const room = new MeteredRoom(roomName);
    room.meter = this.meter;
    return room as unknown as Room<any, T>;
  }
}
