import { schema, t, type SchemaType } from '@colyseus/schema';


/** The station the dial is locked on (seed 000 step 2, trimmed to what a patch needs). */
export const StationState = schema(
  {
    frequency: t.float32().default(99.9),
    artistId: t.string().default(''),
    artistName: t.string().default(''),
    genre: t.string().default(''),
    era: t.string().default(''),
  },
  'StationState',
);
export type StationState = SchemaType<typeof StationState>;

/** The continuous dial: where it is, how fast it moves, where it will lock. */
export const DialState = schema(
  {
    frequency: t.float32().default(99.9),
    velocity: t.float32().default(0),
    locked: t.boolean().default(true),
    predicted: t.float32().default(99.9),
  },
  'DialState',
);
export type DialState = SchemaType<typeof DialState>;

/** One influence orb orbiting the current artist; angles in degrees. */
export const OrbState = schema(
  {
    artistId: t.string().default(''),
    name: t.string().default(''),
    relationship: t.string().default(''),
    radius: t.float32().default(0),
    speed: t.float32().default(0),
    angle: t.quantized({ min: 0, max: 360, mode: 'wrap', bits: 16 }),
    inclination: t.float32().default(0),
    // Orb positions live within ±400 on each axis; 16-bit quantisation gives ~0.012 units (inline: codegen reads literals).
    x: t.quantized({ min: -400, max: 400, bits: 16 }),
    y: t.quantized({ min: -400, max: 400, bits: 16 }),
    z: t.quantized({ min: -400, max: 400, bits: 16 }),
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
    camera: t.ref(CameraState).default(() => new CameraState()),
    totalStars: t.uint16().default(0),
    badges: t.array("string"),
    orbsExplored: t.uint16().default(0),
    interactions: t.uint32().default(0),
  },
  'SessionState',
);
export type SessionState = SchemaType<typeof SessionState>;
