import assert from 'node:assert/strict';
import pino from 'pino';
import { useTestDatabase } from '../../support/db.js';
import { newDeviceSecret } from '../../support/auth.js';
import { BACKPLANE_KINDS, type Backplane } from '../../support/backplanes.js';
import { AccessTokens } from '../../../features/auth/tokens.js';
import { DeviceAuth } from '../../../features/auth/DeviceAuth.js';
import { VerifiedTokens } from '../../../features/auth/KnownDevices.js';
import { DeviceRevocations } from '../../../features/auth/DeviceRevocations.js';
import { DeviceRepository } from '../../../persistence/auth/DeviceRepository.js';
import { AuthTokenError } from '../../../systems/auth/identity.js';

const silent = pino({ level: 'silent' });

describe('device revocation: a reused refresh token revokes the device (real Postgres)', function () {
  this.timeout(30_000);
  const database = useTestDatabase();

  it("raises the device's generation: its older access tokens are refused, a new sign-in's are not, and the revocation is told", async () => {
    const repository = new DeviceRepository(database().orm);
    const tokens = new AccessTokens('device-revocation-test-secret-0123456789', 900);
    const revoked: string[] = [];
    const auth = new DeviceAuth(repository, tokens, silent, { refreshTtlDays: 30, maxDevicesPerUser: 10, onDeviceRevoked: (id) => void revoked.push(id) });
    const verified = new VerifiedTokens(tokens, repository, { cacheEntries: 100, cacheTtlMs: 60_000 });
    const secret = newDeviceSecret();
    const first = await auth.signIn({ deviceSecret: secret, bearer: null });
    const before = await verified.verify(first.accessToken); // now cached as valid
    assert.equal(before.generation, 0);
    const rotated = await auth.refresh(first.refreshToken);
    assert.equal((await verified.verify(rotated.accessToken)).generation, 0);
    await assert.rejects(auth.refresh(first.refreshToken), /already used/);
    assert.deepEqual(revoked, [first.deviceId]);
    verified.forget(first.deviceId); // what the revocation channel does on every process
    for (const token of [first.accessToken, rotated.accessToken])
      await assert.rejects(
        verified.verify(token),
        (err: unknown) => err instanceof AuthTokenError && err.code === 'TOKEN_INVALID' && /signed out/.test(err.message),
      );
    assert.equal(await verified.stillValid(before), false, 'a session joined before the revocation is not valid any more');
    // The device's other refresh tokens were revoked with it: presenting one is a reuse too, and revokes again.
    await assert.rejects(auth.refresh(rotated.refreshToken), /already used/);
    assert.deepEqual(revoked, [first.deviceId, first.deviceId]);
    const again = await auth.signIn({ deviceSecret: secret, bearer: null });
    const after = await verified.verify(again.accessToken);
    assert.equal(after.generation, 2);
    assert.equal(await verified.stillValid(after), true);
    assert.equal((await verified.verify((await auth.refresh(again.refreshToken)).accessToken)).generation, 2, 'a rotation keeps the generation');
    assert.equal((await verified.verify(again.accessToken)).generation, 2);
  });

  it('a device signed in again after a revocation this process missed is read again, not refused from the cache', async () => {
    const repository = new DeviceRepository(database().orm);
    const tokens = new AccessTokens('device-revocation-test-secret-0123456789', 900);
    const auth = new DeviceAuth(repository, tokens, silent, { refreshTtlDays: 30, maxDevicesPerUser: 10 });
    const missed = new VerifiedTokens(tokens, repository, { cacheEntries: 100, cacheTtlMs: 60_000 });
    const secret = newDeviceSecret();
    const first = await auth.signIn({ deviceSecret: secret, bearer: null });
    await missed.verify(first.accessToken);
    await auth.refresh(first.refreshToken);
    await assert.rejects(auth.refresh(first.refreshToken));
    const again = await auth.signIn({ deviceSecret: secret, bearer: null });
    assert.equal((await missed.verify(again.accessToken)).generation, 1);
    await assert.rejects(missed.verify(first.accessToken), AuthTokenError, 'the old generation is refused once the new one was read');
  });
});

for (const kind of BACKPLANE_KINDS) {
  describe(`DeviceRevocations: ${kind.name}`, () => {
    let all: Backplane[];
    let close: () => Promise<void>;
    beforeEach(async () => {
      ({ all, close } = await kind.make(2));
    });
    afterEach(async () => close());

    it("closes the revoked device's live rooms on every process with 4401 DEVICE_REVOKED, and only that device's", async () => {
      // One registry per process (Local: the one process, both names for it).
      const perProcess = new Map<Backplane, DeviceRevocations>();
      const [a, b] = all.map(
        (backplane) => perProcess.get(backplane) ?? perProcess.set(backplane, new DeviceRevocations(backplane, silent)).get(backplane)!,
      ) as [DeviceRevocations, DeviceRevocations];
      await Promise.all([...perProcess.values()].map((r) => r.start()));
      const closes: Array<[string, number, string]> = [];
      const forgotten: string[] = [];
      b.onRevoked((id) => forgotten.push(id));
      const room = (name: string) => ({ close: (code: number, reason: string) => closes.push([name, code, reason]) });
      const deviceId = '6f1c2d1e-9a7b-4c3d-8e5f-0a1b2c3d4e5f';
      const other = '0f1c2d1e-9a7b-4c3d-8e5f-0a1b2c3d4e5f';
      b.enter(deviceId, room('on b'));
      const leave = b.enter(deviceId, room('left b'));
      b.enter(other, room('other device'));
      a.enter(deviceId, room('on a'));
      leave();
      const started = Date.now();
      assert.equal(b.revokedSince(deviceId, 0), false);
      a.revoked(deviceId, 1);
      while (closes.length < 2 && Date.now() - started < 1000) await new Promise((r) => setTimeout(r, 5));
      assert.deepEqual(
        closes.sort(),
        [
          ['on a', 4401, 'DEVICE_REVOKED'],
          ['on b', 4401, 'DEVICE_REVOKED'],
        ],
        `within ${Date.now() - started} ms`,
      );
      assert.deepEqual(forgotten, [deviceId]);
      assert.equal(b.revokedSince(deviceId, 0), true, 'a join verified with the old generation, racing the revocation, is refused');
      assert.equal(b.revokedSince(deviceId, 1), false, 'a join after signing in again is not');
      await Promise.all([...perProcess.values()].map((r) => r.stop()));
    });
  });
}
