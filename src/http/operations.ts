/**
 * Every declared HTTP operation, which contract/ collects into the OpenAPI document; routeCoverage.test.ts fails while a
 * served route is missing here.
 */
import type { HttpOperation } from '../../systems/httpContract.js';
import { operationOf, type AnyDeclaration } from './route.js';
import { AUTH_ROUTES } from './authRoutes.js';
import { CATALOG_ROUTES } from './catalogRoutes.js';
import { ASSET_ROUTES } from './assetsRoutes.js';
import { ASSET_REVIEW_ROUTES } from './assetsReviewRoutes.js';
import { PASSPORT_ROUTES } from './passportRoutes.js';
import { GRAVITY_EVENT_ROUTES, GRAVITY_ROUTES } from './gravityRoutes.js';
import { DISCOVERY_ROUTES } from './discoveryRoutes.js';
import { JOURNAL_ROUTES } from './journalRoutes.js';
import { NOTIFICATION_ROUTES } from './notificationsRoutes.js';
import { LEADERBOARD_ROUTES } from './leaderboardRoutes.js';
import { CONCIERTO_ROUTES } from './conciertoRoutes.js';
import { MEDIAID_ROUTES } from './mediaidRoutes.js';
import { HEALTH_ROUTES } from './healthRoutes.js';
import { REPORT_ROUTES } from './reportsRoutes.js';
import { OPS_ROUTES } from './opsRoutes.js';
import { MONITOR_SESSION_ROUTES } from './opsMonitorRoutes.js';
import { ANALYTICS_ROUTES } from './analyticsRoutes.js';
import { METRICS_ROUTES } from './metricsRoutes.js';
import { DIA_DNA_ROUTES } from './mediaidOpsRoutes.js';
import { JOB_ROUTES } from './jobsRoutes.js';
import { CUSTOM_LEADERBOARD_ROUTES, LEADERBOARD_OPS_ROUTES } from './leaderboardOpsRoutes.js';
import { PROCESSOR_OPS_ROUTES } from './processorOpsRoutes.js';
import { PAYMENT_ROUTES } from './paymentsRoutes.js';
import { LINK_ROUTES } from './linksRoutes.js';
import { FRIEND_ROUTES } from './friendsRoutes.js';
import { RIDE_ROUTES } from './rideRoutes.js';

/** The declarations, in document order. */
export const ROUTE_DECLARATIONS: ReadonlyArray<readonly AnyDeclaration[]> = [
  AUTH_ROUTES,
  CATALOG_ROUTES,
  ASSET_ROUTES,
  ASSET_REVIEW_ROUTES,
  PASSPORT_ROUTES,
  GRAVITY_EVENT_ROUTES,
  GRAVITY_ROUTES,
  DISCOVERY_ROUTES,
  JOURNAL_ROUTES,
  NOTIFICATION_ROUTES,
  LEADERBOARD_ROUTES,
  CONCIERTO_ROUTES,
  MEDIAID_ROUTES,
  HEALTH_ROUTES,
  REPORT_ROUTES,
  OPS_ROUTES,
  ANALYTICS_ROUTES,
  METRICS_ROUTES,
  DIA_DNA_ROUTES,
  MONITOR_SESSION_ROUTES,
  JOB_ROUTES,
  LEADERBOARD_OPS_ROUTES,
  CUSTOM_LEADERBOARD_ROUTES,
  PROCESSOR_OPS_ROUTES,
  PAYMENT_ROUTES,
  LINK_ROUTES,
  FRIEND_ROUTES,
  RIDE_ROUTES,
];

/** The operations of some declarations (all of them by default), handlers left out. */
export const operationsOf = (declarations: ReadonlyArray<readonly AnyDeclaration[]> = ROUTE_DECLARATIONS): HttpOperation[] =>
  declarations.flatMap((list) => list.map(operationOf));
