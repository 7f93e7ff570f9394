import assert from 'node:assert/strict';
import { LocalPresence } from '@colyseus/core';
import { RoomHosts } from '../../src/roomHosts.js';
import { ROOM_HOST_FORGET_MS, ROOM_HOST_FRESH_MS } from '../../systems/placement.js';

describe('room host announcements (src/roomHosts.ts)', () => {
  const KEY = 'test:roomhosts';
  const quiet = { warn: () => undefined };

  it('a room process announces itself, is fresh while it announces, and withdraws on stop', async () => {
    const presence = new LocalPresence();
    let now = 1_000_000;
    const hosts = new RoomHosts(
      presence,
      KEY,
      async () => ['p1'],
      quiet,
      () => now,
    );
    await hosts.start('p1');
    assert.deepEqual([...(await hosts.fresh())], [], 'announced but its IPC channel is not subscribed: the process is gone (killed)');
    await presence.subscribe('p:p1', () => undefined);
    assert.deepEqual([...(await hosts.fresh())], ['p1']);
    now += ROOM_HOST_FRESH_MS + 1;
    assert.deepEqual([...(await hosts.fresh())], [], 'an announcement not refreshed goes stale: a crashed process is no candidate');
    await hosts.stop('p1');
    assert.deepEqual(await presence.hgetall(KEY), {});
  });

  it('a process announced but no longer subscribed (killed) is swept once: its listings cleaned, its announcement withdrawn', async () => {
    const presence = new LocalPresence();
    const swept: string[] = [];
    let finish!: () => void;
    const hosts = new RoomHosts(
      presence,
      KEY,
      async () => ['live', 'dead'],
      quiet,
      Date.now,
      (pid) => (swept.push(pid), new Promise<void>((r) => (finish = r))),
    );
    await presence.hset(KEY, 'dead', String(Date.now()));
    await hosts.start('live');
    await presence.subscribe('p:live', () => undefined);
    assert.deepEqual([...(await hosts.fresh())], ['live']);
    assert.deepEqual([...(await hosts.fresh())], ['live']);
    assert.deepEqual(swept, ['dead'], 'one sweep while the first is running');
    finish();
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(Object.keys(await presence.hgetall(KEY)), ['live'], 'the gone process is no longer announced');
    await hosts.stop('live');
  });

  it('forgets announcements of processes the matchmaker no longer lists, once old', async () => {
    const presence = new LocalPresence();
    const now = 10_000_000;
    await presence.hset(KEY, 'gone', String(now - ROOM_HOST_FORGET_MS - 1));
    await presence.hset(KEY, 'booting', String(now - 1000)); // announced, not yet listed
    await presence.hset(KEY, 'listed', String(now - ROOM_HOST_FORGET_MS - 1));
    const hosts = new RoomHosts(
      presence,
      KEY,
      async () => ['p1', 'listed'],
      quiet,
      () => now,
    );
    await hosts.start('p1');
    await hosts.stop('p1');
    assert.deepEqual(Object.keys(await presence.hgetall(KEY)).sort(), ['booting', 'listed']);
  });

  it('a presence that fails neither fails the boot nor the stop: it is logged', async () => {
    const warned: string[] = [];
    const broken = {
      hset: async () => Promise.reject(new Error('redis down')),
      hgetall: async () => ({}),
      hdel: async () => Promise.reject(new Error('redis down')),
    };
    const hosts = new RoomHosts(broken as never, KEY, async () => [], { warn: ((_o: object, msg: string) => void warned.push(msg)) as never });
    await hosts.start('p1');
    await hosts.stop('p1');
    assert.equal(warned.length, 2);
  });
});
