import { z } from 'zod';
import type { StationService } from '../../features/catalog/StationService.js';
import { presentStation } from './catalogStationView.js';
import type { ReadEventLog } from './passportRoutes.js';
import { adminGate, type AdminGate, type RequestAuth } from './authGates.js';
import { found } from './errors.js';
import { mount, reply, routeOf, type Route } from './route.js';
import { hapticPatternSchema } from '../../systems/catalog/catalogRules.js';
import { vec3Schema } from '../../systems/shapes.js';
import { cacheHints, CACHE_HINTS_HEADER } from '../../systems/catalog/cacheHints.js';

/** A frequency in MHz, 87.5–108.0 with at most one decimal, e.g. `99.9`. */
const frequency = z
  .string()
  .regex(/^\d{2,3}(\.\d)?$/, 'must be a number in MHz between 87.5 and 108.0 with at most one decimal, e.g. 99.9')
  .transform(Number)
  .refine((mhz) => mhz >= 87.5 && mhz <= 108, 'must be a number in MHz between 87.5 and 108.0 with at most one decimal, e.g. 99.9')
  .transform((mhz) => Math.round(mhz * 10) / 10);

export const stationListSchema = z
  .object({ stations: z.array(z.object({ frequency: z.number(), artistId: z.string() }).meta({ title: 'StationListing' })) })
  .meta({ title: 'StationList' });

/** {@link presentStation}, snake_case. */
export const stationSnapshotSchema = z
  .object({
    artist: z.looseObject({ id: z.string(), name: z.string(), station: z.number().nullable(), genres: z.array(z.string()) }),
    scene: z.looseObject({ id: z.string(), name: z.string(), scene_type: z.string(), video_tier: z.string(), video_url: z.string().nullable().optional() }),
    influence_orbs: z.array(
      z.looseObject({
        id: z.string(),
        artist_id: z.string(),
        artist_name: z.string(),
        position: vec3Schema,
        orbit_radius: z.number(),
        orbit_speed: z.number(),
        angle: z.number(),
      }),
    ),
    haptic_config: z.object({ lock_pattern: hapticPatternSchema }),
    preload_adjacent: z.array(z.object({ frequency: z.number(), artist_id: z.string() })),
  })
  .meta({ title: 'StationSnapshot' });

interface CatalogRouteDeps {
  stations: StationService;
  auth: RequestAuth;
  admin: AdminGate;
  /** Each station served is logged (`station.loaded`). */
  logRead?: ReadEventLog;
}
const route = routeOf<CatalogRouteDeps>('catalog');

export const CATALOG_ROUTES = [
  route('GET /api/stations', {
    operationId: 'listStations',
    summary: 'Every station on the dial (frequency, artist).',
    auth: 'none',
    responses: { 200: { description: 'Every station, by frequency.', schema: stationListSchema } },
    handler: async (_ctx, { stations }) => ({ stations: await stations.listStations() }),
  }),
  route('GET /api/stations/{frequency}', {
    operationId: 'stationAt',
    summary:
      'The station at a frequency (87.5–108.0 MHz, one decimal): artist, scene for `device_model`, orbs, haptics and neighbours, all the dial needs to show and play it.',
    description: 'A valid access token attributes the `station.loaded` event to its user; a bad one is ignored.',
    auth: 'optional-user',
    params: z.object({ frequency }),
    query: z.object({ device_model: z.string().max(64).optional().meta({ description: 'The device model (at most 64 characters): picks the video tier.' }) }),
    responses: {
      200: {
        description: 'The station snapshot (snake_case, as the mobile clients read it).',
        schema: stationSnapshotSchema,
        headers: {
          'X-Cache-Hints': {
            description:
              'The stations to prefetch, so the dial keeps working offline (dial neighbours and orb destinations, ascending) and how long the copies stay good, in seconds.',
            example: 'preload:94.9,98.9,100.9,102.7; max-age=86400',
          },
        },
      },
    },
    errors: ['NOT_FOUND'],
    handler: async ({ params, query, caller }, { stations, logRead }) => {
      const station = found(await stations.stationAt(params.frequency), `no station at ${params.frequency.toFixed(1)} MHz; GET /api/stations lists the dial`);
      const { id: artistId, frequency } = station.artist;
      logRead?.({ type: 'station.loaded', entityType: 'artist', entityId: artistId, payload: { artistId, frequency, method: 'http' } }, caller);
      const preload = [station.adjacent.below?.frequency, station.adjacent.above?.frequency, ...station.orbs.map((o) => o.targetFrequency)];
      return reply(200, presentStation(station, query.device_model), { [CACHE_HINTS_HEADER]: cacheHints(station.artist.frequency, preload) });
    },
  }),
  route('POST /api/admin/catalog/invalidate', {
    operationId: 'invalidateCatalog',
    tag: 'ops',
    summary: 'Drop every process’s cached stations after a catalog change.',
    auth: 'admin',
    responses: { 200: { description: '`{ invalidated: true }`.', schema: z.object({ invalidated: z.literal(true) }).meta({ title: 'CatalogInvalidated' }) } },
    handler: async (_ctx, { stations }) => {
      await stations.invalidate(); // every process sharing the cache drops its snapshots and station list
      return { invalidated: true as const };
    },
  }),
];

export const catalogRoutes = (stations: StationService, auth: RequestAuth, adminToken?: string, logRead?: ReadEventLog): Route[] =>
  mount(CATALOG_ROUTES, { stations, auth, admin: adminGate(adminToken), logRead });
