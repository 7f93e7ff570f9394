import assert from 'node:assert/strict';
import { turnOffset } from '../../../systems/constellation/heading.js';
import {
  ConstellationError,
  DISCOVERY_PATH_STRENGTH,
  FLY_AWAY_DURATION_S,
  JITTER,
  MAX_JITTER_ATTEMPTS,
  MIN_STAR_DISTANCE,
  RELATIONSHIP_OFFSETS,
  SEED_GLOW_CURVE,
  SEED_SCALE_CURVE,
  buildConnections,
  lockConnection,
  distance,
  findBaseStar,
  flyAwayAnimation,
  genreSimilarity,
  hashString,
  mulberry32,
  placeStar,
  relationshipOffset,
  resampleCurve,
  seedFromIds,
  type PlaceStarInput,
  type Star,
} from '../../../systems/constellation/constellation.js';

const WIZKID: Star = { artistId: 'wizkid', position: { x: 0, y: 0, z: 0 }, genres: ['Afrobeats', 'Pop'] };
const BURNA: Star = { artistId: 'burna', position: { x: 120, y: 80, z: -50 }, genres: ['Afrofusion'] };
const FELA_GENRES = ['Afrobeat', 'Pop'];

const rels = (map: Record<string, string>) => (base: string) => map[base];

function seedCapture(overrides: Partial<PlaceStarInput> = {}): PlaceStarInput {
  return {
    existing: [WIZKID, BURNA],
    discoveryPath: ['wizkid', 'burna', 'fela'],
    artistId: 'fela',
    relationshipFrom: rels({ burna: 'ancestor' }),
    rng: mulberry32(seedFromIds('7c9e6679', 'fela')),
    ...overrides,
  };
}

describe('systems/constellation', () => {
  describe('placeStar (seed step 7.3)', () => {
    it('puts Fela at Burna Boy (120, 80, −50) + ancestor (−80, 100, −30) = (40, 180, −80)', () => {
      const placement = placeStar(seedCapture());
      assert.deepEqual(placement, { position: { x: 40, y: 180, z: -80 } });
    });

    it('places the first star at the origin', () => {
      const p = placeStar(seedCapture({ existing: [], discoveryPath: ['wizkid'], artistId: 'wizkid' }));
      assert.deepEqual(p.position, { x: 0, y: 0, z: 0 });
    });

    it('bases on the latest path artist that is a star, skipping the captured artist, else the last star', () => {
      assert.equal(findBaseStar([WIZKID, BURNA], ['burna', 'x', 'wizkid', 'fela', 'y', 'fela'], 'fela'), WIZKID);
      assert.equal(findBaseStar([WIZKID, BURNA], ['x', 'y'], 'fela'), BURNA);
      assert.equal(findBaseStar([], ['x'], 'fela'), null);
    });

    it('uses peer (+100, 0, 0) and influenced (+80, −100, +30) offsets; unknown/none count as peer', () => {
      const at = (rel: string | undefined) => placeStar(seedCapture({ existing: [WIZKID], discoveryPath: ['wizkid'], relationshipFrom: () => rel })).position;
      assert.deepEqual(at('peer'), { x: 100, y: 0, z: 0 });
      assert.deepEqual(at('collaborator'), { x: 100, y: 0, z: 0 });
      assert.deepEqual(at('influenced'), { x: 80, y: -100, z: 30 });
      assert.deepEqual(at('influence'), { x: -80, y: 100, z: -30 });
      assert.deepEqual(at(undefined), { x: 100, y: 0, z: 0 });
      assert.deepEqual(at('stranger'), { x: 100, y: 0, z: 0 });
      assert.equal(relationshipOffset(null), RELATIONSHIP_OFFSETS.peer);
    });

    it("turns the heading, keeping the offset's height and backward lean, when the seed's spot is taken", () => {
      // A star already sits exactly where the ancestor offset lands.
      const blocker: Star = { artistId: 'blocker', position: { x: 40, y: 180, z: -80 }, genres: [] };
      const p = placeStar(seedCapture({ existing: [WIZKID, BURNA, blocker] }));
      // The ancestor offset (−80, ·, −30) turned, not jittered: same horizontal length, at most 60° off.
      const [ox, oz] = [p.position.x - BURNA.position.x, p.position.z - BURNA.position.z];
      const cos = (ox * -80 + oz * -30) / (Math.hypot(ox, oz) * Math.hypot(80, 30));
      assert.ok(cos < 0.999 && cos >= Math.cos(Math.PI / 3) - 0.01, `an ancestor turns at most 60° (cos ${cos})`);
      assert.ok(Math.abs(Math.hypot(ox, oz) - Math.hypot(80, 30)) < 1);
      assert.equal(p.position.y, 180, 'still 100 up from Burna Boy');
      assert.ok(p.position.x < BURNA.position.x, 'still backward (into the past)');
      for (const s of [WIZKID, BURNA, blocker]) assert.ok(distance(p.position, s.position) >= MIN_STAR_DISTANCE);
    });

    it('jitters deterministically until ≥ 60 from every star when every heading is taken', () => {
      // Blockers on all five headings an ancestor may take (the seed's and ±30°, ±60°).
      const blockers: Star[] = [0, 30, -30, 60, -60].map((deg) => {
        const o = turnOffset(RELATIONSHIP_OFFSETS.ancestor, deg);
        return { artistId: `b${deg}`, position: { x: 120 + o.x, y: 80 + o.y, z: -50 + o.z }, genres: [] };
      });
      const input = () => seedCapture({ existing: [WIZKID, BURNA, ...blockers] });
      const a = placeStar(input());
      const b = placeStar(input());
      assert.deepEqual(a, b, 'same seed, same result');
      for (const s of [WIZKID, BURNA, ...blockers]) assert.ok(distance(a.position, s.position) >= MIN_STAR_DISTANCE);
      assert.ok(Number.isInteger(a.position.x) && Number.isInteger(a.position.y) && Number.isInteger(a.position.z));
      const other = placeStar({ ...input(), rng: mulberry32(seedFromIds('someone-else', 'fela')) });
      assert.notDeepEqual(other.position, a.position);
    });

    for (const rel of ['peer', 'influenced', 'ancestor']) {
      it(`grows a run of ${rel} captures as a cluster, not a row`, () => {
        const stars: Star[] = [{ artistId: 'a0', position: { x: 0, y: 0, z: 0 }, genres: [] }];
        for (let i = 1; i < 15; i++) {
          // Each capture is based on the one before (the listener walks on from the newest star).
          const p = placeStar({
            existing: stars,
            discoveryPath: [`a${i - 1}`],
            artistId: `a${i}`,
            relationshipFrom: () => rel,
            rng: mulberry32(seedFromIds('u1', `a${i}`)),
          });
          for (const s of stars) assert.ok(distance(p.position, s.position) >= MIN_STAR_DISTANCE);
          stars.push({ artistId: `a${i}`, position: p.position, genres: [] });
        }
        // No three consecutive stars on a line (within 20°).
        for (let i = 2; i < stars.length; i++) {
          const [a, b, c] = [stars[i - 2].position, stars[i - 1].position, stars[i].position];
          const u = [b.x - a.x, b.y - a.y, b.z - a.z];
          const v = [c.x - b.x, c.y - b.y, c.z - b.z];
          const cos = (u[0] * v[0] + u[1] * v[1] + u[2] * v[2]) / (Math.hypot(...u) * Math.hypot(...v));
          assert.ok(cos < Math.cos((20 * Math.PI) / 180), `stars ${i - 2}..${i} in a line`);
        }
        // The horizontal spread is two-dimensional: the narrow extent is at least a third of the wide one.
        const xs = stars.map((s) => s.position.x);
        const zs = stars.map((s) => s.position.z);
        const [wx, wz] = [Math.max(...xs) - Math.min(...xs), Math.max(...zs) - Math.min(...zs)];
        assert.ok(Math.min(wx, wz) >= Math.max(wx, wz) / 3, `${rel}: extents ${wx} × ${wz}`);
        if (rel !== 'peer') for (let i = 1; i < stars.length; i++) assert.equal(stars[i].position.y - stars[i - 1].position.y, rel === 'ancestor' ? 100 : -100);
      });
    }

    it('finds a clear spot whenever the neighbourhood has room (random constellations)', () => {
      const rng = mulberry32(2024);
      const types = ['ancestor', 'peer', 'influenced', 'collaborator'];
      for (let run = 0; run < 300; run++) {
        const existing: Star[] = [];
        const count = 1 + Math.floor(rng() * 8);
        for (let k = 0; k < count; k++) {
          const position = { x: Math.round(rng() * 400 - 200), y: Math.round(rng() * 400 - 200), z: Math.round(rng() * 400 - 200) };
          existing.push({ artistId: `s${k}`, position, genres: [] });
        }
        const p = placeStar({
          existing,
          discoveryPath: existing.map((s) => s.artistId).reverse(),
          artistId: 'new',
          relationshipFrom: () => types[Math.floor(rng() * types.length)],
          rng: mulberry32(seedFromIds(`user${run}`, 'new')),
        });
        for (const s of existing) assert.ok(distance(p.position, s.position) >= MIN_STAR_DISTANCE, `run ${run}`);
      }
    });

    it('gives up after a bounded number of jitters in an impossibly dense cluster', () => {
      const existing: Star[] = [];
      // A 50-unit grid leaves every point within 43.3 of a star; ±600 is out of reach of 100 jitters.
      for (let x = -600; x <= 600; x += 50)
        for (let y = -600; y <= 600; y += 50)
          for (let z = -600; z <= 600; z += 50) existing.push({ artistId: `${x},${y},${z}`, position: { x, y, z }, genres: [] });
      // Base on the centre star so the walk starts deep inside the cluster.
      const p = placeStar({ existing, discoveryPath: ['0,0,0'], artistId: 'new', relationshipFrom: () => 'peer', rng: mulberry32(1) });
      assert.ok(
        existing.some((s) => distance(p.position, s.position) < MIN_STAR_DISTANCE),
        'accepted within 60 of a star',
      );
      // The peer spot (100, 0, 0) walked at most MAX_JITTER_ATTEMPTS steps of ±JITTER per axis.
      const reach = MAX_JITTER_ATTEMPTS * JITTER;
      assert.ok(Math.abs(p.position.x - 100) <= reach && Math.abs(p.position.y) <= reach && Math.abs(p.position.z) <= reach);
    });

    it('refuses an artist that is already a star', () => {
      assert.throws(
        () => placeStar(seedCapture({ artistId: 'burna' })),
        (err: unknown) => err instanceof ConstellationError && err.code === 'ALREADY_CAPTURED',
      );
    });
  });

  describe('connections (seed step 7.5)', () => {
    it('seed example Wizkid → Burna Boy → Fela Kuti: both path stars get a discovery_path line (Wizkid once got none)', () => {
      // Demo catalog genres: Wizkid and Fela share only Afrobeat(s) (1/3 ≤ 0.7): the path alone links them.
      const wizkid: Star = { ...WIZKID, genres: ['Afrobeats', 'Afropop', 'R&B'] };
      const burna: Star = { ...BURNA, genres: ['Afrofusion', 'Afrobeats', 'Reggae', 'Dancehall'] };
      const fela = ['Afrobeat', 'Funk', 'Jazz'];
      assert.ok(genreSimilarity(fela, wizkid.genres) <= 0.7);
      assert.deepEqual(buildConnections({ artistId: 'fela', genres: fela }, [wizkid, burna], ['wizkid', 'burna', 'fela']), [
        { from: 'burna', to: 'fela', strength: DISCOVERY_PATH_STRENGTH, type: 'discovery_path' },
        { from: 'wizkid', to: 'fela', strength: DISCOVERY_PATH_STRENGTH, type: 'discovery_path' },
      ]);
      assert.equal(DISCOVERY_PATH_STRENGTH, 0.95);
    });

    it('a star off the path gets a genre_similarity line with strength = similarity only when it is > 0.7', () => {
      const off = (artistId: string, genres: string[]): Star => ({ artistId, position: { x: 0, y: 0, z: 0 }, genres });
      const connections = buildConnections(
        { artistId: 'new', genres: ['Jazz', 'Funk', 'Soul'] },
        [off('a', ['jazz', 'funk', 'blues']) /* 2/3 */, off('b', ['Jazz', 'Funk', 'Soul', 'Rock']) /* 3/4 */, off('c', ['Jazz', 'Funk', 'Soul']) /* 1 */],
        ['x', 'y'],
      );
      assert.deepEqual(connections, [
        { from: 'b', to: 'new', strength: 0.75, type: 'genre_similarity' },
        { from: 'c', to: 'new', strength: 1, type: 'genre_similarity' },
      ]);
      // Exactly 0.7 is not enough (seed: > 0.7): 7 of 10 genres shared.
      const ten = Array.from({ length: 10 }, (_, i) => `g${i}`);
      const seven = [...ten.slice(0, 7), 'h1', 'h2', 'h3'];
      assert.equal(genreSimilarity(ten, seven), 0.7);
      assert.deepEqual(buildConnections({ artistId: 'new', genres: ten }, [off('d', seven)], []), []);
    });

    it('one line per star: the path wins over genre, repeats in the path and the new artist itself are skipped', () => {
      const connections = buildConnections({ artistId: 'fela', genres: FELA_GENRES }, [WIZKID, BURNA], ['burna', 'wizkid', 'fela', 'burna', 'nobody']);
      assert.deepEqual(connections, [
        { from: 'burna', to: 'fela', strength: DISCOVERY_PATH_STRENGTH, type: 'discovery_path' },
        { from: 'wizkid', to: 'fela', strength: DISCOVERY_PATH_STRENGTH, type: 'discovery_path' },
      ]);
      // Off the path, Wizkid (genres identical to Fela's families) gets its genre line.
      assert.deepEqual(buildConnections({ artistId: 'fela', genres: FELA_GENRES }, [WIZKID, BURNA], ['burna']), [
        { from: 'burna', to: 'fela', strength: DISCOVERY_PATH_STRENGTH, type: 'discovery_path' },
        { from: 'wizkid', to: 'fela', strength: 1, type: 'genre_similarity' },
      ]);
    });

    it('lockConnection (seed step 4.4): only between two different stars, as a discovery_path line', () => {
      const stars = new Set(['wizkid', 'burna']);
      assert.deepEqual(lockConnection('wizkid', 'burna', stars), { from: 'wizkid', to: 'burna', strength: DISCOVERY_PATH_STRENGTH, type: 'discovery_path' });
      assert.equal(lockConnection('wizkid', 'fela', stars), null);
      assert.equal(lockConnection('fela', 'burna', stars), null);
      assert.equal(lockConnection(null, 'burna', stars), null);
      assert.equal(lockConnection('burna', 'burna', stars), null);
    });

    it('computes genre similarity as overlap / max size, with normalised plural families', () => {
      assert.equal(genreSimilarity(['Afrobeats'], ['Afrobeat']), 1);
      assert.equal(genreSimilarity(['Afrobeats', 'Pop'], ['Afrobeat']), 0.5);
      assert.equal(genreSimilarity(['Afrofusion'], ['Afrobeat']), 0);
      assert.equal(genreSimilarity(['Hip-Hop', 'R&B'], ['hip hop', 'rb', 'Soul']), 2 / 3);
      assert.equal(genreSimilarity([], ['Jazz']), 0);
      assert.equal(genreSimilarity(['Jazz', 'jazz'], ['JAZZ']), 1);
    });
  });

  describe('fly-away animation (seed step 7.6)', () => {
    it('samples a quadratic Bézier at 20 points from the origin to the star through the arc control', () => {
      const anim = flyAwayAnimation({ x: 40, y: 180, z: -80 });
      assert.equal(anim.duration, FLY_AWAY_DURATION_S);
      assert.equal(anim.duration, 1.2);
      assert.equal(anim.path.length, 20);
      assert.equal(anim.path[0].t, 0);
      assert.equal(anim.path[19].t, 1);
      assert.deepEqual(anim.path[0].pos, { x: 0, y: 0, z: 0 });
      assert.deepEqual(anim.path[19].pos, { x: 40, y: 180, z: -80 });
      // Control (20, 380, −40): B(t) = 2(1−t)t·c + t²·end.
      for (const { t, pos } of anim.path) {
        const b = 2 * (1 - t) * t;
        const d = t * t;
        assert.ok(Math.abs(pos.x - (b * 20 + d * 40)) < 1e-9);
        assert.ok(Math.abs(pos.y - (b * 380 + d * 180)) < 1e-9);
        assert.ok(Math.abs(pos.z - (b * -40 + d * -80)) < 1e-9);
      }
      assert.ok(Math.max(...anim.path.map((p) => p.pos.y)) > 180, 'arcs above the star');
    });

    it('resamples the 6-point scale and glow curves to the path length', () => {
      const anim = flyAwayAnimation({ x: 40, y: 180, z: -80 });
      assert.equal(anim.scaleCurve.length, 20);
      assert.equal(anim.glowCurve.length, 20);
      assert.equal(anim.scaleCurve[0], 1.0);
      assert.equal(anim.scaleCurve[19], 0.3);
      assert.equal(anim.glowCurve[0], 1.0);
      assert.equal(anim.glowCurve[19], 0.8);
      assert.deepEqual(resampleCurve(SEED_SCALE_CURVE, 6), [...SEED_SCALE_CURVE]);
      const eleven = resampleCurve(SEED_GLOW_CURVE, 11);
      assert.deepEqual([eleven[0], eleven[2], eleven[4], eleven[6], eleven[8], eleven[10]], [...SEED_GLOW_CURVE]);
      assert.ok(Math.abs(eleven[1] - 1.25) < 1e-12);
      for (const v of anim.glowCurve) assert.ok(v >= 0.8 && v <= 1.8);
    });
  });

  describe('seeded RNG', () => {
    it('is deterministic, in [0, 1), and seeds differ per user and artist', () => {
      const a = mulberry32(123);
      const b = mulberry32(123);
      for (let i = 0; i < 1000; i++) {
        const v = a();
        assert.equal(v, b());
        assert.ok(v >= 0 && v < 1);
      }
      assert.equal(hashString(''), 0x811c9dc5);
      assert.equal(hashString('a'), 0xe40c292c);
      assert.notEqual(seedFromIds('ab', 'c'), seedFromIds('a', 'bc'));
    });
  });
});
