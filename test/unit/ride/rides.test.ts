import assert from 'node:assert/strict';
import { CODE_LENGTH, newInviteCode, readCode, Rides } from '../../../features/ride/Rides.js';
import { Limit } from '../../../features/limits/Limits.js';
import { localBackplane } from '../../support/backplanes.js';

describe('ride invites: codes, expiry, revocation, the moving mark', () => {
  const backplane = localBackplane();
  const rides = new Rides(backplane.blobs('ride-test'), new Limit(backplane, 'ride-test-lookups', 3, 60, 'lookups'));
  const T = 1_767_225_600_000;

  it('codes: 10 Crockford characters from crypto random, read back as a person types them', () => {
    const codes = new Set(Array.from({ length: 1000 }, newInviteCode));
    assert.equal(codes.size, 1000);
    for (const c of codes) assert.match(c, new RegExp(`^[0-9A-HJKMNP-TV-Z]{${CODE_LENGTH}}$`));
    assert.equal(readCode('ab1cd-ef2gh'), 'AB1CDEF2GH');
    assert.equal(readCode('o0il1 O0IL1'), '00111' + '00111');
    assert.equal(readCode('ABCDEFGHJU'), null, 'U is not in the alphabet');
    assert.equal(readCode('ABC'), null);
  });

  it('an invite leads to its room until it expires or is revoked; the ride id leads there while it lives', async () => {
    const ride = { id: 'r'.repeat(22), code: 'ABCDEFGHJK', expiresAt: T + 60_000 };
    await rides.publish(ride, 'room-1', T);
    assert.deepEqual(await rides.find('abcde-fghjk', 'u1', T + 1000), { rideId: ride.id, roomId: 'room-1' });
    await assert.rejects(rides.find('ABCDEFGHJK', 'u1', T + 61_000), /NOT_FOUND|no ride/);
    assert.deepEqual(await rides.find(ride.id, 'u1', T + 61_000), { rideId: ride.id, roomId: 'room-1' }, 'riders come back by id');
    await rides.publish({ ...ride, expiresAt: T + 120_000 }, 'room-2', T + 62_000, true);
    await assert.rejects(rides.find(ride.id, 'u2', T + 63_000), (err: { code?: string }) => err.code === 'RIDE_MOVING');
    await rides.publish({ ...ride, expiresAt: T + 120_000 }, 'room-2', T + 63_000);
    assert.equal((await rides.find('ABCDEFGHJK', 'u2', T + 64_000)).roomId, 'room-2');
    await rides.revoke('ABCDEFGHJK');
    await assert.rejects(rides.find('ABCDEFGHJK', 'u2', T + 65_000), /no ride/);
  });

  it('misses are bounded per user: guessing ends in RATE_LIMITED', async () => {
    for (let i = 0; i < 3; i++) await assert.rejects(rides.find(`GUESS0000${i}`, 'guesser', T), (err: { code?: string }) => err.code === 'NOT_FOUND');
    await assert.rejects(rides.find('GUESS00009', 'guesser', T), (err: { code?: string }) => err.code === 'RATE_LIMITED');
  });
});
