/**
 * Every place we rely on Colyseus internals, and nowhere else. Each has a test that fails when the library changes
 * underneath: pendingChanges, sessionTicking ("no per-room timers"), sharedEncodeBuffers, encodedOnce.
 */
import { getMessageBytes, Protocol, type Client, type Room } from '@colyseus/core';
import { $changes, Encoder, type Schema } from '@colyseus/schema';

/** Colyseus's own `applyPatches` test (`Encoder.hasChanges`): a patch step that changed nothing skips `broadcastPatch`. Unknown → true. */
export function hasPendingChanges(state: Schema): boolean {
  const root = (state as unknown as { [$changes]?: { root?: { changes: { next?: unknown } } } })[$changes]?.root;
  return root === undefined || root.changes.next !== undefined;
}

/**
 * patches/@colyseus+core*.patch puts these accessors on the prototype. As class fields they would be own data properties over the accessors, and folding them back in `Room.__init` (a
 * `delete` each) makes the room a dictionary-mode object: ≈ 3 KB per room. Assigned here they go through the setters.
 */
export function assignRoomAccessors<S>(room: { maxClients: number; state: S }, values: { maxClients?: number; state?: S }): void {
  if (values.maxClients !== undefined) room.maxClients = values.maxClients;
  if (values.state !== undefined) room.state = values.state;
}

/** Read when this module loads: before anything here can change it. */
export const UPSTREAM_SCHEMA_BUFFER_BYTES = Encoder.BUFFER_SIZE;

/**
 * The encoder's `sharedBuffer` and the serializer's `fullEncodeBuffer` read the static `Encoder.BUFFER_SIZE` when
 * created: call once at boot, before any room exists.
 */
export function setSchemaBufferBytes(bytes: number): void {
  Encoder.BUFFER_SIZE = bytes;
}

/**
 * A room's own buffers when its state can outgrow `Encoder.BUFFER_SIZE`: the serializer never keeps the larger one
 * the encoder grows, so a too-small buffer is grown again, with a warning, on every join.
 */
export function sizeEncodeBuffers(room: Room, bytes: number): boolean {
  const serializer = serializerOf(room);
  const ownFull = serializer?.fullEncodeBuffer;
  if (!serializer?.encoder || !ownFull) return false;
  if (ownFull.byteLength >= bytes) return true;
  const full = new Uint8Array(bytes);
  full[0] = ownFull[0]; // the full-state frame's protocol byte, written by the serializer's reset
  serializer.fullEncodeBuffer = full;
  serializer.encoder.sharedBuffer = new Uint8Array(bytes);
  return true;
}

/**
 * Colyseus starts a 60 Hz clock interval for a room with no patch rate unless it believes the room owns a simulation
 * interval; the shared ticker is that loop, so the room holds this inert handle.
 */
const DRIVEN_BY_SHARED_TICKER = setInterval(() => undefined, 2 ** 30);
clearInterval(DRIVEN_BY_SHARED_TICKER);

/** For rooms stepped by rooms/RoomTicker.ts: no per-room Colyseus timers. */
export function driveWithSharedTicker(room: Room): void {
  (room as unknown as { _simulationInterval: unknown })._simulationInterval = DRIVEN_BY_SHARED_TICKER;
  room.patchRate = null;
}

/**
 * The frames `send` sends (a patch and the message after it) leave in one write. uWS corks its own callbacks but not
 * sends from the shared ticker or an async completion. Other transports or a closed socket: `send` just runs.
 */
export function corked(client: unknown, send: () => void): void {
  const c = client as { readyState?: number; ref?: { ws?: { cork?(send: () => void): unknown } } } | undefined;
  const ws = c?.readyState === 1 ? c.ref?.ws : undefined;
  if (typeof ws?.cork !== 'function') return send();
  let ran = false;
  try {
    ws.cork(() => {
      ran = true;
      send();
    });
  } catch (err) {
    if (ran) throw err; // `send` itself failed: not a cork problem
    send(); // the socket closed under us: the transport drops frames to a closed client itself
  }
}

/**
 * Colyseus uses the same close code (4002) when a client reconnects while its old socket is still open, and that
 * client must keep its seat: only the frame count tells the two apart.
 */
export function closedForFlooding(client: unknown, maxMessagesPerSecond: number): boolean {
  return ((client as { _numMessagesLastSecond?: number })._numMessagesLastSecond ?? 0) > maxMessagesPerSecond;
}

/**
 * A frame literally typed "*" matches the wildcard's own registration and arrives as `(client, payload,
 * SEND_CONTEXT)`: the payload sits in the type slot and the third argument is the frozen send context, which no
 * decoded payload can be (msgpack carries no functions). Returns "*" for that frame, else the type slot.
 */
export function wildcardType(typeSlot: unknown, third: unknown): unknown {
  const ctx = third as { resolve?: unknown; reject?: unknown } | null;
  const isSendContext =
    typeof ctx === 'object' && ctx !== null && Object.isFrozen(ctx) && typeof ctx.resolve === 'function' && typeof ctx.reject === 'function';
  return isSendContext ? '*' : typeSlot;
}

interface SerializerInternals {
  hasFilters?: boolean;
  encoder?: { sharedBuffer: Uint8Array };
  fullEncodeBuffer?: Uint8Array;
  needFullEncode?: boolean;
  getFullState?: (...args: unknown[]) => unknown;
  handshake?: () => Uint8Array | undefined;
  handshakeCache?: Uint8Array;
}

const serializerOf = (room: Room) => (room as unknown as { _serializer?: SerializerInternals })._serializer;

let sharedBuffers: { patch: Uint8Array; full: Uint8Array } | undefined;
/** The state's type reflection: the same bytes for every room of a class. */
const sharedHandshakes = new WeakMap<object, Uint8Array>();

/**
 * One pair of encode buffers for every such room of the process instead of two per room, and the handshake shared per
 * state class. Safe because an encode and its sends run in one synchronous stretch (uWS copies what it sends) and the
 * full state is encoded afresh each time (a cached one would point into a buffer another room wrote since). For rooms
 * without filters whose full state is rare.
 */
export function shareEncodeBuffers(room: Room): boolean {
  const serializer = serializerOf(room);
  const ownFull = serializer?.fullEncodeBuffer;
  if (!serializer?.encoder || !ownFull || serializer.hasFilters || typeof serializer.getFullState !== 'function') return false;
  sharedBuffers ??= { patch: new Uint8Array(Encoder.BUFFER_SIZE), full: new Uint8Array(Encoder.BUFFER_SIZE) };
  sharedBuffers.full[0] = ownFull[0]; // the full-state frame's protocol byte, written once by the serializer's reset
  serializer.encoder.sharedBuffer = sharedBuffers.patch;
  serializer.fullEncodeBuffer = sharedBuffers.full;
  shareHandshake(serializer, (room as unknown as { state?: object }).state);
  serializer.getFullState = freshFullState;
  return true;
}

/** One function for every room, not a closure each. */
function freshFullState(this: SerializerInternals, ...args: unknown[]): unknown {
  this.needFullEncode = true;
  const own = Object.getPrototypeOf(this) as SerializerInternals;
  return own.getFullState!.apply(this, args);
}

/** The bytes depend on the state's classes only; Colyseus copies, never writes them. */
function shareHandshake(serializer: SerializerInternals, state: object | undefined): void {
  if (!state || typeof serializer.handshake !== 'function') return;
  const shared = sharedHandshakes.get(state.constructor);
  if (shared) return void (serializer.handshakeCache = shared);
  const own = serializer.handshake();
  if (own) sharedHandshakes.set(state.constructor, own);
}

interface RawSendableClient {
  send(type: string, payload?: unknown): void;
  enqueueRaw?(frame: Uint8Array): void;
}

/** A payload sent as is many times (a cached journal) is encoded once. */
const encodedFrames = new WeakMap<object, { type: string; frame: Uint8Array }>();

/** The frame is kept with the object and handed to the transport as is. The payload must not change after its first send. */
export function sendEncodedOnce(client: RawSendableClient | undefined, type: string, payload: object): void {
  if (!client) return;
  if (typeof client.enqueueRaw !== 'function') return client.send(type, payload);
  let kept = encodedFrames.get(payload);
  if (kept?.type !== type) {
    kept = { type, frame: getMessageBytes.raw(Protocol.ROOM_DATA, type, payload) };
    encodedFrames.set(payload, kept);
  }
  client.enqueueRaw(kept.frame);
}

/** Reached through `matchMaker.remoteRoomCall` wherever the room lives. False when the client is not here. */
export function kickClient(room: Pick<Room, 'clients'>, sessionId: string): boolean {
  const client = (room.clients as unknown as { getById(id: string): Client | undefined }).getById(sessionId);
  if (!client) return false;
  client.leave(4000, 'removed by an operator'); // consented (4000), so the SDK does not try to reconnect
  return true;
}
