import assert from 'node:assert/strict';
import { isEventType, makeEvent, validateEvent } from '../../../systems/passport/index.js';

const NOW = Date.parse('2025-01-06T14:28:33.120Z');
const ids = { userId: '7c9e6679-7425-40de-944b-e07fc1f90ae7', sessionId: '550e8400-e29b-41d4-a716-446655440000', deviceId: 'd', source: 'room' as const };
const newId = () => '00000000-0000-4000-8000-000000000001';

/** The seed 000 analytics writes that had no passport type. */
describe('passport types for seed 000 analytics', () => {
  it('station.loaded (2.10), constellation.connected (4.4), session.tip_shown (5.4), session.synced (15.4), search.performed (13.6) exist', () => {
    for (const type of ['station.loaded', 'constellation.connected', 'session.tip_shown', 'session.synced', 'search.performed'])
      assert.ok(isEventType(type), type);
  });

  it('accepts the seed examples and names a bad field', () => {
    makeEvent('station.loaded', { payload: { artistId: 'artist_wizkid_001', frequency: 99.9, method: 'join' } }, ids, NOW, newId);
    makeEvent('station.loaded', { payload: { artistId: 'artist_wizkid_001', frequency: null, method: 'http' } }, { source: 'http' }, NOW, newId);
    makeEvent(
      'constellation.connected',
      { payload: { from: 'artist_wizkid_001', to: 'artist_burna_003', strength: 0.95, connectionType: 'discovery_path' } },
      ids,
      NOW,
      newId,
    );
    makeEvent('session.tip_shown', { payload: { tip: 'parallax' } }, ids, NOW, newId);
    makeEvent('session.synced', { payload: { operations: 2, applied: 2, offlineDuration: 1843 } }, ids, NOW, newId);
    makeEvent('search.performed', { payload: { query: 'fela', resultCount: 3, topResultId: 'artist_fela_004' } }, ids, NOW, newId);
    const bad = validateEvent(
      { eventType: 'station.loaded', payload: { artistId: 'a', frequency: 120, method: 'walk' } },
      { source: 'http', receivedAtMs: NOW, newId },
    );
    assert.equal(bad.ok, false);
    assert.deepEqual(bad.ok ? [] : bad.issues.map((i) => i.field).sort(), ['payload.frequency', 'payload.method']);
  });
});
