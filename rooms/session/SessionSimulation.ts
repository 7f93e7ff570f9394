import { MapSchema } from '@colyseus/schema';
import { applySwipe, createDialState, stepDial, tuneTo, type DialState as Dial, type Swipe } from '../../systems/momentum.js';
import { orbitOf, orbitPositionAt, ringOf, type Orbit, type RelationshipType } from '../../systems/orbits.js';
import { beginZoom, createCamera, keyframesToJSON, stepCamera, AUDIO_CROSSFADE, type CameraState as Camera } from '../../systems/camera.js';
import { OrbState, type SessionState } from '../../schema/SessionState.js';
import type { OrbRecord, StationRecord } from '../../persistence/catalog/CatalogRepository.js';

/** An orb in the simulation: its orbit plus what the room needs when it is tapped. */
export interface SimOrb extends Orbit {
  id: string;
  record: OrbRecord;
}

/** What a tick produced that the room must act on (send messages, log events, load data). */
export interface TickOutcome {
  lockedAt?: number;
  zoomFinished?: SimOrb;
}

/** Most ticks produce nothing: one shared empty outcome instead of an allocation per room per tick. */
const NOTHING: Readonly<TickOutcome> = Object.freeze({});

/**
 * Owns the per-session system states (dial, orbs, camera), steps them each tick with the pure
 * systems, and mirrors them into the schema: the dial and camera every tick while they move. Orbs
 * move on the server clock (angle = start + speed·t since `orbEpochMs`): they are written once per
 * station and computed when needed, so a session with nothing moving changes nothing and is not stepped.
 */
export class SessionSimulation {
  readonly dial: Dial;
  readonly camera: Camera = createCamera();
  orbs: SimOrb[] = [];
  zoomingTo: SimOrb | null = null;
  /** Server time (ms) at which every orb of the current station was at its start angle. */
  orbEpochMs = 0;

  constructor(
    private readonly state: SessionState,
    private readonly stations: readonly number[],
    frequency: number,
  ) {
    this.dial = createDialState(frequency, stations);
    this.writeDial();
  }

  swipe(swipe: Swipe): number {
    const target = applySwipe(this.dial, swipe, this.stations);
    this.writeDial();
    return target;
  }

  tune(frequency: number): number {
    const station = tuneTo(this.dial, frequency, this.stations);
    this.writeDial();
    return station;
  }

  /** True when nothing moves: the dial rests and no camera transition runs (the room need not be stepped). */
  get idle(): boolean {
    return this.dial.locked && this.camera.transition === null && this.zoomingTo === null;
  }

  /** Where `orb` is at server time `atMs` (what the client draws at that moment). */
  orbPositionAt(orb: SimOrb, atMs: number): [number, number, number] {
    const out: [number, number, number] = [0, 0, 0];
    orbitPositionAt(out, orb, Math.max(0, atMs - this.orbEpochMs) / 1000);
    return out;
  }

  /** Starts the 0.8 s zoom towards where `orb` is at `atMs` (the input's server time); returns what the client animates. */
  zoomTo(orb: SimOrb, atMs: number) {
    const target = this.orbPositionAt(orb, atMs);
    const transition = beginZoom(this.camera, target);
    this.zoomingTo = orb;
    this.state.camera.transitioning = true;
    return { duration: transition.duration, cameraPath: keyframesToJSON(transition), audioCrossfade: AUDIO_CROSSFADE };
  }

  /** Shows a station at server time `nowMs`: its artist in `station`, its orbs starting their orbits. */
  showStation(station: StationRecord, nowMs: number): void {
    const s = this.state.station;
    s.frequency = station.artist.frequency ?? this.dial.frequency;
    s.artistId = station.artist.id;
    s.artistName = station.artist.name;
    s.genre = station.artist.genres.join(', ');
    s.era = station.artist.era;
    // Orbits come as the catalog stored them (laid out by seed step 11.e when the catalog was built).
    this.orbs = station.orbs.map((record) => {
      const config = {
        id: record.id,
        relationshipType: record.relationship as RelationshipType,
        ring: ringOf(record.relationship),
        orbitRadius: record.radius,
        orbitSpeed: record.speed,
        startAngle: record.startAngle,
        inclination: record.inclination,
      };
      return { id: record.id, record, ...orbitOf(config) };
    });
    this.orbEpochMs = nowMs;
    this.rebuildOrbSchema();
  }

  /** True when the station's orbs are not the ones shown (the influence builder changed them since). */
  orbsChanged(station: StationRecord): boolean {
    const shown = this.orbs.map((o) => orbKey(o.record)).join(';');
    return station.orbs.map(orbKey).join(';') !== shown;
  }

  /** One simulation step of `dt` seconds. */
  tick(dt: number): Readonly<TickOutcome> {
    let outcome: TickOutcome | undefined;
    if (stepDial(this.dial, dt) !== 'idle') {
      this.writeDial();
      if (this.dial.locked) outcome = { lockedAt: this.dial.frequency };
    }
    const cam = stepCamera(this.camera, dt);
    if (cam !== 'idle') {
      this.writeCamera();
      if (cam === 'done_now') {
        outcome = { ...outcome, zoomFinished: this.zoomingTo ?? undefined };
        this.zoomingTo = null;
      }
    }
    return outcome ?? NOTHING;
  }

  findOrb(orbId: string): SimOrb | undefined {
    return this.orbs.find((o) => o.id === orbId);
  }

  private writeDial(): void {
    const d = this.state.dial;
    d.frequency = this.dial.frequency;
    d.velocity = this.dial.velocity;
    d.locked = this.dial.locked;
    d.predicted = this.dial.target;
  }

  private writeCamera(): void {
    const c = this.state.camera;
    const t = this.camera.transition;
    c.x = this.camera.position[0];
    c.y = this.camera.position[1];
    c.z = this.camera.position[2];
    c.fov = this.camera.fov;
    c.transitioning = t !== null;
    c.progress = t ? Math.min(1, t.elapsed / t.duration) : 0;
  }

  private rebuildOrbSchema(): void {
    const map = new MapSchema<OrbState>();
    for (const orb of this.orbs) {
      const o = new OrbState();
      o.artistId = orb.record.targetArtistId;
      o.name = orb.record.targetName;
      o.relationship = orb.record.relationship;
      o.radius = orb.radius;
      o.speed = orb.speed;
      o.inclination = orb.inclination;
      o.startAngle = orb.startAngle;
      map.set(orb.id, o);
    }
    this.state.orbs = map;
    this.state.orbEpoch = this.orbEpochMs;
  }
}

/** What a client sees of an orb: a change in any of these is a new orb set. */
function orbKey(o: StationRecord['orbs'][number]): string {
  return [o.id, o.targetArtistId, o.relationship, o.radius, o.speed, o.startAngle, o.inclination].join('|');
}
