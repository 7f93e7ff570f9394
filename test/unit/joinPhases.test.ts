import assert from 'node:assert/strict';
import { LocalPresence, requestFromIPC, Room, subscribeIPC, type AuthContext, type Client } from '@colyseus/core';
import { Registry } from 'prom-client';
import { createJoinPhaseTimer, timePresenceIpc, timeRoomJoins, type JoinPhase } from '../../src/joinPhases.js';

describe('join phases (src/joinPhases.ts)', () => {
  it("times Colyseus' IPC over a presence: the round trip where asked, the handler where served", async () => {
    const seen: Array<[JoinPhase, number]> = [];
    const presence = timePresenceIpc(new LocalPresence(), { observe: (phase, ms) => seen.push([phase, ms]) });
    await subscribeIPC(presence, 'p:other', async () => {
      await new Promise((r) => setTimeout(r, 20));
      return { roomId: 'r1' };
    });
    await subscribeIPC(presence, '$r1', () => true);
    assert.deepEqual(await requestFromIPC(presence, 'p:other', undefined, ['session', {}]), { roomId: 'r1' });
    assert.equal(await requestFromIPC(presence, '$r1', '_reserveSeat', ['s1', {}]), true);
    assert.equal(await requestFromIPC(presence, '$r1', 'getInspectorView', []), true);
    assert.deepEqual(seen.map(([phase]) => phase).sort(), [
      'ipc_create_room',
      'ipc_reserve_seat',
      'ipc_room_call',
      'remote_create_room',
      'remote_reserve_seat',
      'remote_room_call',
    ]);
    const ms = Object.fromEntries(seen);
    assert.ok(ms.remote_create_room >= 15 && ms.ipc_create_room >= ms.remote_create_room, JSON.stringify(ms));
  });

  it('a request that times out is not observed', async () => {
    const seen: JoinPhase[] = [];
    const presence = timePresenceIpc(new LocalPresence(), { observe: (phase) => seen.push(phase) });
    await assert.rejects(requestFromIPC(presence, '$nobody', '_reserveSeat', [], 30), /ipc_timeout/);
    assert.deepEqual(seen, []);
  });

  it('exports ds_join_phase_seconds by phase', async () => {
    const registry = new Registry();
    createJoinPhaseTimer(registry).observe('on_join', 12);
    const text = await registry.metrics();
    assert.match(text, /ds_join_phase_seconds_count\{phase="on_join"\} 1/);
    assert.match(text, /ds_join_phase_seconds_sum\{phase="on_join"\} 0.012/);
  });

  it("times a room's static onAuth (run at matchmaking) and leaves the instance hook as Colyseus's own", async () => {
    const seen: JoinPhase[] = [];
    class Checked extends Room {
      static override async onAuth(token: string) {
        if (token !== 'good') throw new Error('refused');
        return { userId: 'u1' };
      }
    }
    const Timed = timeRoomJoins(Checked, { observe: (phase) => seen.push(phase) });
    const onAuth = (Timed as unknown as typeof Room).onAuth; // Colyseus calls it unbound
    assert.deepEqual(await onAuth('good', {}, {} as AuthContext), { userId: 'u1' });
    await assert.rejects(onAuth('bad', {}, {} as AuthContext), /refused/);
    assert.deepEqual(seen, ['on_auth', 'on_auth']);
    // Both overridden would make Colyseus ignore the instance hook (and log that it does).
    assert.equal(Timed.prototype.onAuth, Room.prototype.onAuth);
  });

  it('times an instance onAuth, run at the WebSocket join, when the room has no static one', async () => {
    const seen: JoinPhase[] = [];
    class OnJoin extends Room {
      override onAuth(_client: Client, options: { ok?: boolean }) {
        return options.ok === true;
      }
    }
    const Timed = timeRoomJoins(OnJoin, { observe: (phase) => seen.push(phase) });
    assert.equal(Timed.onAuth, Room.onAuth);
    assert.equal(await (new Timed() as Room).onAuth({} as Client, { ok: true }, {} as AuthContext), true);
    assert.deepEqual(seen, ['on_auth']);
  });
});
