import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { identityFieldsIn } from '../../../rooms/session/messages.js';

describe('session join options', () => {
  it('names the identity fields a client still sends (own properties only)', () => {
    assert.deepEqual(identityFieldsIn({ deviceId: 'd', userId: randomUUID(), deviceModel: 'x' }), ['userId', 'deviceId']);
    assert.deepEqual(identityFieldsIn({ deviceModel: 'x' }), []);
    assert.deepEqual(identityFieldsIn(Object.create({ userId: 'inherited' })), []);
    assert.deepEqual(identityFieldsIn(null), []);
  });
});
