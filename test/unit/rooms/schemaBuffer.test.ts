import assert from 'node:assert/strict';
import { Encoder } from '@colyseus/schema';
import { SessionState } from '../../../schema/SessionState.js';
import { SessionSimulation } from '../../../rooms/session/SessionSimulation.js';
import { UPSTREAM_SCHEMA_BUFFER_BYTES, setSchemaBufferBytes } from '../../../rooms/colyseusInternals.js';
import { loadConfig } from '../../../src/config/config.js';
import { DEFAULT_MAX_ORBS } from '../../../systems/influence/influence.js';

describe('room encode buffers (SCHEMA_BUFFER_BYTES)', () => {
  // Not Encoder.BUFFER_SIZE now: a server started by an earlier file in this mocha worker has already set it.
  const upstream = UPSTREAM_SCHEMA_BUFFER_BYTES;
  after(() => setSchemaBufferBytes(upstream));

  it('new encoders take the configured size instead of the 16 KB default', () => {
    const bytes = loadConfig({}).schemaBufferBytes;
    assert.ok(bytes < upstream, `the default (${bytes}) is below Colyseus's ${upstream}`);
    setSchemaBufferBytes(bytes);
    assert.equal(new Encoder(new SessionState()).sharedBuffer.byteLength, bytes);
  });

  it("a session's full state with the most orbs and long names fits the default at least twice over", () => {
    const bytes = loadConfig({}).schemaBufferBytes;
    const state = new SessionState();
    const encoder = new Encoder(state);
    const sim = new SessionSimulation(state, [88.1, 99.9, 105.5], 99.9, 1_000);
    const long = (i: number) => `Artist with a rather long stage name number ${i}`;
    const orbs = Array.from({ length: DEFAULT_MAX_ORBS }, (_, i) => ({
      id: `orb_${i}_${'x'.repeat(20)}`,
      relationship: 'ancestor',
      radius: 120,
      speed: 0.4,
      startAngle: i,
      inclination: 0.1,
      targetArtistId: `artist_${i}_${'y'.repeat(20)}`,
      targetName: long(i),
      targetFrequency: 101.1,
    }));
    const station = {
      artist: {
        id: 'artist_with_a_long_id_0123456789',
        name: long(99),
        frequency: 99.9,
        genres: ['Afrobeats', 'Afro-fusion', 'Highlife', 'Jùjú'],
        era: '2000s–present',
      },
      orbs,
    };
    sim.showStation(station as unknown as Parameters<SessionSimulation['showStation']>[0], 1_000);
    const full = encoder.encodeAll();
    assert.ok(full.byteLength * 2 <= bytes, `full state ${full.byteLength} B against a ${bytes} B buffer`);
  });
});
