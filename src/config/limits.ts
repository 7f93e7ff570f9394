/**
 * What one client may do: abuse limits at the HTTP edge and bounds on client-claimed events that feed public boards. Counted on the backplane.
 * Loopback gets no exemption: tests and the load test raise these through the server's environment.
 */
import { ConfigError } from '../errors.js';
import { bool, int, type Env } from './parse.js';

/** The load test plays from one address (thousands of bots): `npm start` sets DEV_RAISED_LIMITS; NODE_ENV=production refuses it. */
const RAISED = { perAddress: 10_000_000, perUserRooms: 100_000, perUserPerSecond: 1_000_000 } as const;

/** DEV_RAISED_LIMITS, refused where the server runs for real (the production image sets NODE_ENV=production). @group limits */
function devRaisedLimits(env: Env): boolean {
  /**
   * development only: the limits the load test meets default to values no test reaches (a limit's own variable still wins); refused with `NODE_ENV=production`
   * @default `false` (npm start: `true`)
   */
  const raised = bool(env, 'DEV_RAISED_LIMITS', false);
  if (raised && env.NODE_ENV === 'production') {
    throw new ConfigError(
      'DEV_RAISED_LIMITS',
      "raises the abuse limits for the load-test harness and is refused with NODE_ENV=production. Unset it; to raise one limit in production, set that limit's own variable.",
    );
  }
  return raised;
}

/** @group limits */
export function limitsConfig(env: Env) {
  const raised = devRaisedLimits(env);
  const unlessRaised = (fallback: number, harness: number): number => (raised ? harness : fallback);
  return {
    devRaisedLimits: raised,
    limits: {
      /** new users `POST /api/auth/device` may create per client address per hour; more get 429 `RATE_LIMITED` (existing devices still sign in) */
      signupsPerAddressPerHour: int(env, 'AUTH_SIGNUPS_PER_ADDRESS_PER_HOUR', unlessRaised(30, RAISED.perAddress), 1, 10_000_000),
      /** sign-ins per device secret per minute (429 beyond) */
      signinsPerSecretPerMinute: int(env, 'AUTH_SIGNINS_PER_SECRET_PER_MINUTE', unlessRaised(20, RAISED.perAddress), 1, 10_000_000),
      /** live devices one user may have (signed in or refreshed within `AUTH_REFRESH_TTL_DAYS`); linking one more is 409 `DEVICE_LIMIT` */
      devicesPerUser: int(env, 'AUTH_DEVICES_PER_USER', 10, 1, 10_000),
      /** new devices linked to one user per minute (429 `RATE_LIMITED` with Retry-After beyond); sign-ins of devices already linked do not count */
      linksPerUserPerMinute: int(env, 'AUTH_LINKS_PER_USER_PER_MINUTE', 5, 1, 10_000_000),
      /** live sessions one user may hold at once, by session id on the backplane (a resume counts once); one more is refused at the join (4429) */
      liveSessionsPerUser: int(env, 'LIVE_SESSIONS_PER_USER', 5, 1, 100_000),
      /** live sessions one device may hold at once (4429 `LIVE_SESSIONS_LIMIT` beyond) */
      liveSessionsPerDevice: int(env, 'LIVE_SESSIONS_PER_DEVICE', 3, 1, 100_000),
      /** live `session` rooms one user may hold, counted before the join touches the session (4429 beyond); a left room keeps its seat a while */
      liveRoomsPerUser: int(env, 'LIVE_ROOMS_PER_USER', unlessRaised(10, RAISED.perUserRooms), 1, 100_000),
      /** a live session's claim lapses this long after its process last refreshed it (every third of it), so a crashed process's sessions stop counting */
      liveSessionsTtlSec: int(env, 'LIVE_SESSIONS_TTL_SEC', 120, 3, 3600),
      /** `POST /api/auth/refresh` calls per client address per minute (429 beyond) */
      refreshesPerAddressPerMinute: int(env, 'AUTH_REFRESHES_PER_ADDRESS_PER_MINUTE', unlessRaised(120, RAISED.perAddress), 1, 10_000_000),
      /** wrong admin tokens per client address per minute; past it a wrong token gets 429 instead of 401 (the right one always passes) */
      adminFailuresPerAddressPerMinute: int(env, 'ADMIN_FAILURES_PER_ADDRESS_PER_MINUTE', 10, 1, 10_000_000),
      /** `POST /matchmake/*` requests (refused ones too) per client address per minute; more get 429 before any token check or room work */
      matchmakesPerAddressPerMinute: int(env, 'MATCHMAKES_PER_ADDRESS_PER_MINUTE', unlessRaised(120, RAISED.perAddress), 1, 10_000_000),
      /** client-claimed passport events of one type per user per second over HTTP ingest; a batch that would pass it is refused whole with 429 */
      eventsPerUserPerSecond: int(env, 'INGEST_EVENTS_PER_USER_PER_SECOND', unlessRaised(30, RAISED.perUserPerSecond), 1, 1_000_000),
      /** client-claimed events of one type about one board entity per user per hour: what one user can add to one row of a public board */
      entityEventsPerUserPerHour: int(env, 'INGEST_ENTITY_EVENTS_PER_USER_PER_HOUR', unlessRaised(60, RAISED.perAddress), 1, 10_000_000),
      /** `concierto.event_attended` one user may claim per concierto event per day */
      attendancesPerEventPerDay: int(env, 'INGEST_ATTENDANCES_PER_EVENT_PER_DAY', 1, 1, 1000),
    },
    concierto: {
      /** what one vote adds to a concierto board (server policy; clients cannot set a weight) */
      voteWeight: int(env, 'CONCIERTO_VOTE_WEIGHT', 1, 1, 100),
      /** a vote held against a device before it signs up is dropped unless that device signs up within this many hours */
      heldVoteTtlHours: int(env, 'CONCIERTO_HELD_VOTE_TTL_HOURS', 168, 1, 24 * 30),
      /** votes held per client address per hour before `RATE_LIMITED` (no account stands behind a held vote yet; counted like sign-ups) */
      heldVotesPerAddressPerHour: int(env, 'CONCIERTO_HELD_VOTES_PER_ADDRESS_PER_HOUR', unlessRaised(30, RAISED.perAddress), 1, 10_000_000),
    },
  };
}
