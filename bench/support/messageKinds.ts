/**
 * What the message-cost bench sends in each window: per session-room input type, how often one session
 * sends it and how to build one, plus the reply that answers it. Payloads follow docs/PROTOCOL.md
 * ("Client → server messages") and are valid, so every message takes its real path through the room.
 */
import type { CostSession } from './costClient.js';

export interface Catalog {
  frequencies: number[];
  artists: Array<{ artistId: string; name: string }>;
}

export interface Kind {
  /** The client message type, or `idle` (nothing sent: the baseline window). */
  name: string;
  /** ms between two messages of one session (sessions are spread evenly across this period). */
  intervalMs: number;
  /** The reply that answers it (counted to see that every message was handled). */
  answer?: string;
  /** One message per session before the window, answered before it starts (not counted): the window measures the cached path. */
  primed?: boolean;
  /** Builds the payload of session `s`'s `k`-th message of this kind in round `round`, or null to skip. */
  payload?: (session: CostSession, s: number, k: number, round: number, catalog: Catalog) => Record<string, unknown> | null;
}

const pick = <T>(xs: T[], i: number): T => xs[((i % xs.length) + xs.length) % xs.length];

/** Seed-like sensor samples: 10 per batch (the loadtest's batches carry 5–20). */
function sensorSamples(k: number) {
  return Array.from({ length: 10 }, (_, i) => ({
    type: pick(['gyroscope', 'accelerometer', 'motion'] as const, i + k),
    duration: 0.5 + (i % 4) * 0.25,
    maxTiltX: ((i * 17 + k) % 60) - 30,
    maxTiltY: ((i * 11 + k) % 40) - 20,
    at: 1_767_225_600_000 + k * 1000 + i * 100,
  }));
}

export const KINDS: Kind[] = [
  { name: 'idle', intervalMs: 1500 },
  // A swipe glides 0.5–1.8 s to a station and locks: one every 2 s lets each lock before the next.
  {
    name: 'swipe',
    intervalMs: 2000,
    answer: 'locked',
    payload: (_x, s, k) => ({ direction: (s + k) % 2 ? 'right' : 'left', velocity: 300 + ((s * 7 + k * 13) % 10) * 100 }),
  },
  {
    name: 'tune',
    intervalMs: 1000,
    answer: 'locked',
    payload: (x, s, k, r, c) => {
      let f = pick(c.frequencies, s * 5 + k * 3 + r);
      if (f === x.frequency) f = pick(c.frequencies, s * 5 + k * 3 + r + 1);
      return { frequency: f };
    },
  },
  // A zoom takes 0.8 s and refuses dial inputs until it arrives: one tap every 1.5 s.
  {
    name: 'tap_orb',
    intervalMs: 1500,
    answer: 'transition',
    payload: (x, s, k) => {
      const orbs = x.orbIds();
      return orbs.length ? { orbId: pick(orbs, s + k) } : null;
    },
  },
  { name: 'sensor_batch', intervalMs: 1000, answer: 'sensor_ack', payload: (_x, _s, k) => ({ samples: sensorSamples(k) }) },
  // A different artist each time (up to 8 per window), so each capture stores a new star, as a journey does.
  {
    name: 'capture',
    intervalMs: 1000,
    answer: 'captured',
    payload: (_x, s, k, r, c) => ({ artistId: pick(c.artists, s * 31 + (r + 1) * 8 + k).artistId, opId: `bench-${s}-${r}-${k}` }),
  },
  {
    name: 'search',
    intervalMs: 1000,
    answer: 'search',
    payload: (_x, s, k, r, c) => {
      const name = pick(c.artists, s * 7 + k * 3 + r).name;
      return { q: name.slice(0, 3 + ((s + k + r) % 6)), requestId: `bench-${s}-${k}` };
    },
  },
  // The budget is the cached journal's: the round's captures invalidated it, so the priming ask rebuilds it.
  { name: 'journal', intervalMs: 1000, answer: 'journal', primed: true, payload: () => ({}) },
];
