/**
 * What one client may do: abuse limits at the HTTP edge (per address, per device secret) and the bounds on
 * client-claimed passport events that feed public boards (per user). Counted on the backplane, so with Redis
 * every process shares the counts. Loopback addresses get no exemption: tests and the load-test harness raise
 * these through the server's environment. Each variable has a row in docs/CONFIG.md.
 */
import { ConfigError } from '../errors.js';
import { bool, int, type Env } from './parse.js';

/**
 * A limit's default where it protects people, and where the load-test harness plays from one address (thousands of
 * bots signed up and matchmaking at once, rejoining under churn): `npm start` sets DEV_RAISED_LIMITS so the
 * README's load test works against a laptop's server; NODE_ENV=production refuses the flag.
 */
const RAISED = { perAddress: 10_000_000, perUserRooms: 100_000, perUserPerSecond: 1_000_000 } as const;

/** DEV_RAISED_LIMITS, refused where the server runs for real (the production image sets NODE_ENV=production). @group limits */
function devRaisedLimits(env: Env): boolean {
  /**
   * development only: the per-address and per-user limits below that the load-test harness meets (sign-ups, sign-ins, refreshes, matchmakes, live rooms per
   * user, ingest per user) default to values no test reaches, so `npm run loadtest` works against a laptop's server; a limit's own variable still wins. `npm
   * start` sets it (`DEV_RAISED_LIMITS=false npm start` keeps the real limits); with `NODE_ENV=production` (the production image) the server refuses to start
   * with it
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
      /**
       * new users `POST /api/auth/device` may create per client address per hour; more get 429 `RATE_LIMITED` with Retry-After (existing devices still sign
       * in)
       */
      signupsPerAddressPerHour: int(env, 'AUTH_SIGNUPS_PER_ADDRESS_PER_HOUR', unlessRaised(30, RAISED.perAddress), 1, 10_000_000),
      /** sign-ins per device secret per minute (429 beyond) */
      signinsPerSecretPerMinute: int(env, 'AUTH_SIGNINS_PER_SECRET_PER_MINUTE', unlessRaised(20, RAISED.perAddress), 1, 10_000_000),
      /**
       * live devices one user may have (a device is live once it signed in or refreshed within `AUTH_REFRESH_TTL_DAYS`: one unused that long stops counting);
       * linking one more (`POST /api/auth/device` with a Bearer token and a new secret) is 409 `DEVICE_LIMIT`. Counted under a lock of the user's row:
       * concurrent links never pass it together
       */
      // A person has a phone, a tablet, a laptop or two; a script linking fresh secrets has hundreds.
      devicesPerUser: int(env, 'AUTH_DEVICES_PER_USER', 10, 1, 10_000),
      /** new devices linked to one user per minute (429 `RATE_LIMITED` with Retry-After beyond); sign-ins of devices already linked do not count */
      linksPerUserPerMinute: int(env, 'AUTH_LINKS_PER_USER_PER_MINUTE', 5, 1, 10_000_000),
      /**
       * live sessions one user may hold at once, counted by session id on the backplane (every process with Redis), so a resume or a handoff of the same
       * session counts once. One more is refused at the join (the SDK's join rejects with code 4429, message `LIVE_SESSIONS_LIMIT: …`)
       */
      // A listener has one session per device; a few devices at once is already unusual.
      liveSessionsPerUser: int(env, 'LIVE_SESSIONS_PER_USER', 5, 1, 100_000),
      /** live sessions one device may hold at once (4429 `LIVE_SESSIONS_LIMIT` beyond) */
      liveSessionsPerDevice: int(env, 'LIVE_SESSIONS_PER_DEVICE', 3, 1, 100_000),
      /**
       * live `session` rooms one user may hold at once, counted before the join reads or writes the session (4429 `LIVE_SESSIONS_LIMIT` beyond). A join of
       * any of the user's devices within the resume window resumes the user's latest session, and the room a resume leaves behind keeps its seat for
       * `RECONNECT_WINDOW_SEC`: the bound leaves room for several devices and a few quick reloads of each
       */
      // Every device of a user resumes the user's latest session, and a room a resume leaves behind holds its seat
      // for RECONNECT_WINDOW_SEC: a phone, a tablet, a browser and a few quick reloads of each fit.
      liveRoomsPerUser: int(env, 'LIVE_ROOMS_PER_USER', unlessRaised(10, RAISED.perUserRooms), 1, 100_000),
      /**
       * a live session's claim lapses this long after its process last refreshed it (each process refreshes its rooms' claims every third of it); so the
       * sessions of a process that crashed stop counting within this time
       */
      // Each live room refreshes its claims (two Redis scripts) every third of this: 120 s costs 0.05 commands per
      // session-second, and a crashed process's sessions stop counting within 2 minutes.
      liveSessionsTtlSec: int(env, 'LIVE_SESSIONS_TTL_SEC', 120, 3, 3600),
      /** `POST /api/auth/refresh` calls per client address per minute (429 beyond) */
      refreshesPerAddressPerMinute: int(env, 'AUTH_REFRESHES_PER_ADDRESS_PER_MINUTE', unlessRaised(120, RAISED.perAddress), 1, 10_000_000),
      /**
       * wrong admin tokens per client address per minute; past it a wrong token from that address gets 429 `RATE_LIMITED` (Retry-After) instead of 401 until
       * the window ends. The right token always passes, so guessing from an address operators share cannot lock them out; the token's length (≥ 16
       * characters) is what defeats guessing
       */
      adminFailuresPerAddressPerMinute: int(env, 'ADMIN_FAILURES_PER_ADDRESS_PER_MINUTE', 10, 1, 10_000_000),
      /**
       * `POST /matchmake/*` requests (create, join, joinOrCreate, joinById, reconnect; refused ones count too) per client address per minute; more get 429
       * `RATE_LIMITED` with Retry-After and a request id before any token check or room work (the SDK rejects the join with code 429)
       */
      // A listener matchmakes once per session and once per reload (reconnect, maybe a new join); an address
      // shared behind a carrier NAT holds many listeners. Each refused or accepted request costs a token check
      // and may cost a room held until its seat reservation expires.
      matchmakesPerAddressPerMinute: int(env, 'MATCHMAKES_PER_ADDRESS_PER_MINUTE', unlessRaised(120, RAISED.perAddress), 1, 10_000_000),
      /**
       * client-claimed passport events of one type per user per second over HTTP ingest; a batch that would pass it is refused whole with 429 naming the type
       */
      // Amplitude's per-device ingest cap; a person does not do 30 things of one kind a second.
      eventsPerUserPerSecond: int(env, 'INGEST_EVENTS_PER_USER_PER_SECOND', unlessRaised(30, RAISED.perUserPerSecond), 1, 1_000_000),
      /**
       * client-claimed events of one type about one board entity (a track's plays, an artist's purchases, an event's likes) per user per hour: what one user
       * can add to one row of a public board
       */
      // Plays of one track: an hour holds at most ~60 one-minute plays in real time.
      entityEventsPerUserPerHour: int(env, 'INGEST_ENTITY_EVENTS_PER_USER_PER_HOUR', unlessRaised(60, RAISED.perAddress), 1, 10_000_000),
      /** `concierto.event_attended` one user may claim per concierto event per day */
      attendancesPerEventPerDay: int(env, 'INGEST_ATTENDANCES_PER_EVENT_PER_DAY', 1, 1, 1000),
    },
    concierto: {
      /** what one vote adds to a concierto board (server policy; clients cannot set a weight) */
      voteWeight: int(env, 'CONCIERTO_VOTE_WEIGHT', 1, 1, 100),
      /**
       * a vote held against a device before it signs up (`POST /api/concierto/events/{eventId}/held-votes`) is dropped unless that device signs up within
       * this many hours
       */
      // A week: a voter at a show signs up on the way home, or in the days after.
      heldVoteTtlHours: int(env, 'CONCIERTO_HELD_VOTE_TTL_HOURS', 168, 1, 24 * 30),
      /** votes held per client address per hour before `RATE_LIMITED` (no account stands behind a held vote yet; counted like sign-ups) */
      // As many as sign-ups from one address (AUTH_SIGNUPS_PER_ADDRESS_PER_HOUR): each held vote is a would-be user.
      heldVotesPerAddressPerHour: int(env, 'CONCIERTO_HELD_VOTES_PER_ADDRESS_PER_HOUR', unlessRaised(30, RAISED.perAddress), 1, 10_000_000),
    },
  };
}
