import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { deviceSecretProblem, DEVICE_SECRET_RE } from '../../../systems/auth/identity.js';
import { bindEventsTo, makeEvent, type PassportEvent } from '../../../systems/passport/index.js';

describe('device secret rule', () => {
  it('accepts 32 random bytes as base64url (43 chars) or hex (64 chars), up to 128 characters', () => {
    for (const secret of [
      randomBytes(32).toString('base64url'),
      randomBytes(32).toString('hex'),
      randomBytes(96).toString('base64url'),
      'A'.repeat(43),
      `${'a'.repeat(126)}_-`,
    ]) {
      assert.equal(deviceSecretProblem(secret), null, secret);
      assert.ok(DEVICE_SECRET_RE.test(secret));
    }
  });

  it('refuses short, long, non-string and out-of-alphabet secrets with a message that says the fix', () => {
    assert.match(deviceSecretProblem('a'.repeat(42))!, /42 characters; it needs at least 43/);
    assert.match(deviceSecretProblem(`dev-${randomUUID()}`)!, /40 characters/, 'a UUID-style device id is not a secret');
    assert.match(deviceSecretProblem('a'.repeat(129))!, /at most 128/);
    assert.match(deviceSecretProblem(randomBytes(32).toString('base64'))!, /(characters outside|at least 43)/, 'standard base64 has + / =');
    assert.match(deviceSecretProblem(`${'a'.repeat(43)}=`)!, /characters outside/);
    assert.match(deviceSecretProblem(`${'a'.repeat(43)}\u0000`)!, /characters outside/);
    assert.match(deviceSecretProblem(12345)!, /is required/);
    assert.match(deviceSecretProblem(undefined)!, /is required/);
  });
});

describe('binding ingested events to the token', () => {
  const me = { userId: randomUUID(), deviceId: randomUUID() };
  const event = (ids: { userId?: string | null; deviceId?: string | null }): PassportEvent =>
    makeEvent(
      'player.like',
      { payload: { trackId: 't1' } },
      { userId: ids.userId ?? null, sessionId: 's', deviceId: ids.deviceId ?? null, source: 'http' },
      0,
      randomUUID,
    ) as PassportEvent;
  const fieldOf = (i: number, f: string) => `events.${i}.${f}`;

  it("fills in the token's user and device where the event names nobody, and accepts the token's own ids", () => {
    const result = bindEventsTo([event({}), event({ userId: me.userId.toUpperCase(), deviceId: me.deviceId })], me, fieldOf);
    assert.ok(result.ok);
    assert.deepEqual(
      result.events.map((e) => [e.userId, e.deviceId]),
      [
        [me.userId, me.deviceId],
        [me.userId, me.deviceId],
      ],
    );
  });

  it('refuses, naming each field, every event that names another user or device; binds nothing then', () => {
    const result = bindEventsTo([event({}), event({ userId: randomUUID() }), event({ deviceId: 'someone-elses-phone' })], me, fieldOf);
    assert.ok(!result.ok);
    assert.deepEqual(
      result.issues.map((i) => i.field),
      ['events.1.userId', 'events.2.deviceId'],
    );
  });
});
