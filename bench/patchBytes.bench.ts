/**
 * Patch bytes vs a naive full-state JSON broadcast, room-independent: `npx tsx bench/patchBytes.bench.ts`.
 *
 * Builds a SessionState, drives the real SessionSimulation at 20 Hz for 60 simulated seconds on a demo
 * catalog station, and after every tick encodes the patch exactly as Colyseus does (Encoder.encode with
 * one leading protocol byte, then discardChanges) — one frame per tick that has changes. The naive
 * alternative sends JSON.stringify(state.toJSON()) every tick. Scenarios: idle (orbs orbiting only: they
 * move on the server clock and are never streamed, so an idle session sends nothing) and a listener
 * swiping every 1–4 s (locks show the new station, as the room does). Prints bytes/s per session and the ratio.
 * Env: BENCH_SECONDS (60), BENCH_HZ (20).
 */
import { Encoder } from '@colyseus/schema';
import { SessionState } from '../schema/SessionState.js';
import { SessionSimulation } from '../rooms/session/SessionSimulation.js';
import { buildDemoCatalog, type CatalogRows } from '../persistence/catalog/buildCatalog.js';
import type { StationRecord } from '../persistence/catalog/CatalogRepository.js';
import { mulberry32 } from '../systems/constellation/constellation.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const HZ = Number(process.env.BENCH_HZ ?? 20);
const WS_HEADER = (n: number) => (n < 126 ? 2 : n < 65_536 ? 4 : 10);

/** StationRecords as CatalogRepository would assemble them, from the demo catalog rows. */
export function stationRecords(rows: CatalogRows): Map<number, StationRecord> {
  const artists = new Map(rows.artists.map((a) => [a.id, a]));
  const scenes = new Map(rows.scenes.map((s) => [s.id, s]));
  const out = new Map<number, StationRecord>();
  for (const a of rows.artists) {
    if (a.station_frequency === null) continue;
    const scene = scenes.get(a.scene_id)!;
    const orbs = rows.orbs
      .filter((o) => o.source_artist_id === a.id)
      .sort((x, y) => x.orbit_radius - y.orbit_radius || x.id.localeCompare(y.id))
      .map((o) => {
        const t = artists.get(o.target_artist_id)!;
        return {
          id: o.id,
          sourceArtistId: o.source_artist_id,
          targetArtistId: o.target_artist_id,
          targetName: t.name,
          targetFrequency: t.station_frequency,
          targetGenres: t.genres,
          thumbnail: t.thumbnail,
          relationship: o.relationship_type,
          radius: o.orbit_radius,
          speed: o.orbit_speed,
          startAngle: o.start_angle,
          inclination: o.inclination,
          size: o.size,
          glowColor: o.glow_color,
          influenceScore: o.influence_score,
          description: o.description,
        };
      });
    out.set(Number(a.station_frequency), {
      artist: {
        id: a.id,
        name: a.name,
        frequency: Number(a.station_frequency),
        genres: a.genres,
        era: a.era,
        origin: a.origin,
        bio: a.bio,
        heroImage: a.hero_image,
        deepEtchedImage: a.deep_etched_image,
        thumbnail: a.thumbnail,
        sceneId: a.scene_id,
      },
      scene: {
        id: scene.id,
        name: scene.name,
        sceneType: scene.scene_type,
        videoUrls: { high: scene.video_url_high, medium: scene.video_url_medium, low: scene.video_url_low },
        loopPoint: scene.loop_point,
        particles: scene.particles,
        lighting: scene.lighting,
        ambientSound: scene.ambient_sound,
        hapticPattern: scene.haptic_pattern,
      },
      orbs,
      adjacent: { below: null, above: null },
    });
  }
  return out;
}

export interface PatchBytesResult {
  scenario: 'idle' | 'swipes';
  orbs: number;
  fullStateBytes: number;
  patchFramesPerSec: number;
  patchBytesPerSec: number;
  patchWireBytesPerSec: number;
  jsonBytesPerSec: number;
  ratio: number;
}

/** Runs one scenario; exported so a test can drive a short version. */
export function measure(scenario: 'idle' | 'swipes', stations: Map<number, StationRecord>, start: number, seconds = SECONDS, hz = HZ): PatchBytesResult {
  const frequencies = [...stations.keys()].sort((a, b) => a - b);
  const state = new SessionState();
  const sim = new SessionSimulation(state, frequencies, start, 0);
  sim.showStation(stations.get(sim.dial.target)!, 0);
  const encoder = new Encoder(state);
  const full = encoder.encodeAll({ offset: 1 }).length; // the join's ROOM_STATE frame, not counted below
  encoder.discardChanges();
  const random = mulberry32(42);
  const dt = 1 / hz;
  let nextSwipe = 1 + random() * 3;
  let frames = 0;
  let bytes = 0;
  let wire = 0;
  let json = 0;
  for (let i = 1; i <= seconds * hz; i++) {
    const t = i * dt;
    if (scenario === 'swipes' && t >= nextSwipe) {
      sim.swipe({ direction: random() < 0.5 ? 'left' : 'right', velocity: 200 + random() * 1000 }, t * 1000);
      nextSwipe = t + 1 + random() * 3;
    }
    const outcome = sim.tick(t * 1000);
    if (outcome.lockedAt !== undefined) sim.showStation(stations.get(outcome.lockedAt)!, t * 1000);
    if (encoder.hasChanges) {
      const frame = encoder.encode({ offset: 1 }).length; // + the ROOM_STATE_PATCH byte, as SchemaSerializer sends it
      encoder.discardChanges();
      frames++;
      bytes += frame;
      wire += frame + WS_HEADER(frame);
    }
    json += Buffer.byteLength(JSON.stringify(state.toJSON()));
  }
  const r = (v: number) => Math.round((v / seconds) * 10) / 10;
  return {
    scenario,
    orbs: state.orbs.size,
    fullStateBytes: full,
    patchFramesPerSec: r(frames),
    patchBytesPerSec: r(bytes),
    patchWireBytesPerSec: r(wire),
    jsonBytesPerSec: r(json),
    ratio: Math.round((json / Math.max(1, bytes)) * 10) / 10,
  };
}

/** A copy of the catalog whose station at `frequency` has `count` orbs (its own repeated on wider orbits). */
function withOrbs(stations: Map<number, StationRecord>, frequency: number, count: number): Map<number, StationRecord> {
  const base = stations.get(frequency)!;
  const orbs = Array.from({ length: count }, (_, i) => {
    const o = base.orbs[i % base.orbs.length];
    return { ...o, id: `${o.id}_x${i}`, radius: o.radius + 10 * Math.floor(i / base.orbs.length), startAngle: (o.startAngle + 45 * i) % 360 };
  });
  return new Map(stations).set(frequency, { ...base, orbs });
}

function main(): void {
  const stations = stationRecords(buildDemoCatalog());
  const mostOrbs = [...stations.entries()].sort((a, b) => b[1].orbs.length - a[1].orbs.length)[0];
  const starts: Array<[string, number, Map<number, StationRecord>]> = [
    ['99.9 (Wizkid)', 99.9, stations],
    [`${mostOrbs[0]} (most orbs: ${mostOrbs[1].orbs.length})`, mostOrbs[0], stations],
    ['99.9 with 8 orbs (synthetic)', 99.9, withOrbs(stations, 99.9, 8)],
  ];
  const rows: string[][] = [
    ['start station', 'scenario', 'orbs', 'full state B', 'patch frames/s', 'patch B/s', 'patch wire B/s', 'naive JSON B/s', 'JSON ÷ patch'],
  ];
  for (const [label, start, catalog] of starts) {
    for (const scenario of ['idle', 'swipes'] as const) {
      {
        const m = measure(scenario, catalog, start);
        rows.push([
          label,
          scenario,
          String(m.orbs),
          String(m.fullStateBytes),
          String(m.patchFramesPerSec),
          String(m.patchBytesPerSec),
          String(m.patchWireBytesPerSec),
          String(m.jsonBytesPerSec),
          `${m.ratio}×`,
        ]);
      }
    }
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  process.stdout.write(`Patch bytes per session: ${SECONDS} s at ${HZ} Hz (payload = Colyseus frame incl. protocol byte; wire adds the WebSocket header)\n`);
  for (const [i, row] of rows.entries()) {
    process.stdout.write(`| ${row.map((c, j) => c.padEnd(widths[j])).join(' | ')} |\n`);
    if (i === 0) process.stdout.write(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |\n`);
  }
}

if (process.argv[1]?.endsWith('patchBytes.bench.ts')) main();
