import type { Server } from '@colyseus/core';
import type { Config } from '../config/config.js';
import type { Logger } from '../logger.js';
import type { Lifecycle } from '../lifecycle.js';
import type { Metrics } from '../metrics.js';
import type { HttpMetrics } from '../http/httpMetrics.js';
import type { Route } from '../http/route.js';
import type { RawBodyRoute } from '../http/edge.js';
import type { RequestAuth } from '../http/authGates.js';
import type { Orm } from '../../persistence/orm.js';
import type { Sql } from '../../persistence/db.js';
import type { Backplane } from '../../persistence/backplane/Backplane.js';
import type { JobDefinition } from '../../features/jobs/JobScheduler.js';
import type { AccessTokens } from '../../features/auth/tokens.js';
import type { VerifiedTokens } from '../../features/auth/KnownDevices.js';
import type { AuthLimits } from '../../features/limits/authLimits.js';
import type { ResumeCredentials } from '../../features/handoff/ResumeCredentials.js';
import type { DeviceRevocations } from '../../features/auth/DeviceRevocations.js';

/** What every feature's wiring may use: the process's shared components, built once by the foundation. */
export interface WireContext {
  config: Config;
  log: Logger;
  /** Register stops here; they run in reverse order at shutdown. */
  life: Lifecycle;
  /** Epoch ms the boot began. */
  startedAt: number;
  databaseUrl: string;
  orm: Orm;
  sql: Sql;
  /** Local or Redis, chosen once: everything shared between processes is built from it. */
  backplane: Backplane;
  metrics: Metrics;
  httpMetrics: HttpMetrics;
  tokens: AccessTokens;
  /** Access tokens verified and their device known to exist: what every request and join is checked with. */
  identities: VerifiedTokens;
  /** Resume credentials of sessions that move or are restored (signed with the access tokens' secret, another audience). */
  resumeCredentials: ResumeCredentials;
  /** Who calls an HTTP route: a user's access token or the admin token. */
  auth: RequestAuth;
  /** Sign-up, sign-in, link, refresh and wrong-admin-token limits per address, secret or user. */
  authLimits: AuthLimits;
  /** Revoked devices, told to every process (their cached validity dropped, their live rooms closed). */
  deviceRevocations: DeviceRevocations;
}

/** What a feature hands the composition root besides the services other features use. */
export interface FeatureParts {
  routes: Route[];
  /** Routes whose body the edge passes through unparsed (uploads). */
  rawBodyRoutes?: RawBodyRoute[];
  /** Scheduled jobs, registered with the one scheduler before it starts. */
  jobs?: JobDefinition[];
  /** Work started once the server listens and the scheduler runs (never delays readiness). */
  start?(): void;
}

/** A room type a feature adds to the Colyseus server before it listens. */
export interface RoomDefinition {
  name: string;
  define(server: Server): void;
}
