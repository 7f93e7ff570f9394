import assert from 'node:assert/strict';
import { MAX_OFFLINE_OPERATIONS, PERIODS, bucketStart, validateOfflineOperations } from '../../../systems/passport/index.js';

const NOW = Date.parse('2025-01-06T16:00:00Z');

describe('systems/passport offline operations', () => {
  it('accepts the seed’s queue (step 15) in snake_case and normalises it', () => {
    const { valid, invalid } = validateOfflineOperations(
      [
        { op_id: 'op-1', type: 'capture_star', artist_id: 'artist_sade_005', timestamp: '2025-01-06T15:12:44', session_id: '550e8400' },
        { opId: 'op-2', type: 'orb_interaction', from: 'artist_fela_004', to: 'artist_james_brown_008', timestamp: '2025-01-06T15:15:22' },
        { opId: 'op-3', type: 'station_visit', artistId: 'artist_fela_004', frequency: 102.7, occurredAt: NOW - 1000 },
      ],
      NOW,
    );
    assert.deepEqual(invalid, []);
    assert.deepEqual(valid, [
      {
        opId: 'op-1',
        occurredAtMs: Date.parse('2025-01-06T15:12:44Z'),
        sessionId: '550e8400',
        type: 'capture_star',
        artistId: 'artist_sade_005',
        discoveryPath: [],
      },
      {
        opId: 'op-2',
        occurredAtMs: Date.parse('2025-01-06T15:15:22Z'),
        sessionId: null,
        type: 'orb_interaction',
        fromArtistId: 'artist_fela_004',
        toArtistId: 'artist_james_brown_008',
        orbId: null,
        relationship: null,
      },
      { opId: 'op-3', occurredAtMs: NOW - 1000, sessionId: null, type: 'station_visit', artistId: 'artist_fela_004', frequency: 102.7 },
    ]);
  });

  it('names what is wrong with each invalid operation', () => {
    const { valid, invalid } = validateOfflineOperations(
      [
        { opId: 'a', type: 'teleport', timestamp: NOW },
        { type: 'capture_star', artist_id: 'x', timestamp: NOW },
        { opId: 'c', type: 'orb_interaction', from: 'x', timestamp: NOW },
        { opId: 'd', type: 'station_visit', artistId: 'x', timestamp: NOW + 86_400_000 },
        { opId: 'bad id!', type: 'station_visit', artistId: 'x', timestamp: NOW },
        null,
      ],
      NOW,
    );
    assert.equal(valid.length, 0);
    assert.deepEqual(
      invalid.map((i) => [i.opId, i.details[0].field]),
      [
        ['a', 'type'],
        ['#1', 'opId'],
        ['c', 'toArtistId'],
        ['d', 'timestamp'],
        ['bad id!', 'opId'],
        ['#5', '(operation)'],
      ],
    );
    assert.match(invalid[0].error, /capture_star \| orb_interaction \| station_visit/);
    assert.equal(MAX_OFFLINE_OPERATIONS, 500);
  });
});

describe('systems/passport periods', () => {
  it('buckets in UTC: hour, day, ISO week (Monday), month, all', () => {
    const at = Date.parse('2025-01-05T23:30:00Z'); // a Sunday
    assert.equal(new Date(bucketStart('hour', at)).toISOString(), '2025-01-05T23:00:00.000Z');
    assert.equal(new Date(bucketStart('day', at)).toISOString(), '2025-01-05T00:00:00.000Z');
    assert.equal(new Date(bucketStart('week', at)).toISOString(), '2024-12-30T00:00:00.000Z');
    assert.equal(new Date(bucketStart('week', Date.parse('2025-01-06T00:00:00Z'))).toISOString(), '2025-01-06T00:00:00.000Z');
    assert.equal(new Date(bucketStart('month', at)).toISOString(), '2025-01-01T00:00:00.000Z');
    assert.equal(bucketStart('all', at), 0);
    assert.deepEqual([...PERIODS], ['hour', 'day', 'week', 'month', 'all']);
  });
});
