import { schema, t, type SchemaType } from '@colyseus/schema';

/** The station the dial is locked on, trimmed to what a patch needs. */
export const StationState = schema(
  {
    frequency: t.float64().default(99.9),
    artistId: t.string().default(''),
    artistName: t.string().default(''),
    genre: t.string().default(''),
    era: t.string().default(''),
  },
  'StationState',
);
export type StationState = SchemaType<typeof StationState>;

/**
 * The dial. A swipe starts a glide that is never streamed: from `frequency` at server time `movedAt`
 * to the station `predicted`, settling at `settlesAt`, launched at `velocity` MHz/s and braking at
 * `deceleration` MHz/s² (speed cap `maxSpeed`); position(t) is the closed form of docs/PROTOCOL.md,
 * "The dial: motion on the server clock". Locked: `frequency` = `predicted` = the station.
 */
export const DialState = schema(
  {
    // float64: clients compute positions from these, and must get exactly the server's numbers.
    frequency: t.float64().default(99.9),
    velocity: t.float64().default(0),
    locked: t.boolean().default(true),
    predicted: t.float64().default(99.9),
    movedAt: t.float64().default(0),
    settlesAt: t.float64().default(0),
    deceleration: t.float64().default(12),
    maxSpeed: t.float64().default(24),
  },
  'DialState',
);
export type DialState = SchemaType<typeof DialState>;

/**
 * One influence orb orbiting the current artist; angles in degrees, speed in rad/s. The orb moves on
 * the server clock and is never streamed: angle(t) = startAngle + speed·(t − SessionState.orbEpoch)/1000
 * in radians shown as degrees (docs/PROTOCOL.md, "Orbs"); these fields change only with the station (float64: as the dial's).
 */
export const OrbState = schema(
  {
    artistId: t.string().default(''),
    name: t.string().default(''),
    relationship: t.string().default(''),
    radius: t.float64().default(0),
    speed: t.float64().default(0),
    startAngle: t.float64().default(0),
    inclination: t.float64().default(0),
  },
  'OrbState',
);
export type OrbState = SchemaType<typeof OrbState>;

/** The 3-D camera; `progress` runs 0→1 during an orb zoom. */
export const CameraState = schema(
  {
    x: t.float32().default(0),
    y: t.float32().default(0),
    z: t.float32().default(0),
    fov: t.float32().default(60),
    transitioning: t.boolean().default(false),
    progress: t.float32().default(0),
  },
  'CameraState',
);
export type CameraState = SchemaType<typeof CameraState>;

/** Everything one session streams to its client as binary patches. */
export const SessionState = schema(
  {
    station: t.ref(StationState).default(() => new StationState()),
    dial: t.ref(DialState).default(() => new DialState()),
    orbs: t.map(OrbState),
    /** Server time (ms since epoch) at which every orb was at its startAngle. */
    orbEpoch: t.float64().default(0),
    camera: t.ref(CameraState).default(() => new CameraState()),
    totalStars: t.uint16().default(0),
    badges: t.array('string'),
    orbsExplored: t.uint16().default(0),
    interactions: t.uint32().default(0),
  },
  'SessionState',
);
export type SessionState = SchemaType<typeof SessionState>;
