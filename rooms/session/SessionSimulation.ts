import {
  applySwipe,
  createDialState,
  dialPositionAt,
  predictStation,
  settleDial,
  tuneTo,
  DEFAULT_DIAL_PARAMS,
  type DialState as Dial,
  type Swipe,
} from '../../systems/session/momentum.js';
import { vec3 } from 'gl-matrix';
import { orbitPositionAt, ringOf, wrapDegrees, type Orbit } from '../../systems/session/orbits.js';
import {
  createCamera,
  keyframesToJSON,
  startTransition,
  stepCamera,
  AUDIO_CROSSFADE,
  type CameraState as Camera,
  type CameraTransition,
} from '../../systems/session/camera.js';
import { nearestStation } from '../../systems/catalog/stations.js';
import { OrbState, type SessionState } from '../../schema/SessionState.js';
import type { OrbRecord, StationRecord } from '../../persistence/catalog/CatalogRepository.js';

export interface SimOrb extends Orbit {
  id: string;
  record: OrbRecord;
}

/** Messages to send, events to log, data to load. */
export interface TickOutcome {
  lockedAt?: number;
  zoomFinished?: SimOrb;
}

/** One shared empty outcome instead of an allocation per room per tick. */
const NOTHING: Readonly<TickOutcome> = Object.freeze({});

/**
 * The per-session dial, orbs and camera, mirrored into the schema. Nothing that moves is streamed: the glide and the
 * orbs are closed forms of the server clock written once; the zoom path goes in the `transition` message. A step
 * only checks whether the glide settled or the zoom finished, and a session with nothing moving is not stepped.
 */
export class SessionSimulation {
  readonly dial: Dial;
  readonly camera: Camera = createCamera();
  orbs: SimOrb[] = [];
  zoomingTo: SimOrb | null = null;
  /** Server ms; it ends `transition.duration` later. */
  private zoomStartedAt = 0;
  /** Server ms at which every orb was at its start angle. */
  private orbEpochMs = 0;

  constructor(
    private readonly state: SessionState,
    private readonly stations: readonly number[],
    frequency: number,
    nowMs: number,
  ) {
    this.dial = createDialState(frequency, stations, nowMs);
    this.state.dial.assign({ deceleration: DEFAULT_DIAL_PARAMS.deceleration, maxSpeed: DEFAULT_DIAL_PARAMS.maxSpeed });
    this.writeDial();
  }

  /** Written once: clients draw it from the formula. */
  swipe(swipe: Swipe, nowMs: number): number {
    const target = applySwipe(this.dial, swipe, this.stations, nowMs);
    this.writeDial();
    return target;
  }

  /** Changing nothing: the predicted station is warmed before the swipe applies. */
  swipeTarget(swipe: Swipe, nowMs: number): number {
    return predictStation(this.dialAt(nowMs), swipe, this.stations).target;
  }

  stationNearest(frequency: number): number {
    return nearestStation(this.stations, frequency);
  }

  tune(frequency: number, nowMs: number): number {
    const station = tuneTo(this.dial, frequency, this.stations, nowMs);
    this.writeDial();
    return station;
  }

  dialAt(nowMs: number): number {
    return dialPositionAt(this.dial, nowMs);
  }

  /** The dial rests and no zoom runs: the room need not be stepped. */
  get idle(): boolean {
    return this.dial.locked && this.camera.transition === null && this.zoomingTo === null;
  }

  /** Changing nothing: the camera path the client animates (to the orb where the client draws it at `atMs`), and the transition {@link startZoom} starts. */
  planZoom(orb: SimOrb, atMs: number) {
    const target: [number, number, number] = [0, 0, 0];
    orbitPositionAt(target, orb, Math.max(0, atMs - this.orbEpochMs) / 1000);
    const transition = startTransition(this.camera.position, target);
    return { transition, duration: transition.duration, cameraPath: keyframesToJSON(transition), audioCrossfade: AUDIO_CROSSFADE };
  }

  startZoom(orb: SimOrb, atMs: number, transition: CameraTransition): void {
    this.camera.transition = transition;
    this.zoomingTo = orb;
    this.zoomStartedAt = atMs;
    this.writeCamera();
  }

  showStation(station: StationRecord, nowMs: number): void {
    const s = this.state.station;
    s.frequency = station.artist.frequency ?? this.dial.target;
    s.artistId = station.artist.id;
    s.artistName = station.artist.name;
    s.genre = station.artist.genres.join(', ');
    s.era = station.artist.era;
    // Laid out when the catalog was built.
    this.orbs = station.orbs.map((record) => {
      ringOf(record.relationship); // an unknown relationship throws UNKNOWN_RELATIONSHIP
      const { id, radius, speed, inclination } = record;
      return { id, record, radius, speed, inclination, startAngle: wrapDegrees(record.startAngle) };
    });
    this.orbEpochMs = nowMs;
    this.rebuildOrbSchema();
  }

  /** The influence builder changed them since. */
  orbsChanged(station: StationRecord): boolean {
    const shown = this.orbs.map((o) => orbKey(o.record)).join(';');
    return station.orbs.map(orbKey).join(';') !== shown;
  }

  /** The state changes only when the glide settles or the zoom ends. */
  tick(nowMs: number): Readonly<TickOutcome> {
    let outcome: TickOutcome | undefined;
    if (settleDial(this.dial, nowMs) === 'locked_now') {
      this.writeDial();
      outcome = { lockedAt: this.dial.target };
    }
    // On the server clock, so a room stepped late (or deferred) ends the zoom on time.
    const zoom = this.camera.transition;
    if (zoom && stepCamera(this.camera, Math.max(0, (nowMs - this.zoomStartedAt) / 1000 - zoom.elapsed)) === 'done_now') {
      this.writeCamera();
      outcome = { ...outcome, zoomFinished: this.zoomingTo ?? undefined };
      this.zoomingTo = null;
    }
    return outcome ?? NOTHING;
  }

  /** null when nothing moves. */
  nextEventAt(): number | null {
    const zoom = this.camera.transition;
    const next = Math.min(this.dial.locked ? Infinity : this.dial.settlesAt, zoom ? this.zoomStartedAt + zoom.duration * 1000 : Infinity);
    return next === Infinity ? null : next;
  }

  /** A zoom in flight is not restored: its arrival already showed the station. */
  restoreCamera(position: readonly [number, number, number], fov: number): void {
    vec3.copy(this.camera.position, position);
    this.camera.fov = fov;
    this.writeCamera();
  }

  findOrb(orbId: string): SimOrb | undefined {
    return this.orbs.find((o) => o.id === orbId);
  }

  private writeDial(): void {
    const { from, velocity, locked, target, movedAt, settlesAt } = this.dial;
    this.state.dial.assign({ frequency: from, velocity, locked, predicted: target, movedAt, settlesAt });
  }

  private writeCamera(): void {
    const t = this.camera.transition;
    const [x, y, z] = this.camera.position;
    this.state.camera.assign({ x, y, z, fov: this.camera.fov, transitioning: t !== null, progress: t ? Math.min(1, t.elapsed / t.duration) : 0 });
  }

  /** Refilled, not replaced: a new map per lock was a tenth of a swipe's garbage. */
  private rebuildOrbSchema(): void {
    const map = this.state.orbs;
    map.clear();
    // Field by field, not assign(): every lock rebuilds the orbs, and assign() allocates an object per orb and stores by key.
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
    this.state.orbEpoch = this.orbEpochMs;
  }
}

/** A change in any of these is a new orb set. */
function orbKey(o: StationRecord['orbs'][number]): string {
  return [o.id, o.targetArtistId, o.relationship, o.radius, o.speed, o.startAngle, o.inclination].join('|');
}
