import assert from 'node:assert/strict';
import {
  chooseProcess,
  forgottenRoomHosts,
  freshRoomHosts,
  LOCAL_SLACK_FRACTION,
  LOCAL_SLACK_ROOMS,
  ROOM_HOST_FORGET_MS,
  ROOM_HOST_FRESH_MS,
} from '../../systems/placement.js';

describe('room placement (systems/placement.ts)', () => {
  const self = (roomCount: number, hostsRooms = true) => ({ processId: 'b', roomCount, hostsRooms });
  const hosts = new Set(['a', 'b', 'c']);

  it('least_rooms: the process with the fewest rooms, as Colyseus does', () => {
    assert.equal(
      chooseProcess(
        'least_rooms',
        self(10),
        [
          { processId: 'a', roomCount: 9 },
          { processId: 'c', roomCount: 12 },
        ],
        hosts,
      ),
      'a',
    );
    assert.equal(chooseProcess('least_rooms', self(3), [{ processId: 'a', roomCount: 9 }], hosts), 'b');
  });

  it('local: stays on this process while it is within the slack of the least-loaded one', () => {
    const limit = 400 * (1 + LOCAL_SLACK_FRACTION) + LOCAL_SLACK_ROOMS; // 490
    assert.equal(chooseProcess('local', self(limit), [{ processId: 'a', roomCount: 400 }], hosts), 'b');
    assert.equal(chooseProcess('local', self(limit + 1), [{ processId: 'a', roomCount: 400 }], hosts), 'a');
    assert.equal(chooseProcess('local', self(LOCAL_SLACK_ROOMS), [{ processId: 'a', roomCount: 0 }], hosts), 'b');
    assert.equal(chooseProcess('local', self(LOCAL_SLACK_ROOMS + 1), [{ processId: 'a', roomCount: 0 }], hosts), 'a');
  });

  it("uses this process's own count over a stale listed one, and places here when nothing is listed", () => {
    assert.equal(
      chooseProcess(
        'local',
        self(0),
        [
          { processId: 'b', roomCount: 1000 },
          { processId: 'a', roomCount: 0 },
        ],
        hosts,
      ),
      'b',
    );
    assert.equal(chooseProcess('least_rooms', self(5), [], new Set()), 'b');
    assert.equal(chooseProcess('local', self(5), [], new Set()), 'b');
  });

  it('a listed process that did not announce hosting rooms (ROOMS_ENABLED=false) is never chosen, however idle', () => {
    const listed = [
      { processId: 'a', roomCount: 40 },
      { processId: 'jobs', roomCount: 0 },
    ];
    assert.equal(chooseProcess('least_rooms', self(30), listed, hosts), 'b');
    assert.equal(chooseProcess('least_rooms', self(50), listed, hosts), 'a');
    assert.equal(chooseProcess('local', self(500), listed, hosts), 'a');
    // Announced but no longer listed (the matchmaker dropped it): not a candidate either.
    assert.equal(chooseProcess('least_rooms', self(30), [{ processId: 'a', roomCount: 40 }], new Set(['a', 'b', 'gone'])), 'b');
  });

  it('a process hosting no rooms places on the least-loaded room host, whatever the rule, or nowhere', () => {
    const me = { processId: 'jobs', roomCount: 0, hostsRooms: false };
    const listed = [
      { processId: 'jobs', roomCount: 0 },
      { processId: 'a', roomCount: 7 },
      { processId: 'c', roomCount: 3 },
    ];
    assert.equal(chooseProcess('local', me, listed, new Set(['a', 'c', 'jobs'])), 'c');
    assert.equal(chooseProcess('least_rooms', me, listed, new Set(['a'])), 'a');
    assert.equal(chooseProcess('local', me, listed, new Set()), undefined);
    assert.equal(chooseProcess('least_rooms', me, [], new Set(['a'])), undefined);
  });

  it('announcements: fresh within the window either side; old ones of unlisted processes are forgotten', () => {
    const now = 10_000_000;
    const announced = {
      a: String(now - 1000),
      b: String(now - ROOM_HOST_FRESH_MS - 1),
      c: String(now + 2000),
      d: 'garbage',
      e: String(now - ROOM_HOST_FORGET_MS - 1),
    };
    assert.deepEqual([...freshRoomHosts(announced, now)].sort(), ['a', 'c']);
    assert.deepEqual(forgottenRoomHosts(announced, new Set(['e']), now).sort(), ['d']);
    assert.deepEqual(forgottenRoomHosts(announced, new Set(), now).sort(), ['d', 'e']);
  });
});
