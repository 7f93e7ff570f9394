import assert from 'node:assert/strict';
import {
  EVENT_TYPES,
  GRAVITY_EVENT_TYPES,
  MAX_PAYLOAD_BYTES,
  PassportEventError,
  categoryOf,
  gravityToEvent,
  isEventType,
  makeEvent,
  buildEvents,
  parseClientTime,
  validateEvent,
  validateEvents,
  type PassportEvent,
  type ValidationContext,
} from '../../../systems/passport/index.js';

const NOW = Date.parse('2025-01-06T14:30:00.000Z');
let n = 0;
const newId = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
const ctx = (extra: Partial<ValidationContext> = {}): ValidationContext => ({ source: 'http', receivedAtMs: NOW, newId, ...extra });
const USER = '7C9E6679-7425-40DE-944B-E07FC1F90AE7';

function fieldsOf(input: unknown, c = ctx()): string[] {
  const result = validateEvent(input, c);
  assert.equal(result.ok, false, 'expected the event to be invalid');
  return result.ok ? [] : result.issues.map((i) => i.field);
}

describe('systems/passport events and validation', () => {
  it('lists the seeds’ event types, each categorised by its prefix', () => {
    for (const type of [
      'session.started',
      'session.resumed',
      'session.ended',
      'station.swiped',
      'station.locked',
      'station.visited',
      'orb.tapped',
      'constellation.captured',
      'sensor.batch',
      'badge.earned',
      'player.track_played',
      'player.track_skipped',
      'player.play_10s',
      'player.radio_next',
      'player.like',
      'concierto.vote_cast',
      'concierto.event_attended',
      'treasury.money_spent',
    ]) {
      assert.ok(isEventType(type), type);
    }
    for (const type of EVENT_TYPES) assert.equal(categoryOf(type), type.split('.')[0]);
  });

  it("accepts every event type seeds 002-004 log, the coliseum's vote under the vote's own type", () => {
    const seedEvents: Array<[string, Record<string, unknown>]> = [
      ['coliseum.vote_cast', { artistId: 'artist_wizkid', eventId: 'evt_1', channel: 'web', weight: 1 }],
      ['concierto.vote_cast', { voteFor: 'artist_wizkid', eventId: 'evt_1' }],
      ['concierto.event_attended', { eventId: 'evt_1', city: 'Lagos' }],
      ['concierto.event_viewed', { eventId: 'evt_1' }],
      ['player.track_played', { trackId: 't1', artistId: 'artist_wizkid' }],
      ['player.track_completed', { trackId: 't1' }],
      ['player.track_skipped', { trackId: 't1' }],
      ['player.track_added', { trackId: 't1', artistId: 'artist_wizkid' }],
      ['player.track_downloaded', { trackId: 't1' }],
      ['treasury.money_spent', { amountCents: 500, currency: 'usd' }],
      ['treasury.money_earned', { amountCents: 500, currency: 'usd' }],
      ['treasury.purchase_completed', { amountCents: 500, currency: 'usd' }],
      ['social.follow', { targetUserId: USER }],
    ];
    for (const [eventType, payload] of seedEvents) {
      const result = validateEvent({ eventType, userId: USER, payload }, ctx());
      assert.ok(result.ok, `${eventType}: ${JSON.stringify(!result.ok && result.issues)}`);
      if (eventType === 'coliseum.vote_cast') assert.equal(result.event.eventType, 'concierto.vote_cast');
    }
    assert.deepEqual(fieldsOf({ eventType: 'coliseum.unknown', userId: USER }), ['eventType']);
  });

  it('stores one spelling per city: NFC, single spaces, trimmed; a city of only spaces is left out', () => {
    const decomposed = 'I\u0300ba\u0300da\u0300n';
    const cityOf = (city: unknown) => {
      const result = validateEvent({ eventType: 'concierto.event_attended', userId: USER, payload: { eventId: 'ev-1', city } }, ctx());
      assert.ok(result.ok, JSON.stringify(city));
      return (result.event.payload as { city?: string }).city;
    };
    assert.equal(cityOf('  Port   Harcourt\t'), 'Port Harcourt');
    assert.equal(cityOf(decomposed), 'Ìbàdàn');
    assert.equal(cityOf('Lagos'), 'Lagos');
    assert.equal(cityOf('   '), undefined);
    const input = { eventType: 'station.visited', payload: { artistId: 'a', frequency: 90, method: 'tune', city: ' Accra ' } };
    validateEvent(input, ctx());
    assert.equal(input.payload.city, ' Accra ', "the caller's object is left as it was");
  });

  it('normalises a valid event: server time, default occurredAt, lower-case ids, event_category', () => {
    const result = validateEvent(
      { eventType: 'station.visited', userId: USER, sessionId: 's1', payload: { artistId: 'artist_fela_004', frequency: 102.7, method: 'orb', extra: 'kept' } },
      ctx(),
    );
    assert.ok(result.ok);
    const e = result.event;
    assert.equal(e.eventCategory, 'station');
    assert.equal(e.userId, USER.toLowerCase());
    assert.equal(e.occurredAt, Date.parse('2025-01-06T14:30:00.000Z'));
    assert.equal(e.receivedAt, Date.parse('2025-01-06T14:30:00.000Z'));
    assert.equal(e.source, 'http');
    assert.match(e.eventId, /^00000000-0000-4000-8000-/);
    assert.equal((e.payload as Record<string, unknown>).extra, 'kept', 'unknown payload fields are kept');
  });

  it('reports every problem field by field', () => {
    const fields = fieldsOf({ eventId: 'x', eventType: 'station.visited', userId: 'nope', typo: 1, payload: { artistId: '', method: 'walk' } });
    assert.deepEqual(fields.sort(), ['eventId', 'payload.artistId', 'payload.frequency', 'payload.method', 'typo', 'userId']);
    assert.deepEqual(fieldsOf({ eventType: 'coliseum.vote_kast' }), ['eventType']);
    assert.deepEqual(fieldsOf('hello'), ['(body)']);
  });

  it('checks per-type payloads from the seeds', () => {
    assert.deepEqual(fieldsOf({ eventType: 'concierto.vote_cast', payload: { eventId: 'evt_1' } }), ['payload.voteFor']);
    assert.deepEqual(fieldsOf({ eventType: 'concierto.vote_cast', payload: { eventId: 'evt_1', voteFor: 'a', weight: 0 } }), ['payload.weight']);
    assert.deepEqual(fieldsOf({ eventType: 'orb.tapped', payload: { fromArtistId: 'a' } }), ['payload.toArtistId']);
    assert.deepEqual(fieldsOf({ eventType: 'treasury.money_spent', payload: { amountCents: 12.5, currency: 'dollars' } }).sort(), [
      'payload.amountCents',
      'payload.currency',
    ]);
    assert.deepEqual(fieldsOf({ eventType: 'constellation.captured', payload: { artistId: 'a', position: { x: 1, y: 2 } } }), ['payload.position.z']);
    assert.deepEqual(fieldsOf({ eventType: 'station.swiped', payload: { direction: 'up', velocity: 1 } }), ['payload.direction']);
    assert.ok(
      validateEvent({ eventType: 'station.visited', payload: { artistId: 'a', frequency: null, method: 'tune' } }, ctx()).ok,
      'an artist without a frequency',
    );
  });

  it('bounds the payload size and refuses NUL characters Postgres cannot store', () => {
    const big = { trackId: 't', blob: 'x'.repeat(MAX_PAYLOAD_BYTES) };
    const result = validateEvent({ eventType: 'player.like', payload: big }, ctx());
    assert.ok(!result.ok && /at most 8192/.test(result.issues[0].message));
    assert.ok(!validateEvent({ eventType: 'player.like', payload: { trackId: 'a\u0000b' } }, ctx()).ok);
    assert.ok(validateEvent({ eventType: 'player.like', payload: { trackId: 'a\\u0000b' } }, ctx()).ok, 'a literal backslash-u0000 text is fine');
  });

  it('reads client time as ms or ISO-8601 (no offset = UTC) inside the server window', () => {
    assert.equal(parseClientTime('2025-01-06T15:12:44'), Date.parse('2025-01-06T15:12:44Z'));
    assert.equal(parseClientTime('2025-01-06T15:12:44.120+01:00'), Date.parse('2025-01-06T14:12:44.120Z'));
    assert.ok(Number.isNaN(parseClientTime('yesterday')));
    const at = (occurredAt: unknown) => validateEvent({ eventType: 'player.like', occurredAt, payload: { trackId: 't' } }, ctx());
    const ok = at(NOW - 1000);
    assert.ok(ok.ok && ok.event.occurredAt === Date.parse('2025-01-06T14:29:59.000Z'));
    const seconds = at(Math.floor(NOW / 1000));
    assert.ok(!seconds.ok && /looks like seconds/.test(seconds.issues[0].message));
    const future = at(NOW + 3_600_000);
    assert.ok(!future.ok && /ahead of server time/.test(future.issues[0].message));
    assert.ok(!at('2025-01-06').ok);
  });

  it('validates batches all-or-nothing with indexed fields', () => {
    const good = { eventType: 'player.like', payload: { trackId: 't' } };
    const ok = validateEvents([good, good], ctx());
    assert.ok(ok.ok && ok.events.length === 2);
    const bad = validateEvents([good, { eventType: 'player.like' }, good, { eventType: 'nope' }], ctx());
    assert.ok(!bad.ok);
    assert.deepEqual(bad.ok ? [] : bad.issues.map((i) => i.field), ['events.1.payload.trackId', 'events.3.eventType']);
  });
});

describe('systems/passport builders', () => {
  it('makeEvent builds a typed, validated event from server-known ids', () => {
    const e = makeEvent(
      'constellation.captured',
      { payload: { artistId: 'artist_fela_004', position: { x: 40, y: 180, z: -80 }, totalStars: 3 }, entityType: 'artist', entityId: 'artist_fela_004' },
      { userId: USER, sessionId: 's1', deviceId: 'd1', source: 'room' },
      NOW,
      newId,
    );
    assert.equal(e.eventType, 'constellation.captured');
    assert.equal(e.payload.position.y, 180);
    assert.equal(e.deviceId, 'd1');
    assert.equal(e.source, 'room');
  });

  it('makeEvent throws PassportEventError with details for a bad event', () => {
    assert.throws(
      () => makeEvent('station.visited', { payload: { artistId: 'a', frequency: 200, method: 'swipe' } }, { source: 'room' }, NOW, newId),
      (err: unknown) => err instanceof PassportEventError && err.code === 'INVALID_EVENT' && err.details[0].field === 'payload.frequency',
    );
  });

  it('buildEvents builds server-described events without a validation pass, keeping replayed times and ids', () => {
    const id = '3f2b6c1e-8a4d-4c7e-9b1a-0d5e6f7a8b9c';
    const built: PassportEvent[] = buildEvents(
      [
        {
          type: 'orb.tapped',
          payload: { orbId: 'o1', fromArtistId: 'a', toArtistId: 'b' },
          entityType: 'orb',
          entityId: 'o1',
          occurredAtMs: NOW - 5000,
          eventId: id,
        },
        { type: 'sensor.batch', payload: { samples: 2, totalDuration: 1.5 } },
      ],
      { userId: USER, sessionId: 's', deviceId: 'd', source: 'room' },
      NOW,
      newId,
    );
    assert.equal(built[0].eventId, id);
    assert.equal(built[0].occurredAt, NOW - 5000, 'times stay numbers until the sink');
    assert.equal(built[0].eventCategory, 'orb');
    assert.equal(built[1].occurredAt, NOW);
    assert.equal(built[1].receivedAt, NOW);
    assert.equal(built[1].userId, USER);
    assert.match(built[1].eventId, /^00000000-0000-4000-8000-/);
  });

  it('maps the gravity POST /event contract (seed 001) onto player.* events', () => {
    const track = '3f2b6c1e-8a4d-4c7e-9b1a-0d5e6f7a8b9c';
    assert.deepEqual(GRAVITY_EVENT_TYPES, {
      play_start: 'player.track_played',
      play_10s: 'player.play_10s',
      skip: 'player.track_skipped',
      radio_next: 'player.radio_next',
      like: 'player.like',
    });
    const skip = gravityToEvent(
      { session_id: 'sess', track_id: track, event_type: 'skip', meta: { elapsed_ms: 1234 }, context: 'radio', timestamp: '2025-01-06T14:00:00Z' },
      NOW,
      newId,
    );
    assert.ok(skip.ok);
    assert.equal(skip.event.eventType, 'player.track_skipped');
    assert.equal(skip.event.source, 'gravity');
    assert.equal(skip.event.entityId, track);
    assert.deepEqual(skip.event.payload, { trackId: track, gravityType: 'skip', context: 'radio', elapsedMs: 1234 });
    assert.equal(skip.event.occurredAt, Date.parse('2025-01-06T14:00:00.000Z'));
    const bad = gravityToEvent({ track_id: 'x', event_type: 'pause', timestamp: 'soon' }, NOW, newId);
    assert.ok(!bad.ok);
    assert.deepEqual(bad.ok ? [] : bad.issues.map((i) => i.field).sort(), ['event_type', 'session_id', 'track_id']);
    const late = gravityToEvent({ session_id: 's', track_id: track, event_type: 'like', timestamp: 'soon' }, NOW, newId);
    assert.ok(!late.ok && late.issues[0].field === 'timestamp');
  });
});
