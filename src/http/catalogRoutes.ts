import type { StationService } from '../../persistence/catalog/StationService.js';
import { json, NotFoundError, ValidationError, type Route } from './router.js';
import { presentStation } from './stationView.js';
import { hasAdminBearer } from '../ops/auth.js';
import { AppError } from '../../systems/errors.js';

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

/** Station reads (public) and the admin's cache invalidation after a catalog change. */
export function catalogRoutes(stations: StationService, adminToken?: string): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/admin/catalog/invalidate',
      handler: async ({ request }) => {
        if (!adminToken || !hasAdminBearer(request, adminToken)) throw new AppError('UNAUTHORIZED', 'send Authorization: Bearer <ADMIN_TOKEN> (admin surfaces are off without ADMIN_TOKEN)');
        await stations.invalidate(); // every process sharing the cache drops its snapshots and station list
        return json({ invalidated: true });
      },
    },
    {
      method: 'GET',
      path: '/api/stations/:frequency',
      handler: async ({ params, query }) => {
        const frequency = parseFrequency(params.frequency);
        const deviceModel = query.get('device_model') ?? undefined;
        if (deviceModel !== undefined && deviceModel.length > 64) {
          throw new ValidationError('device_model is too long', [{ field: 'device_model', message: 'at most 64 characters' }]);
        }
        const station = await stations.stationAt(frequency);
        if (!station) throw new NotFoundError(`no station at ${frequency.toFixed(1)} MHz; GET /api/stations lists the dial`);
        return json(presentStation(station, deviceModel));
      },
    },
    {
      method: 'GET',
      path: '/api/stations',
      handler: async () => json({ stations: await stations.listStations() }),
    },
  ];
}
