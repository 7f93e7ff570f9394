import { z } from 'zod';
import type { StationService } from '../../features/catalog/StationService.js';
import { json, NotFoundError, ValidationError, type Route } from './router.js';
import { presentStation } from './catalogStationView.js';
import { hasAdminBearer } from '../../features/auth/adminToken.js';
import { AppError } from '../../systems/errors.js';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { buildEvents } from '../../systems/passport/index.js';
import type { StationRecord } from '../../persistence/catalog/CatalogRepository.js';
import type { PassportWriter } from '../../features/passport/PassportWriter.js';
import type { RequestAuth } from './authGates.js';
import { declareRoutes, mountRoutes } from './declare.js';
import { hapticPatternSchema } from '../../rooms/session/replies.js';
import { cacheHints, CACHE_HINTS_HEADER } from '../../systems/catalog/cacheHints.js';

/** Called when a station snapshot was served over HTTP (seed 2.10 `station_load`). */
export type StationServed = (station: StationRecord, request: Request) => void;

/**
 * Seed 2.10 "Log Analytics Event: station_load" for the public station route: a `station.loaded`
 * event queued on the writer's batch, the caller's user and device when a valid access token came
 * with the request (anonymous otherwise: the route needs none). When the log is full the event is
 * not taken (the writer counts the refusal) and the snapshot is served anyway.
 */
export function stationLoadLogger(writer: Pick<PassportWriter, 'enqueue'>, log: Logger, auth?: Pick<RequestAuth, 'requireUser'>): StationServed {
  const enqueue = (station: StationRecord, ids: { userId?: string; deviceId?: string }) => {
    try {
      const payload = { artistId: station.artist.id, frequency: station.artist.frequency, method: 'http' as const };
      writer.enqueue(
        buildEvents(
          [{ type: 'station.loaded', entityType: 'artist', entityId: station.artist.id, payload }],
          { ...ids, source: 'http' },
          Date.now(),
          randomUUID,
        ),
        { followUp: true },
      );
    } catch (err) {
      log.debug({ err: (err as Error).message }, 'station.loaded not queued');
    }
  };
  return (station, request) => {
    if (!auth || !request.headers.get('authorization')) return enqueue(station, {});
    void auth.requireUser(request).then(
      (caller) => enqueue(station, caller.kind === 'user' ? { userId: caller.userId, deviceId: caller.deviceId } : {}),
      () => enqueue(station, {}), // a bad token does not stop a public read, nor its count
    );
  };
}

const FREQUENCY = /^\d{2,3}(\.\d)?$/;

/** Parses a path frequency like `99.9`; the band is 87.5–108.0 MHz. */
export function parseFrequency(raw: string): number {
  const value = Number(raw);
  if (!FREQUENCY.test(raw) || !Number.isFinite(value) || value < 87.5 || value > 108) {
    throw new ValidationError('frequency must be a number in MHz between 87.5 and 108.0 with at most one decimal, e.g. 99.9', [
      { field: 'frequency', message: `"${raw}" is not a frequency in 87.5–108.0 with one decimal` },
    ]);
  }
  return Math.round(value * 10) / 10;
}

const named = <T extends z.ZodType>(schema: T, title: string): T => schema.meta({ title });

/** `GET /api/stations` 200. */
export const stationListSchema = named(
  z.object({ stations: z.array(named(z.object({ frequency: z.number(), artistId: z.string() }), 'StationListing')) }),
  'StationList',
);

/** `GET /api/stations/{frequency}` 200: {@link presentStation}, snake_case as seed 000 step 2. */
export const stationSnapshotSchema = named(
  z.object({
    artist: z.looseObject({ id: z.string(), name: z.string(), station: z.number().nullable(), genres: z.array(z.string()) }),
    scene: z.looseObject({ id: z.string(), name: z.string(), scene_type: z.string(), video_tier: z.string(), video_url: z.string().nullable().optional() }),
    influence_orbs: z.array(
      z.looseObject({
        id: z.string(),
        artist_id: z.string(),
        artist_name: z.string(),
        position: z.object({ x: z.number(), y: z.number(), z: z.number() }),
        orbit_radius: z.number(),
        orbit_speed: z.number(),
        angle: z.number(),
      }),
    ),
    haptic_config: z.object({ lock_pattern: hapticPatternSchema }),
    preload_adjacent: z.array(z.object({ frequency: z.number(), artist_id: z.string() })),
  }),
  'StationSnapshot',
);

interface CatalogRouteDeps {
  stations: StationService;
  adminToken?: string;
  served?: StationServed;
}

/** Station reads (public) and the admin's cache invalidation after a catalog change. */
export const CATALOG_ROUTES = declareRoutes<CatalogRouteDeps>()([
  {
    operationId: 'listStations',
    method: 'GET',
    path: '/api/stations',
    tag: 'catalog',
    summary: 'Every station on the dial (frequency, artist).',
    auth: 'none',
    responses: { 200: { description: 'Every station, by frequency.', title: 'StationList', schema: stationListSchema } },
    handler: async (_ctx, { stations }) => json({ stations: await stations.listStations() }),
  },
  {
    operationId: 'stationAt',
    method: 'GET',
    path: '/api/stations/{frequency}',
    tag: 'catalog',
    summary: 'The station at a frequency (87.5–108.0 MHz, one decimal): artist, scene for `device_model`, orbs, haptics, neighbours (seed 000 step 2).',
    description:
      'Query `device_model` (at most 64 characters) picks the video tier. A valid access token attributes the `station.loaded` event to its user; a bad one is ignored.',
    auth: 'optional-user',
    responses: {
      200: {
        description: 'The station snapshot (snake_case, as seed 000 step 2).',
        title: 'StationSnapshot',
        schema: stationSnapshotSchema,
        headers: {
          'X-Cache-Hints': {
            description:
              'Seed 000 step 15.1: the stations to prefetch for offline use (dial neighbours and orb destinations, ascending) and how long the copies stay good, in seconds.',
            example: 'preload:94.9,98.9,100.9,102.7; max-age=86400',
          },
        },
      },
    },
    errors: ['VALIDATION_FAILED', 'NOT_FOUND'],
    handler: async ({ params, query, request }, { stations, served }) => {
      const frequency = parseFrequency(params.frequency);
      const deviceModel = query.get('device_model') ?? undefined;
      if (deviceModel !== undefined && deviceModel.length > 64) {
        throw new ValidationError('device_model is too long', [{ field: 'device_model', message: 'at most 64 characters' }]);
      }
      const station = await stations.stationAt(frequency);
      if (!station) throw new NotFoundError(`no station at ${frequency.toFixed(1)} MHz; GET /api/stations lists the dial`);
      served?.(station, request);
      const preload = [station.adjacent.below?.frequency, station.adjacent.above?.frequency, ...station.orbs.map((o) => o.targetFrequency)];
      return json(presentStation(station, deviceModel), 200, { [CACHE_HINTS_HEADER]: cacheHints(station.artist.frequency, preload) });
    },
  },
  {
    operationId: 'invalidateCatalog',
    method: 'POST',
    path: '/api/admin/catalog/invalidate',
    tag: 'ops',
    summary: 'Drop every process’s cached stations after a catalog change.',
    auth: 'admin',
    responses: {
      200: {
        description: '`{ invalidated: true }`.',
        title: 'CatalogInvalidated',
        schema: named(z.object({ invalidated: z.literal(true) }), 'CatalogInvalidated'),
      },
    },
    handler: async ({ request }, { stations, adminToken }) => {
      if (!adminToken || !hasAdminBearer(request, adminToken))
        throw new AppError('UNAUTHORIZED', 'send Authorization: Bearer <ADMIN_TOKEN> (admin surfaces are off without ADMIN_TOKEN)');
      await stations.invalidate(); // every process sharing the cache drops its snapshots and station list
      return json({ invalidated: true });
    },
  },
]);

/** The catalog routes, served. */
export function catalogRoutes(stations: StationService, adminToken?: string, served?: StationServed): Route[] {
  return mountRoutes(CATALOG_ROUTES, { stations, adminToken, served });
}
