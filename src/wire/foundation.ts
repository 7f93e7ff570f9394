import type { Config } from '../config/config.js';
import type { Logger } from '../logger.js';
import type { Lifecycle } from '../lifecycle.js';
import { startDatabase } from '../database.js';
import { createMetrics } from '../metrics.js';
import { createHttpMetrics } from '../http/httpMetrics.js';
import { requestAuth } from '../http/authGates.js';
import { resolveAuthSecret } from '../auth/secretFile.js';
import { ResumeCredentials } from '../../features/handoff/ResumeCredentials.js';
import { AccessTokens } from '../../features/auth/tokens.js';
import { VerifiedTokens } from '../../features/auth/KnownDevices.js';
import { DeviceRepository } from '../../persistence/auth/DeviceRepository.js';
import { authLimits } from '../../features/limits/authLimits.js';
import { DeviceRevocations } from '../../features/auth/DeviceRevocations.js';
import { createOrm, migrate } from '../../persistence/orm.js';
import { withBootLock } from '../../persistence/bootLock.js';
import { configureSql, sqlFor } from '../../persistence/db.js';
import { createBackplane } from '../../persistence/backplane/createBackplane.js';
import { CatalogRepository } from '../../persistence/catalog/CatalogRepository.js';
import { ensureDemoTracks } from '../../persistence/gravity/demoTracks.js';

/**
 * What every feature stands on: identity keys, the database (embedded when no DATABASE_URL), the ORM and
 * hand-written SQL, the schema and demo data (once, whichever process boots first), the backplane and
 * the metrics registry.
 */
export async function wireFoundation(config: Config, log: Logger, life: Lifecycle) {
  const startedAt = Date.now();
  // Identity first: a bad key file stops the boot before anything starts.
  const secret = resolveAuthSecret(config.auth, log);
  const tokens = new AccessTokens(secret, config.auth.accessTtlSec);
  const resumeCredentials = new ResumeCredentials(secret, config.handoff.credentialTtlSec);
  const db = await startDatabase(config, log);
  life.add('database', () => db.stop());
  life.onDraining(() => db.draining());
  const orm = await createOrm({ url: db.url, poolMax: config.dbPoolMax });
  life.add('orm', () => orm.close());
  configureSql(orm, {
    maxPrepared: config.dbPreparedStatements,
    onInlined: (statement, err) =>
      log.warn(
        { err: (err as Error).message, statement: statement.slice(0, 200) },
        'statement runs inlined: Postgres could not type one of its parameters as a prepared statement (add a cast)',
      ),
  });
  const sql = sqlFor(orm);
  await withBootLock(db.url, async () => {
    const applied = await migrate(orm);
    if (applied.length) log.info({ applied }, 'migrations applied');
    const seeded = await new CatalogRepository(orm).ensureDemoCatalog();
    if (seeded.loaded) log.info(seeded, 'demo catalog loaded');
    const tracks = await ensureDemoTracks(sql);
    if (tracks) log.info({ tracks }, 'demo tracks loaded');
  });
  const backplane = createBackplane({ redisUrl: config.redisUrl, prefix: config.redisPrefix, log: log.child({ component: 'redis' }) });
  life.add('backplane', () => backplane.close());
  const metrics = createMetrics();
  const identities = new VerifiedTokens(tokens, new DeviceRepository(orm), {
    cacheEntries: config.auth.deviceCacheEntries,
    cacheTtlMs: config.auth.deviceCacheTtlMs,
  });
  life.add('metrics', () => metrics.close());
  const deviceRevocations = new DeviceRevocations(backplane, log.child({ component: 'device-revocations' }));
  deviceRevocations.onRevoked((deviceId) => identities.forget(deviceId));
  await deviceRevocations.start();
  life.add('device-revocations', () => deviceRevocations.stop());
  return {
    config,
    log,
    /** Register stops here; they run in reverse order at shutdown. */
    life,
    /** Epoch ms the boot began. */
    startedAt,
    databaseUrl: db.url,
    orm,
    sql,
    /** Local or Redis, chosen once: everything shared between processes is built from it. */
    backplane,
    metrics,
    httpMetrics: createHttpMetrics(metrics.registry),
    tokens,
    /** Access tokens verified and their device known to exist: what every request and join is checked with. */
    identities,
    /** Signed with the access tokens' secret, another audience. */
    resumeCredentials,
    /** Who calls an HTTP route: a user's access token or the admin token. */
    auth: requestAuth(identities, config.adminToken),
    authLimits: authLimits(backplane, config.limits),
    /** Told to every process: their cached validity dropped, their live rooms closed. */
    deviceRevocations,
  };
}
