import assert from 'node:assert/strict';
import { buildSyntheticCatalog, freeStationSlots, SyntheticCatalogError } from '../../../persistence/catalog/synthCatalog.js';
import { buildDemoCatalog } from '../../../persistence/catalog/buildCatalog.js';
import { DEMO_ARTISTS } from '../../../persistence/catalog/demoArtists.js';
import { ringOf, type RelationshipType } from '../../../systems/session/orbits.js';

describe('synthetic catalog generator', () => {
  const rows = buildSyntheticCatalog({ artists: 5000, seed: 7 });

  it('is deterministic per seed and differs across seeds', () => {
    assert.deepEqual(buildSyntheticCatalog({ artists: 5000, seed: 7 }), rows);
    assert.notDeepEqual(buildSyntheticCatalog({ artists: 5000, seed: 8 }).artists[0], rows.artists[0]);
  });

  it('makes the artists asked for, each with its own scene, unique ids', () => {
    assert.equal(rows.artists.length, 5000);
    assert.equal(new Set(rows.artists.map((a) => a.id)).size, 5000);
    const scenes = new Set(rows.scenes.map((s) => s.id));
    assert.ok(rows.artists.every((a) => scenes.has(a.scene_id)));
  });

  it('puts artists only on free slots of the band: no demo frequency, none in 104.2–105.4, no two on one station', () => {
    const onAir = rows.artists.map((a) => a.station_frequency).filter((f): f is number => f !== null);
    const slots = freeStationSlots();
    assert.equal(onAir.length, slots.length, 'with 5,000 artists every free slot is used');
    assert.equal(new Set(onAir).size, onAir.length);
    const demo = new Set(DEMO_ARTISTS.map((a) => a.frequency));
    assert.ok(onAir.every((f) => f >= 88.1 && f <= 107.9 && !demo.has(f) && (f < 104.2 || f > 105.4)));
    assert.ok(Math.min(...onAir) < 90 && Math.max(...onAir) > 106, 'spread over the whole band');
  });

  it('gives every artist up to three orbs to existing artists, radius by ring (seed 11.e)', () => {
    const known = new Set([...rows.artists, ...buildDemoCatalog().artists].map((a) => a.id));
    assert.ok(rows.orbs.every((o) => known.has(o.target_artist_id) && o.target_artist_id !== o.source_artist_id));
    const perSource = new Map<string, number>();
    for (const o of rows.orbs) perSource.set(o.source_artist_id, (perSource.get(o.source_artist_id) ?? 0) + 1);
    assert.ok([...perSource.values()].every((n) => n >= 1 && n <= 3));
    assert.ok(rows.orbs.length > 5000 * 2.5, `${rows.orbs.length} orbs`);
    // Seed 11.e: ancestors 150 + 20i, peers 120, contemporaries 100.
    for (const o of rows.orbs) {
      const ring = ringOf(o.relationship_type as RelationshipType);
      const ok = ring === 'ancestors' ? [150, 170, 190].includes(o.orbit_radius) : o.orbit_radius === (ring === 'peers' ? 120 : 100);
      assert.ok(ok, `${o.relationship_type} radius ${o.orbit_radius}`);
    }
  });

  it('refuses counts it cannot make, saying the range', () => {
    assert.throws(
      () => buildSyntheticCatalog({ artists: 0 }),
      (e: unknown) => e instanceof SyntheticCatalogError && /1 to 200000/.test((e as Error).message),
    );
    assert.throws(() => buildSyntheticCatalog({ artists: 2.5 }), SyntheticCatalogError);
  });
});
