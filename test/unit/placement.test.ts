import assert from 'node:assert/strict';
import { chooseProcess, LOCAL_SLACK_FRACTION, LOCAL_SLACK_ROOMS } from '../../systems/placement.js';

describe('room placement (systems/placement.ts)', () => {
  const self = (roomCount: number) => ({ processId: 'b', roomCount });

  it('least_rooms: the process with the fewest rooms, as Colyseus does', () => {
    assert.equal(chooseProcess('least_rooms', self(10), [{ processId: 'a', roomCount: 9 }, { processId: 'c', roomCount: 12 }]), 'a');
    assert.equal(chooseProcess('least_rooms', self(3), [{ processId: 'a', roomCount: 9 }]), 'b');
  });

  it('local: stays on this process while it is within the slack of the least-loaded one', () => {
    const limit = 400 * (1 + LOCAL_SLACK_FRACTION) + LOCAL_SLACK_ROOMS; // 490
    assert.equal(chooseProcess('local', self(limit), [{ processId: 'a', roomCount: 400 }]), 'b');
    assert.equal(chooseProcess('local', self(limit + 1), [{ processId: 'a', roomCount: 400 }]), 'a');
    assert.equal(chooseProcess('local', self(LOCAL_SLACK_ROOMS), [{ processId: 'a', roomCount: 0 }]), 'b');
    assert.equal(chooseProcess('local', self(LOCAL_SLACK_ROOMS + 1), [{ processId: 'a', roomCount: 0 }]), 'a');
  });

  it("uses this process's own count over a stale listed one, and places here when nothing is listed", () => {
    assert.equal(chooseProcess('local', self(0), [{ processId: 'b', roomCount: 1000 }, { processId: 'a', roomCount: 0 }]), 'b');
    assert.equal(chooseProcess('least_rooms', self(5), []), 'b');
    assert.equal(chooseProcess('local', self(5), []), 'b');
  });
});
