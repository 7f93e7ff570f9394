import assert from 'node:assert/strict';
import { ResumeCredentials, ResumeError } from '../../../features/handoff/ResumeCredentials.js';
import { AccessTokens } from '../../../features/auth/tokens.js';

const SECRET = 'unit-test-secret-0123456789-abcdefghijklmnop';
const subject = {
  userId: '1c6d2f8e-3b4a-4d5e-9f60-7a8b9c0d1e2f',
  sessionId: '9b2e4c1a-0d7f-4e3b-8a61-5c2f9e7d1b03',
  deviceId: '3f2b6c1e-8a4d-4c7e-9b1a-0d5e6f7a8b9c',
  generation: 2,
};
const NOW = Date.parse('2026-06-01T00:00:00Z');
const code = (expected: string) => (err: unknown) => err instanceof ResumeError && err.code === expected;

describe('ResumeCredentials', () => {
  const credentials = new ResumeCredentials(SECRET, 3600);

  it('round-trips its subject for the same user until it expires', async () => {
    const credential = await credentials.issue(subject, NOW);
    assert.deepEqual(await credentials.verify(credential, subject.userId, NOW + 1000), subject);
    await assert.rejects(credentials.verify(credential, subject.userId, NOW + 3601_000), code('RESUME_EXPIRED'));
    await assert.rejects(credentials.verify(credential, '00000000-0000-4000-8000-000000000000', NOW), code('RESUME_FORBIDDEN'));
  });

  it('refuses another key, a tampered payload, and an access token offered as a credential', async () => {
    const other = await new ResumeCredentials(`${SECRET}x`, 3600).issue(subject, NOW);
    await assert.rejects(credentials.verify(other, subject.userId, NOW), code('RESUME_INVALID'));
    const credential = await credentials.issue(subject, NOW);
    const [h, , s] = credential.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...subject, gen: 99 })).toString('base64url')}.${s}`;
    await assert.rejects(credentials.verify(tampered, subject.userId, NOW), code('RESUME_INVALID'));
    const { accessToken } = await new AccessTokens(SECRET, 900).issue({ userId: subject.userId, deviceId: subject.deviceId }, NOW);
    await assert.rejects(
      credentials.verify(accessToken, subject.userId, NOW),
      code('RESUME_INVALID'),
      'an access token is not a resume credential (another key and audience)',
    );
    await assert.rejects(credentials.verify('x'.repeat(3000), subject.userId, NOW), code('RESUME_INVALID'));
  });
});
