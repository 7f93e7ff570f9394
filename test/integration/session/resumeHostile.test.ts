import assert from 'node:assert/strict';
import type { Room } from '@colyseus/sdk';
import { useServer } from '../../support/serverProcess.js';
import { signIn, TEST_AUTH_SECRET, type SignedIn } from '../../support/auth.js';
import { clientFor, nextMessage, waitForState } from '../../support/rooms.js';
import { ResumeCredentials } from '../../../features/handoff/ResumeCredentials.js';

/**
 * A join with `resume` is checked before any seat: a forged, expired, stale (replayed) or another user's
 * credential is refused with its code and the HTTP status the SDK rejects with; a flood of resumes of one
 * session restores it once; a resume while the session is live elsewhere (a second tab) takes it over and
 * closes the first with 4409; inputs resent with a seq already applied are answered `duplicate`.
 */
describe('resume credentials: hostile and concurrent resumes', function () {
  this.timeout(60_000);
  const running = useServer({ LOG_LEVEL: 'warn' });

  async function join(baseUrl: string, who: SignedIn, options: Record<string, unknown> = {}): Promise<{ room: Room; first: any }> {
    const room = await clientFor(baseUrl, who.accessToken).create('session', options);
    const first = await nextMessage(room, options.resume ? 'resumed' : 'welcome');
    await waitForState(room, (s) => s.station.artistName !== '', 5000, 'station');
    return { room, first };
  }

  async function refusal(baseUrl: string, who: SignedIn, options: Record<string, unknown>): Promise<{ code: number; message: string }> {
    try {
      const room = await clientFor(baseUrl, who.accessToken).create('session', options);
      await room.leave(true);
    } catch (err) {
      return { code: (err as { code: number }).code, message: (err as Error).message };
    }
    assert.fail(`joined with ${JSON.stringify(options).slice(0, 80)}`);
  }

  it("refuses forged, malformed, expired and another user's credentials with their codes", async () => {
    const { baseUrl } = running().server;
    const alice = await signIn(baseUrl);
    const bob = await signIn(baseUrl);
    const { room, first } = await join(baseUrl, alice);
    const credential: string = first.resume;
    assert.match(credential, /^[\w-]+\.[\w-]+\.[\w-]+$/);

    const forged = `${credential.slice(0, -4)}AAAA`;
    const cases: Array<[Record<string, unknown>, number, RegExp]> = [
      [{ resume: forged }, 400, /RESUME_INVALID/],
      [{ resume: 'not-a-credential' }, 400, /RESUME_INVALID/],
      [{ resume: 42 }, 400, /invalid join options: resume/],
      [{ resume: 'x'.repeat(5000) }, 400, /invalid join options: resume/],
      [{ resume: credential.replace(/^[^.]+/, 'eyJhbGciOiJub25lIn0') }, 400, /RESUME_INVALID/],
    ];
    for (const [options, status, message] of cases) {
      const got = await refusal(baseUrl, alice, options);
      assert.equal(got.code, status, `${JSON.stringify(options).slice(0, 60)}: ${got.message}`);
      assert.match(got.message, message);
      assert.doesNotMatch(got.message, /at .*\.ts|Error:|redis|postgres/i, 'no internal detail');
    }
    const other = await refusal(baseUrl, bob, { resume: credential });
    assert.equal(other.code, 403);
    assert.match(other.message, /RESUME_FORBIDDEN/);

    const past = Date.now() - 3 * 86_400_000;
    const expired = await new ResumeCredentials(TEST_AUTH_SECRET, 60).issue(
      { userId: alice.userId, sessionId: first.sessionId, deviceId: alice.deviceId, generation: 0 },
      past,
    );
    const late = await refusal(baseUrl, alice, { resume: expired });
    assert.equal(late.code, 401);
    assert.match(late.message, /RESUME_EXPIRED/);
    await room.leave(true);
  });

  it('a resume while the session is live (a second tab) takes it over: the first closes 4409, the second has the session', async () => {
    const { baseUrl } = running().server;
    const alice = await signIn(baseUrl);
    const { room: firstTab, first } = await join(baseUrl, alice);
    const locked = nextMessage(firstTab, 'locked');
    firstTab.send('tune', { frequency: 105.5, seq: 1 });
    await locked;
    await new Promise((r) => setTimeout(r, 300)); // the lock's snapshot is written
    const closed = new Promise<number>((resolve) => firstTab.onLeave((code) => resolve(code)));
    const { room: secondTab, first: resumed } = await join(baseUrl, alice, { resume: first.resume });
    assert.equal(resumed.sessionId, first.sessionId);
    assert.equal(resumed.restoredFrom, 'snapshot');
    assert.equal(resumed.appliedSeq, 1);
    assert.equal(secondTab.state.station.frequency, 105.5);
    assert.equal(await closed, 4409);

    // The credential the second tab's join spent is stale now (a replay): refused, nothing restored twice.
    await new Promise((r) => setTimeout(r, 2100)); // past the one-resume-per-session window
    const replay = await refusal(baseUrl, alice, { resume: first.resume });
    assert.equal(replay.code, 409, replay.message);
    assert.match(replay.message, /RESUME_STALE/);

    // An input resent with an applied seq is a duplicate; the next seq applies.
    const dup = nextMessage(secondTab, 'duplicate');
    secondTab.send('tune', { frequency: 88.1, seq: 1 });
    assert.deepEqual(await dup, { for: 'tune', seq: 1, appliedSeq: 1 });
    const next = nextMessage(secondTab, 'locked');
    secondTab.send('tune', { frequency: 99.9, seq: 2 });
    assert.equal((await next).frequency, 99.9);
    await secondTab.leave(true);
  });

  it('a flood of resumes of one session restores it once; the rest are told RESUME_BUSY with a retry delay', async () => {
    const { baseUrl } = running().server;
    const alice = await signIn(baseUrl);
    const { room, first } = await join(baseUrl, alice);
    const attempts = await Promise.allSettled(
      Array.from({ length: 25 }, () => clientFor(baseUrl, alice.accessToken).create('session', { resume: first.resume })),
    );
    const joined = attempts.filter((a) => a.status === 'fulfilled');
    const refused = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
    assert.equal(joined.length, 1, refused.map((r) => (r.reason as Error).message).join('; '));
    for (const r of refused) {
      assert.equal((r.reason as { code: number }).code, 503);
      assert.match((r.reason as Error).message, /RESUME_BUSY.*retryAfterMs=\d+/);
    }
    const health = await fetch(`${baseUrl}/health`);
    assert.equal(health.status, 200, 'the process still serves');
    await (joined[0] as PromiseFulfilledResult<Room>).value.leave(true);
    assert.equal(room.connection.isOpen, false, 'the first room was taken over (closed 4409)');
  });
});
