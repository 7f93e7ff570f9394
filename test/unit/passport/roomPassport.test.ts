import assert from 'node:assert/strict';
import pino from 'pino';
import { PassportWriter } from '../../../features/passport/PassportWriter.js';
import { createRoomPassport } from '../../../features/passport/roomPassport.js';
import { BackpressureError } from '../../../persistence/passport/errors.js';
import type { PassportEvent } from '../../../systems/passport/index.js';
import { writerOptions } from '../../support/config.js';

const NOW = Date.parse('2025-01-06T14:30:00Z');
const identity = { userId: '7c9e6679-7425-40de-944b-e07fc1f90ae7', sessionId: '550e8400-e29b-41d4-a716-446655440000', deviceId: 'device-1' };

describe('createRoomPassport (room adapter over the writer, no database)', () => {
  let writer: PassportWriter;
  const seen: PassportEvent[] = [];
  beforeEach(() => {
    seen.length = 0;
    // A sink that never completes: events stay queued, which is all these tests look at.
    writer = new PassportWriter(
      { insert: () => new Promise<readonly string[]>(() => {}), deadLetter: async () => {} },
      writerOptions({ maxQueue: 3, flushIntervalMs: 60_000 }),
      pino({ level: 'silent' }),
    );
    // What the room hands the writer (queued, not yet stored): what these tests look at.
    const enqueue = writer.enqueue.bind(writer);
    writer.enqueue = (events, options) => {
      enqueue(events, options);
      seen.push(...events);
    };
  });
  afterEach(async () => {
    await writer.stop();
  });

  it('adds identity, ids, server time and source room to the room’s typed events', () => {
    let n = 0;
    const passport = createRoomPassport(writer, { now: () => NOW, newId: () => `00000000-0000-4000-8000-00000000000${++n}` });
    passport.record(identity, [
      { type: 'orb.tapped', entityType: 'orb', entityId: 'o1', payload: { orbId: 'o1', fromArtistId: 'a', toArtistId: 'b', relationship: 'ancestor' } },
    ]);
    assert.equal(seen.length, 1);
    assert.deepEqual(
      { ...seen[0], payload: undefined },
      {
        eventId: '00000000-0000-4000-8000-000000000001',
        eventType: 'orb.tapped',
        eventCategory: 'orb',
        ...identity,
        occurredAt: NOW,
        receivedAt: NOW,
        entityType: 'orb',
        entityId: 'o1',
        payload: undefined,
        source: 'room',
      },
    );
  });

  it('refuses full queues (BackpressureError) without queueing any of a batch', () => {
    const passport = createRoomPassport(writer, { now: () => NOW });
    passport.record(identity, [
      { type: 'player.like', payload: { trackId: 't' } },
      { type: 'player.like', payload: { trackId: 't' } },
    ]);
    assert.equal(passport.hasRoomFor(1), true);
    assert.equal(passport.hasRoomFor(2), false);
    assert.throws(
      () =>
        passport.record(identity, [
          { type: 'player.like', payload: { trackId: 't' } },
          { type: 'player.like', payload: { trackId: 't' } },
        ]),
      BackpressureError,
    );
    assert.equal(writer.queueDepth, 2);
  });
});
