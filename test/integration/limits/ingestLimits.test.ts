import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { BACKPLANE_KINDS } from '../../support/backplanes.js';
import { IngestLimits } from '../../../features/limits/ingestLimits.js';
import { RateLimitedError } from '../../../features/limits/Limits.js';
import { claimedEntity } from '../../../systems/leaderboard/countingRules.js';
import type { PassportEvent } from '../../../systems/passport/events.js';

const play = (userId: string, trackId: string): PassportEvent =>
  ({
    eventId: randomUUID(),
    eventType: 'player.track_played',
    eventCategory: 'player',
    userId,
    sessionId: null,
    deviceId: null,
    occurredAt: 0,
    receivedAt: 0,
    entityType: null,
    entityId: null,
    payload: { trackId },
    source: 'http',
  }) as PassportEvent;

describe('claimed events: which board entity an event adds to', () => {
  it('names the track of a play, the event of an attendance (per day), the artist of a purchase; nothing for others', () => {
    assert.deepEqual(claimedEntity({ eventType: 'player.track_played', payload: { trackId: 't1' } }), { entity: 't1', window: 'hour' });
    assert.deepEqual(claimedEntity({ eventType: 'concierto.event_attended', payload: { eventId: 'e1' } }), { entity: 'e1', window: 'day' });
    assert.deepEqual(claimedEntity({ eventType: 'treasury.purchase_completed', payload: { artistId: 'a1', eventId: 'e1' } }), { entity: 'a1', window: 'hour' });
    assert.equal(claimedEntity({ eventType: 'player.like', payload: { trackId: 't1' } }), null);
  });
});

for (const kind of BACKPLANE_KINDS) {
  describe(`ingest limits over ${kind.name}`, () => {
    it('counts across processes, refuses a batch whole and takes nothing for it', async () => {
      const { all, close } = await kind.make(2);
      try {
        const settings = { eventsPerUserPerSecond: 1000, entityEventsPerUserPerHour: 3, attendancesPerEventPerDay: 1 };
        const [a, b] = [new IngestLimits(all[0]!, settings), new IngestLimits(all[1]!, settings)];
        const user = randomUUID();
        await a.admit([play(user, 't1'), play(user, 't1')]);
        await assert.rejects(
          b.admit([play(user, 't1'), play(user, 't1'), play(user, 't2')]),
          (err: unknown) => err instanceof RateLimitedError && /^player\.track_played/.test(err.message) && (err.retryAfterSec ?? 0) > 0,
        );
        await b.admit([play(user, 't1'), play(user, 't2')]); // the refused batch's t2 play was given back
        await assert.rejects(a.admit([play(user, 't1')]), RateLimitedError);
        await a.admit([play(randomUUID(), 't1')]); // another user's own budget
      } finally {
        await close();
      }
    });
  });
}
