/**
 * The places we rely on Colyseus internals, kept here and nowhere else. Each has a test that fails
 * when the library changes underneath: test/unit/rooms/pendingChanges.test.ts (against the encoder's
 * own `hasChanges`), test/rooms/sessionTicking.test.ts ("twelve session rooms add no per-room timers") and
 * test/unit/rooms/sharedEncodeBuffers.test.ts (the serializer's buffers and full-state cache), test/unit/rooms/encodedOnce.test.ts
 * (a message frame built as `client.send` builds it).
 */
import { getMessageBytes, Protocol, type Room } from '@colyseus/core';
import { $changes, Encoder, type Schema } from '@colyseus/schema';

interface Tracked {
  [$changes]?: { root?: { changes: { next?: unknown } } };
}

/**
 * True when `state` holds changes not yet encoded: the same test Colyseus's `applyPatches` starts with
 * (`Encoder.hasChanges`). The ticker asks before each patch step so the ~4 of 5 steps in which an idle
 * session changed nothing skip `broadcastPatch` and its bookkeeping. Unknown → true (patch as usual).
 */
export function hasPendingChanges(state: Schema): boolean {
  const root = (state as unknown as Tracked)[$changes]?.root;
  return root === undefined || root.changes.next !== undefined;
}

/** The Room properties Colyseus backs with accessors (patches/@colyseus+core*.patch puts them on the prototype). */
interface RoomAccessorValues<S> {
  maxClients?: number;
  state?: S;
}

/**
 * Sets a room's accessor-backed properties from its constructor. Declared as class fields instead, they would be
 * own data properties over the accessors, and folding them back in `Room.__init` (a `delete` each) turns the room
 * into a dictionary-mode object: ≈ 3 KB per room (BENCHMARKS.md "Memory per session"). Assigned here, they go
 * through the inherited setters, which only store the value until the room is initialised.
 */
export function assignRoomAccessors<S>(room: { maxClients: number; state: S }, values: RoomAccessorValues<S>): void {
  if (values.maxClients !== undefined) room.maxClients = values.maxClients;
  if (values.state !== undefined) room.state = values.state;
}

/** @colyseus/schema's own buffer size, read when this module loads: before anything here can change it. */
export const UPSTREAM_SCHEMA_BUFFER_BYTES = Encoder.BUFFER_SIZE;

/**
 * Sets the size of the encode buffers every room allocates from now on (the encoder's `sharedBuffer`
 * and the serializer's `fullEncodeBuffer` both read the static `Encoder.BUFFER_SIZE` when created).
 * Call once at boot, before any room exists; a state that outgrows it makes its room's buffer larger.
 */
export function setSchemaBufferBytes(bytes: number): void {
  Encoder.BUFFER_SIZE = bytes;
}

/**
 * Gives a room its own encode buffers of `bytes` each (patches and full states) when its state can outgrow the
 * process-wide `Encoder.BUFFER_SIZE`. The serializer passes its full-state buffer to every full encode and never
 * keeps the larger one the encoder grows, so a too-small buffer is grown again, with a console warning, on every
 * join. Returns whether it applied (a serializer without those fields is left as it is).
 */
export function sizeEncodeBuffers(room: Room, bytes: number): boolean {
  const serializer = (room as unknown as { _serializer?: SerializerInternals })._serializer;
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
 * A cleared timer handle. Colyseus starts a 60 Hz clock interval for any room with no patch rate
 * unless it believes the room owns a simulation interval; the shared ticker is that loop, so the
 * room holds this inert handle (clearing it again on dispose is harmless).
 */
const DRIVEN_BY_SHARED_TICKER = setInterval(() => undefined, 2 ** 30);
clearInterval(DRIVEN_BY_SHARED_TICKER);

/** Call in onCreate of a room stepped by rooms/RoomTicker.ts: no per-room Colyseus timers. */
export function driveWithSharedTicker(room: Room): void {
  (room as unknown as { _simulationInterval: unknown })._simulationInterval = DRIVEN_BY_SHARED_TICKER;
  room.patchRate = null;
}

interface CorkableClient {
  readyState?: number;
  ref?: { ws?: { cork?(send: () => void): unknown } };
}

/**
 * Runs `send` with the client's uWebSockets.js socket corked, so the frames it sends (a patch and the
 * message that follows it) leave in one write instead of one syscall each. uWS corks its own callbacks
 * (an input's reply) but not sends from the shared ticker or an async completion. Other transports, a
 * closed socket or no client: `send` just runs.
 */
export function corked(client: unknown, send: () => void): void {
  const c = client as CorkableClient | undefined;
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

interface RateCountedClient {
  _numMessagesLastSecond?: number;
}

/**
 * True when Colyseus closed `client` for sending more than `maxMessagesPerSecond` frames in a second.
 * It uses the same close code (4002, WITH_ERROR) when a client reconnects while its old socket is still
 * open, and that client must keep its seat: only the frame count tells the two apart.
 */
export function closedForFlooding(client: unknown, maxMessagesPerSecond: number): boolean {
  return ((client as RateCountedClient)._numMessagesLastSecond ?? 0) > maxMessagesPerSecond;
}

/**
 * The type a wildcard (`onMessage('*')`) handler was called for. Colyseus calls it as `(client, type, payload)`
 * for an unregistered type, but a frame literally typed "*" matches the wildcard's own registration and arrives as
 * `(client, payload, SEND_CONTEXT)`: the payload sits in the type slot (a string payload would pass for a real type)
 * and the third argument is the frozen send context `{ id, resolve, reject }`, which no decoded payload can be
 * (msgpack carries no functions). Returns "*" for that frame, else the type slot as given.
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

/** The process's one pair of encode buffers for rooms that share them (made on first use). */
let sharedBuffers: { patch: Uint8Array; full: Uint8Array } | undefined;
/** The handshake (the state's type reflection) per state class: the same bytes for every room of that class. */
const sharedHandshakes = new WeakMap<object, Uint8Array>();

/**
 * Points a room's two encode buffers (the encoder's `sharedBuffer` for patches, the serializer's
 * `fullEncodeBuffer` for full states) at one pair shared by every such room of the process, instead of two
 * `Encoder.BUFFER_SIZE` buffers per room (8 KB of an idle session's ~41 KB: BENCHMARKS.md
 * "Memory per session"), and its handshake bytes with every room of the same state class. Safe because an encode and its sends run in one synchronous stretch (uWS copies what it sends)
 * and the full state is encoded afresh on each request: the serializer's cached full state would point into
 * a buffer another room has written since. For rooms whose full state is rare (one client: join and
 * reconnect only) and without filters; a room with filters keeps its own buffers. Returns whether it shared.
 */
export function shareEncodeBuffers(room: Room): boolean {
  const serializer = (room as unknown as { _serializer?: SerializerInternals })._serializer;
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

/**
 * The serializer's own `getFullState` (its class's), always encoding afresh: a cached full state would point into
 * the shared buffer another room has written since. One function for every room, not a closure each.
 */
function freshFullState(this: SerializerInternals, ...args: unknown[]): unknown {
  this.needFullEncode = true;
  const own = Object.getPrototypeOf(this) as SerializerInternals;
  return own.getFullState!.apply(this, args);
}

/**
 * The serializer's handshake (sent to each joining client) taken from the first room of the same state class
 * instead of encoded per room: 864 bytes of type reflection per session room otherwise. The bytes depend on the
 * state's classes only, and Colyseus copies them into each join frame, never writes them.
 */
function shareHandshake(serializer: SerializerInternals, state: object | undefined): void {
  if (!state || typeof serializer.handshake !== 'function') return;
  const shared = sharedHandshakes.get(state.constructor);
  if (shared) {
    serializer.handshakeCache = shared;
    return;
  }
  const own = serializer.handshake();
  if (own) sharedHandshakes.set(state.constructor, own);
}

interface RawSendableClient {
  send(type: string, payload?: unknown): void;
  enqueueRaw?(frame: Uint8Array): void;
}

/** Frames already encoded, by payload object: a payload sent as is many times (a cached journal) is encoded once. */
const encodedFrames = new WeakMap<object, { type: string; frame: Uint8Array }>();

/**
 * Sends `payload` as a `type` message, encoding the frame only the first time this payload object is sent
 * as `type`: the frame (`getMessageBytes.raw(ROOM_DATA, …)`, what `client.send` builds) is kept with the
 * object and handed to the transport as is (it never changes a frame it was given). The payload must not
 * change after its first send. A client without `enqueueRaw` (another transport) gets a plain `send`.
 */
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
