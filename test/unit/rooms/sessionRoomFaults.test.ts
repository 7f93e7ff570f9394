import assert from 'node:assert/strict';
import { createSessionRoom } from '../../../rooms/session/SessionRoom.js';
import { unjoinedSessionRoomPorts } from '../../support/sessionRoomStub.js';

const SessionRoom = createSessionRoom(unjoinedSessionRoomPorts());

type Handler = (client: unknown, type: unknown, raw: unknown) => void;
interface Internals {
  __init(): void;
  onCreate(): void;
  admit: unknown;
  clock: object;
  onMessageEvents: { events: Record<string, Handler[]> };
}

/** A session room as the matchmaker prepares it, created, with a client that records what it is sent. */
function created() {
  const room = new SessionRoom() as unknown as Internals;
  room.__init();
  room.onCreate();
  const sent: Array<{ type: string; payload: { code?: string; for?: string } }> = [];
  const client = { sessionId: 'client-1', send: (type: string, payload: never) => sent.push({ type, payload }) };
  return { room, client, sent, handler: room.onMessageEvents.events['*'][0] };
}

describe('session room faults (rooms/session/SessionRoom guards, rooms/inboundGuard.ts reportUncaught)', () => {
  it('has Colyseus wrap none of its hooks or timers: no per-room closures for onUncaughtException', () => {
    const { room } = created();
    for (const hook of ['onCreate', 'onAuth', 'onJoin', 'onLeave', 'onDrop', 'onReconnect', 'onDispose'])
      assert.equal(Object.hasOwn(room, hook), false, `${hook} was wrapped on the instance`);
    assert.equal(Object.hasOwn(room.clock, 'setTimeout'), false);
    assert.equal(Object.hasOwn(room.clock, 'setInterval'), false);
  });

  it('answers INTERNAL to a message whose handling throws, sync or async, and keeps answering the next one', async () => {
    const { room, client, sent, handler } = created();
    const admit = room.admit;
    room.admit = () => {
      throw new TypeError('boom');
    };
    assert.doesNotThrow(() => handler(client, 'no.such.type', {}));
    assert.doesNotThrow(() => handler(client, 'swipe', { direction: 'left', velocity: 1 }));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(
      sent.map((s) => [s.type, s.payload.code, s.payload.for]),
      [
        ['error', 'INTERNAL', 'no.such.type'],
        ['error', 'INTERNAL', 'swipe'],
      ],
    );
    room.admit = admit;
    handler(client, 'no.such.type', {});
    assert.deepEqual(sent.at(-1)!.payload.code, 'UNKNOWN_MESSAGE');
  });
});
