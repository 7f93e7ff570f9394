import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Room } from '@colyseus/core';
import { SessionState } from '../../../schema/SessionState.js';
import { assignRoomAccessors } from '../../../rooms/colyseusInternals.js';

const ACCESSORS = ['state', 'maxClients', 'autoDispose', 'patchRate', 'unreliablePatchRate'] as const;
const SHAPES = fileURLToPath(new URL('./fixtures/roomShapes.ts', import.meta.url));
const JOINED = fileURLToPath(new URL('./fixtures/joinedShapes.ts', import.meta.url));

/** The last line a fixture printed, parsed: run under V8's natives syntax to read object shapes. */
function runFixture(file: string): unknown {
  const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', file], { encoding: 'utf8', timeout: 30_000 });
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

type Internals = {
  __init(): void;
  _serializer: { constructor: { name: string }; getFullState(): Uint8Array };
  _autoDisposeTimeout?: NodeJS.Timeout;
  broadcastPatch(): boolean;
};

class AssignedRoom extends Room<{ state: SessionState }> {
  constructor() {
    super();
    assignRoomAccessors(this, { maxClients: 3, state: new SessionState() });
  }
}
class ClassFieldRoom extends Room<{ state: SessionState }> {
  override maxClients = 4;
  override state = new SessionState();
}

const opened: Room[] = [];
function initialised<R extends Room>(room: R): R {
  (room as unknown as Internals).__init();
  opened.push(room);
  return room;
}

describe('patched Colyseus keeps rooms and clients small (patches/, rooms/colyseusInternals assignRoomAccessors)', () => {
  afterEach(() => {
    for (const room of opened.splice(0)) {
      room.patchRate = null;
      room.clock.stop();
      clearTimeout((room as unknown as Internals)._autoDisposeTimeout);
    }
  });

  it('Room.prototype defines state, maxClients, autoDispose, patchRate and unreliablePatchRate (npm install applied the patch)', () => {
    for (const key of ACCESSORS) {
      const descriptor = Object.getOwnPropertyDescriptor(Room.prototype, key);
      assert.equal(typeof descriptor?.get, 'function', `${key} has no getter on Room.prototype`);
      assert.equal(typeof descriptor?.set, 'function', `${key} has no setter on Room.prototype`);
    }
  });

  it('a room keeps no copy of them on the instance, whether its constructor assigned them or it declared class fields', () => {
    for (const room of [initialised(new AssignedRoom()), initialised(new ClassFieldRoom()), initialised(new Room())]) {
      for (const key of ACCESSORS) assert.equal(Object.hasOwn(room, key), false, `${room.constructor.name}.${key} is an own property`);
    }
  });

  it('values given before __init survive it, and the state reaches the serializer', () => {
    const assigned = initialised(new AssignedRoom());
    const fields = initialised(new ClassFieldRoom());
    assert.deepEqual([assigned.maxClients, fields.maxClients], [3, 4]);
    for (const room of [assigned, fields]) {
      assert.ok(room.state instanceof SessionState);
      assert.equal((room as unknown as Internals)._serializer.constructor.name, 'SchemaSerializer');
      assert.ok((room as unknown as Internals)._serializer.getFullState().length > 1, 'the serializer encodes the state it was given');
    }
    assert.deepEqual([assigned.autoDispose, assigned.patchRate, assigned.unreliablePatchRate], [true, 50, null]);
  });

  it('after __init the setters act: a patch rate starts patching, a new state replaces the serializer’s', async () => {
    const room = initialised(new AssignedRoom());
    let patches = 0;
    (room as unknown as Internals).broadcastPatch = () => (patches++, true);
    room.patchRate = 5;
    await new Promise((resolve) => setTimeout(resolve, 60));
    room.patchRate = null;
    const counted = patches;
    assert.ok(counted >= 3, `${counted} patches in 60 ms at a 5 ms patch rate`);
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(patches, counted, 'patching went on after patchRate = null');
    const next = new SessionState();
    next.totalStars = 7;
    room.state = next;
    assert.equal(room.state.totalStars, 7);
  });

  it('V8 keeps a room whose constructor assigns them, and the session room, in fast-properties mode; class fields still make a dictionary', () => {
    assert.deepEqual(runFixture(SHAPES), { room: true, classFieldRoom: false, sessionRoom: true });
  });

  it('after a join over uWebSockets.js the room, its client and its seat maps stay fast, and the socket drops its upgrade context', () => {
    assert.deepEqual(runFixture(JOINED), { room: true, client: true, reservedSeats: true, reservedSeatTimeouts: true, upgradeContextReleased: true });
  });
});
