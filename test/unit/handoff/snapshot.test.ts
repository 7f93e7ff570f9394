import assert from 'node:assert/strict';
import { checkSnapshotClaim, moveDelayMs, readSnapshot, SNAPSHOT_VERSION, type SessionSnapshot } from '../../../systems/handoff/snapshot.js';

const snapshot: SessionSnapshot = {
  v: SNAPSHOT_VERSION,
  sessionId: '9b2e4c1a-0d7f-4e3b-8a61-5c2f9e7d1b03',
  userId: '1c6d2f8e-3b4a-4d5e-9f60-7a8b9c0d1e2f',
  generation: 3,
  roomId: 'r1',
  reason: 'live',
  writtenAt: 1_767_225_600_000,
  appliedSeq: 41,
  dial: { target: 105.5, locked: true, predicted: 105.5 },
  station: { artistId: 'artist_burna_boy', frequency: 105.5 },
  camera: { position: [0, 0, 5], fov: 60 },
  counters: { interactions: 9, swipes: 4, orbsExplored: 1, captures: 2, sensorEngagements: 0, sensorSeconds: 0 },
  visitedPath: ['artist_wizkid', 'artist_burna_boy'],
};

describe('session snapshot (systems/handoff)', () => {
  it('reads back what it wrote, and refuses another version or a damaged value', () => {
    assert.deepEqual(readSnapshot(JSON.parse(JSON.stringify(snapshot))), snapshot);
    assert.equal(readSnapshot({ ...snapshot, v: SNAPSHOT_VERSION + 1 }), null, 'a newer version is not guessed at');
    assert.equal(readSnapshot({ ...snapshot, appliedSeq: -1 }), null);
    assert.equal(readSnapshot({ ...snapshot, dial: { target: Number.NaN, locked: true, predicted: 1 } }), null);
    assert.equal(readSnapshot('garbage'), null);
    assert.equal(readSnapshot(undefined), null);
  });

  it('a claim restores only its own user and session, and only when it is not older than the holder', () => {
    const claim = { sessionId: snapshot.sessionId, userId: snapshot.userId, generation: 3 };
    assert.equal(checkSnapshotClaim(snapshot, claim), null);
    assert.equal(checkSnapshotClaim(snapshot, { ...claim, generation: 4 }), null, 'the holder itself wrote it before its own credential');
    assert.equal(checkSnapshotClaim(snapshot, { ...claim, generation: 2 }), 'STALE', 'a credential from before a later resume');
    assert.equal(checkSnapshotClaim(snapshot, { ...claim, userId: 'someone-else' }), 'OTHER_USER');
    assert.equal(checkSnapshotClaim(snapshot, { ...claim, sessionId: 'another' }), 'OTHER_SESSION');
  });

  it('spreads a drain: the delay grows with the sessions moving, never past the cap, never negative', () => {
    assert.equal(moveDelayMs(1, 1, 500, 0.999), 0, 'one session: 1 ms of spread, floored');
    assert.equal(moveDelayMs(600, 1, 500, 0.5), 250);
    assert.equal(moveDelayMs(10_000, 1, 500, 0.999), 499);
    assert.equal(moveDelayMs(100, 1, 500, 0), 0);
    assert.equal(moveDelayMs(100, 1, 500, 7), 99, 'a random past 1 is clamped');
    assert.equal(moveDelayMs(-5, 1, 500, 0.5), 0);
  });
});
