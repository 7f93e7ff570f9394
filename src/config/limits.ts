/**
 * What one client may do: abuse limits at the HTTP edge (per address, per device secret) and the bounds on
 * client-claimed passport events that feed public boards (per user). Counted on the backplane, so with Redis
 * every process shares the counts. Loopback addresses get no exemption: tests and the load-test harness raise
 * these through the server's environment. Each variable has a row in docs/CONFIG.md.
 */
import { ConfigError } from '../errors.js';
import { bool, int, type Env } from './parse.js';

export interface LimitsConfig {
  /** New users created by `POST /api/auth/device` per client address per hour. */
  signupsPerAddressPerHour: number;
  /** Sign-in attempts per device secret per minute (a stolen or guessed secret tried over and over). */
  signinsPerSecretPerMinute: number;
  /** Live devices (used within the refresh-token lifetime) one user may have; linking one more is 409 DEVICE_LIMIT. */
  devicesPerUser: number;
  /** New devices linked to one user per minute (`POST /api/auth/device` with a Bearer token and a new secret). */
  linksPerUserPerMinute: number;
  /** Live sessions one user may hold at once, counted by session id on the backplane. */
  liveSessionsPerUser: number;
  /** Live sessions one device may hold at once. */
  liveSessionsPerDevice: number;
  /** Live session rooms of one user at once, counted before the join (a user's joins within the resume window resume one session). */
  liveRoomsPerUser: number;
  /** How long a live session's claim lives unless its process refreshes it (every third of this): a crashed process's claims lapse after it. */
  liveSessionsTtlSec: number;
  /** `POST /api/auth/refresh` calls per client address per minute. */
  refreshesPerAddressPerMinute: number;
  /** Requests with a wrong admin token per client address per minute; past it wrong tokens get 429 (the right one always passes). */
  adminFailuresPerAddressPerMinute: number;
  /** `POST /matchmake/*` requests (create, join, joinOrCreate, joinById, reconnect) per client address per minute. */
  matchmakesPerAddressPerMinute: number;
  /** Client-claimed passport events of one type per user per second (HTTP ingest). */
  eventsPerUserPerSecond: number;
  /** Client-claimed events of one type about one board entity (a track, an artist, an event) per user per hour. */
  entityEventsPerUserPerHour: number;
  /** Attendances one user may claim per concierto event per day. */
  attendancesPerEventPerDay: number;
}

export interface ConciertoConfig {
  /** The weight of one vote on the boards: server policy, never the client's. */
  voteWeight: number;
  /** A vote held against a device before sign-up is dropped unless the device signs up within this many hours. */
  heldVoteTtlHours: number;
  /** Votes held per client address per hour (no account stands behind them yet). */
  heldVotesPerAddressPerHour: number;
}

/**
 * A limit's default where it protects people, and where the load-test harness plays from one address (thousands of
 * bots signed up and matchmaking at once, rejoining under churn): `npm start` sets DEV_RAISED_LIMITS so the
 * README's load test works against a laptop's server; NODE_ENV=production refuses the flag.
 */
const RAISED = { perAddress: 10_000_000, perUserRooms: 100_000, perUserPerSecond: 1_000_000 } as const;

/** DEV_RAISED_LIMITS, refused where the server runs for real (the production image sets NODE_ENV=production). */
function devRaisedLimits(env: Env): boolean {
  const raised = bool(env, 'DEV_RAISED_LIMITS', false);
  if (raised && env.NODE_ENV === 'production') {
    throw new ConfigError(
      'DEV_RAISED_LIMITS',
      "raises the abuse limits for the load-test harness and is refused with NODE_ENV=production. Unset it; to raise one limit in production, set that limit's own variable.",
    );
  }
  return raised;
}

export function limitsConfig(env: Env): { limits: LimitsConfig; concierto: ConciertoConfig; devRaisedLimits: boolean } {
  const raised = devRaisedLimits(env);
  const unlessRaised = (fallback: number, harness: number): number => (raised ? harness : fallback);
  return {
    devRaisedLimits: raised,
    limits: {
      signupsPerAddressPerHour: int(env, 'AUTH_SIGNUPS_PER_ADDRESS_PER_HOUR', unlessRaised(30, RAISED.perAddress), 1, 10_000_000),
      signinsPerSecretPerMinute: int(env, 'AUTH_SIGNINS_PER_SECRET_PER_MINUTE', unlessRaised(20, RAISED.perAddress), 1, 10_000_000),
      // A person has a phone, a tablet, a laptop or two; a script linking fresh secrets has hundreds.
      devicesPerUser: int(env, 'AUTH_DEVICES_PER_USER', 10, 1, 10_000),
      linksPerUserPerMinute: int(env, 'AUTH_LINKS_PER_USER_PER_MINUTE', 5, 1, 10_000_000),
      // A listener has one session per device; a few devices at once is already unusual.
      liveSessionsPerUser: int(env, 'LIVE_SESSIONS_PER_USER', 5, 1, 100_000),
      liveSessionsPerDevice: int(env, 'LIVE_SESSIONS_PER_DEVICE', 3, 1, 100_000),
      // Every device of a user resumes the user's latest session, and a room a resume leaves behind holds its seat
      // for RECONNECT_WINDOW_SEC: a phone, a tablet, a browser and a few quick reloads of each fit.
      liveRoomsPerUser: int(env, 'LIVE_ROOMS_PER_USER', unlessRaised(10, RAISED.perUserRooms), 1, 100_000),
      // Each live room refreshes its claims (two Redis scripts) every third of this: 120 s costs 0.05 commands per
      // session-second, and a crashed process's sessions stop counting within 2 minutes.
      liveSessionsTtlSec: int(env, 'LIVE_SESSIONS_TTL_SEC', 120, 3, 3600),
      refreshesPerAddressPerMinute: int(env, 'AUTH_REFRESHES_PER_ADDRESS_PER_MINUTE', unlessRaised(120, RAISED.perAddress), 1, 10_000_000),
      adminFailuresPerAddressPerMinute: int(env, 'ADMIN_FAILURES_PER_ADDRESS_PER_MINUTE', 10, 1, 10_000_000),
      // A listener matchmakes once per session and once per reload (reconnect, maybe a new join); an address
      // shared behind a carrier NAT holds many listeners. Each refused or accepted request costs a token check
      // and may cost a room held until its seat reservation expires.
      matchmakesPerAddressPerMinute: int(env, 'MATCHMAKES_PER_ADDRESS_PER_MINUTE', unlessRaised(120, RAISED.perAddress), 1, 10_000_000),
      // Amplitude's per-device ingest cap; a person does not do 30 things of one kind a second.
      eventsPerUserPerSecond: int(env, 'INGEST_EVENTS_PER_USER_PER_SECOND', unlessRaised(30, RAISED.perUserPerSecond), 1, 1_000_000),
      // Plays of one track: an hour holds at most ~60 one-minute plays in real time.
      entityEventsPerUserPerHour: int(env, 'INGEST_ENTITY_EVENTS_PER_USER_PER_HOUR', unlessRaised(60, RAISED.perAddress), 1, 10_000_000),
      attendancesPerEventPerDay: int(env, 'INGEST_ATTENDANCES_PER_EVENT_PER_DAY', 1, 1, 1000),
    },
    concierto: {
      voteWeight: int(env, 'CONCIERTO_VOTE_WEIGHT', 1, 1, 100),
      // A week: a voter at a show signs up on the way home, or in the days after.
      heldVoteTtlHours: int(env, 'CONCIERTO_HELD_VOTE_TTL_HOURS', 168, 1, 24 * 30),
      // As many as sign-ups from one address (AUTH_SIGNUPS_PER_ADDRESS_PER_HOUR): each held vote is a would-be user.
      heldVotesPerAddressPerHour: int(env, 'CONCIERTO_HELD_VOTES_PER_ADDRESS_PER_HOUR', unlessRaised(30, RAISED.perAddress), 1, 10_000_000),
    },
  };
}
