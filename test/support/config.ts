import { loadConfig, type Config } from '../../src/config/config.js';
import { IngestLimits } from '../../features/limits/ingestLimits.js';
import { LocalBackplane } from '../../persistence/backplane/LocalBackplane.js';

/**
 * The server's defaults, as a process with no environment would run: components take every option
 * explicitly, and tests spell out only what they change (`{ ...defaults.passport, flushIntervalMs: 5 }`).
 */
export const defaults = loadConfig({});

/** Writer options as the config would give them with `overrides` (maxLagMs follows flushIntervalMs by the config's own rule). */
export function writerOptions(overrides: Partial<Config['passport']> = {}): Config['passport'] {
  const flushMs = overrides.flushIntervalMs ?? defaults.passport.flushIntervalMs;
  return { ...loadConfig({ PASSPORT_FLUSH_MS: String(flushMs) }).passport, ...overrides };
}

/** Ingest limits no test reaches, on a backplane of its own (tests of the limits build their own). */
export function raisedIngestLimits(): IngestLimits {
  return new IngestLimits(new LocalBackplane('test:'), { eventsPerUserPerSecond: 1e9, entityEventsPerUserPerHour: 1e9, attendancesPerEventPerDay: 1e9 });
}
