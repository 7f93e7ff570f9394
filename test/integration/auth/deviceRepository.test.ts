import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { useTestDatabase } from '../../support/db.js';
import { DeviceRepository, type NewDevice } from '../../../persistence/auth/DeviceRepository.js';

const NOW = new Date('2025-03-01T09:30:00.000Z');

/** Sign-up below the HTTP layer: a user and its first device commit together or not at all. */
describe('DeviceRepository.createUserWithDevice (real Postgres)', function () {
  this.timeout(30_000);
  const database = useTestDatabase();
  let devices: DeviceRepository;
  before(() => {
    devices = new DeviceRepository(database().orm);
  });

  const newDevice = (secretHash = randomUUID()): NewDevice => ({ userId: randomUUID(), deviceId: randomUUID(), secretHash, deviceModel: 'Pixel 9', now: NOW });
  const count = async (sql: string, params: unknown[]) => Number((await database().sql.query<{ n: string }>(sql, params))[0].n);

  it('stores the user (first launch, its first device id) and the device, both at `now`', async () => {
    const d = newDevice();
    assert.equal(await devices.createUserWithDevice(d), 'created');
    const [user] = await database().sql.query<Record<string, unknown>>(
      `SELECT device_id, first_launch, city, (extract(epoch FROM created_at) * 1000)::float8 AS created, (extract(epoch FROM last_seen_at) * 1000)::float8 AS seen FROM users WHERE id = ?`,
      [d.userId],
    );
    assert.deepEqual(user, { device_id: d.deviceId, first_launch: true, city: null, created: NOW.getTime(), seen: NOW.getTime() });
    const [device] = await database().sql.query<Record<string, unknown>>(
      `SELECT user_id, secret_hash, device_model, (extract(epoch FROM created_at) * 1000)::float8 AS created, (extract(epoch FROM last_seen_at) * 1000)::float8 AS seen FROM devices WHERE id = ?`,
      [d.deviceId],
    );
    assert.deepEqual(device, { user_id: d.userId, secret_hash: d.secretHash, device_model: 'Pixel 9', created: NOW.getTime(), seen: NOW.getTime() });
    assert.deepEqual(await devices.findBySecretHash(d.secretHash), { id: d.deviceId, userId: d.userId, generation: 0 });
  });

  it('of concurrent sign-ups with one secret exactly one is created; the others leave no user behind', async () => {
    const secretHash = randomUUID();
    const attempts = Array.from({ length: 6 }, () => newDevice(secretHash));
    const outcomes = await Promise.all(attempts.map((d) => devices.createUserWithDevice(d)));
    assert.deepEqual(outcomes.filter((o) => o === 'created').length, 1);
    assert.deepEqual(outcomes.filter((o) => o === 'secret_taken').length, 5);
    const userIds = JSON.stringify(attempts.map((d) => d.userId));
    assert.equal(await count('SELECT count(*) AS n FROM users WHERE id::text IN (SELECT jsonb_array_elements_text(?::jsonb))', [userIds]), 1);
    assert.equal(await count('SELECT count(*) AS n FROM devices WHERE secret_hash = ?', [secretHash]), 1);
  });

  it('any other conflict is thrown, and the device is not stored without its user', async () => {
    const first = newDevice();
    await devices.createUserWithDevice(first);
    const clash = { ...newDevice(), userId: first.userId };
    await assert.rejects(devices.createUserWithDevice(clash), /users_pkey/);
    assert.equal(await count('SELECT count(*) AS n FROM devices WHERE id = ?', [clash.deviceId]), 0);
  });
});
