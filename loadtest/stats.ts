/**
 * Measurement containers shared by workers and the runner: HDR histograms (recorded in microseconds,
 * shipped between threads as compressed base64 and merged), plain counters, and the summaries the
 * report prints. Everything here is pure and unit-tested.
 */
import * as hdr from 'hdr-histogram-js';

export type Histogram = ReturnType<typeof hdr.build>;

/** Latency/interval histograms every run reports (values in µs). */
export const HISTOGRAMS = [
  'swipeToPatch',
  'swipeToLocked',
  'captureToCaptured',
  'tapToTransition',
  'authDevice',
  'joinSession',
  'joinSpectator',
  'reconnect',
  'patchInterval',
  'patchJitter',
  'spectatorPatchInterval',
  // A session that moved (drain) or lost its process (crash): the last state frame before → the first after the resume,
  'handoffGap',
  // and the socket lost (`moving` or the first drop) → `resumed`.
  'handoffRejoin',
] as const;
export type HistogramName = (typeof HISTOGRAMS)[number];

/** Per-bot rates (bytes or messages per second × 1000, to keep 3 decimals in an integer histogram). */
export const RATE_HISTOGRAMS = ['sessionBytesInPerSec', 'sessionBytesOutPerSec', 'spectatorBytesInPerSec'] as const;
export type RateHistogramName = (typeof RATE_HISTOGRAMS)[number];

export function newHistogram(): Histogram {
  return hdr.build({ bitBucketSize: 64, numberOfSignificantValueDigits: 3, lowestDiscernibleValue: 1, autoResize: true });
}

/** Records a duration in milliseconds (stored as whole microseconds, at least 1). */
export function recordMs(h: Histogram, ms: number): void {
  if (!Number.isFinite(ms) || ms < 0) return;
  h.recordValue(Math.max(1, Math.round(ms * 1000)));
}

export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decodeHistogram(encoded: string): Histogram {
  return hdr.decodeFromCompressedBase64(encoded, 64);
}

/** Adds every encoded histogram into one. */
export function mergeHistograms(encoded: readonly string[]): Histogram {
  const total = newHistogram();
  for (const e of encoded) if (e) total.add(decodeHistogram(e));
  return total;
}

export interface LatencySummary {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}

const round = (v: number, digits = 2): number => Math.round(v * 10 ** digits) / 10 ** digits;

/** Percentiles in milliseconds (null when nothing was recorded). */
export function summarize(h: Histogram, scale = 1000): LatencySummary {
  if (h.totalCount === 0) return { count: 0, p50: null, p95: null, p99: null, max: null, mean: null };
  return {
    count: h.totalCount,
    p50: round(h.getValueAtPercentile(50) / scale),
    p95: round(h.getValueAtPercentile(95) / scale),
    p99: round(h.getValueAtPercentile(99) / scale),
    max: round(h.maxValue / scale),
    mean: round(h.mean / scale),
  };
}

/** Frames and bytes one kind of bot exchanged within the measurement window. */
export interface Traffic {
  framesIn: number;
  bytesIn: number;
  /** Payload plus WebSocket frame header (server → client frames are unmasked). */
  wireBytesIn: number;
  framesOut: number;
  bytesOut: number;
  /** Payload plus WebSocket frame header and the 4-byte mask every client frame carries. */
  wireBytesOut: number;
  patchFramesIn: number;
  patchBytesIn: number;
  /** Sum over bots of seconds connected inside the window (the denominator of per-bot rates). */
  botSeconds: number;
}

export const emptyTraffic = (): Traffic => ({
  framesIn: 0,
  bytesIn: 0,
  wireBytesIn: 0,
  framesOut: 0,
  bytesOut: 0,
  wireBytesOut: 0,
  patchFramesIn: 0,
  patchBytesIn: 0,
  botSeconds: 0,
});

/** WebSocket frame header size for a payload of `n` bytes (RFC 6455 §5.2), plus the mask for client frames. */
export function wsHeaderBytes(n: number, masked: boolean): number {
  return (n < 126 ? 2 : n < 65_536 ? 4 : 10) + (masked ? 4 : 0);
}

/** One server → client frame into `t` (payload and wire bytes; patches also apart). */
export function countFrameIn(t: Traffic, bytes: number, isPatch: boolean): void {
  t.framesIn++;
  t.bytesIn += bytes;
  t.wireBytesIn += bytes + wsHeaderBytes(bytes, false);
  if (isPatch) {
    t.patchFramesIn++;
    t.patchBytesIn += bytes;
  }
}

/** One client → server frame into `t`. */
export function countFrameOut(t: Traffic, bytes: number): void {
  t.framesOut++;
  t.bytesOut += bytes;
  t.wireBytesOut += bytes + wsHeaderBytes(bytes, true);
}

export function addTraffic(into: Traffic, from: Traffic): Traffic {
  for (const k of Object.keys(into) as Array<keyof Traffic>) into[k] += from[k];
  return into;
}

/** Per-bot averages: each total divided by connected bot-seconds. */
export function perBotRates(t: Traffic): {
  framesInPerSec: number;
  bytesInPerSec: number;
  wireBytesInPerSec: number;
  framesOutPerSec: number;
  bytesOutPerSec: number;
  wireBytesOutPerSec: number;
  patchFramesInPerSec: number;
  patchBytesInPerSec: number;
} {
  const d = t.botSeconds > 0 ? t.botSeconds : NaN;
  const r = (v: number) => (Number.isFinite(v / d) ? round(v / d) : 0);
  return {
    framesInPerSec: r(t.framesIn),
    bytesInPerSec: r(t.bytesIn),
    wireBytesInPerSec: r(t.wireBytesIn),
    framesOutPerSec: r(t.framesOut),
    bytesOutPerSec: r(t.bytesOut),
    wireBytesOutPerSec: r(t.wireBytesOut),
    patchFramesInPerSec: r(t.patchFramesIn),
    patchBytesInPerSec: r(t.patchBytesIn),
  };
}

/** Length of the part of [a0, a1) inside the window [w0, w1), in the same unit. */
export function overlap(a0: number, a1: number, w0: number, w1: number): number {
  return Math.max(0, Math.min(a1, w1) - Math.max(a0, w0));
}

/** Deviation of a patch interval from the nearest whole number of patch periods (idle rooms skip patches). */
export function jitterOf(intervalMs: number, periodMs: number): number {
  if (!(periodMs > 0) || !(intervalMs >= 0)) return 0;
  const k = Math.max(1, Math.round(intervalMs / periodMs));
  return Math.abs(intervalMs - k * periodMs);
}

/** What the session bots saw of moves and resumes; each a count of events over all bots. */
export interface HandoffCounters {
  /** `moving` notices received (the bot's process was draining). */
  moved: number;
  /** Sockets lost without a `moving` notice that the SDK's own reconnection could not bring back (a killed process): resumed with the credential. */
  crashed: number;
  /** `resumed` replies: the session came back. */
  resumed: number;
  /** Of those, the session id after equals the one before. */
  sameSessionId: number;
  /** Sessions lost to the user: closed (4000/4409 not asked for) or no way back within the rejoin deadline. Should be 0. */
  closed: number;
  /** A resume refused (RESUME_*), so a plain join started a new session. */
  freshSessions: number;
  /** Rejoin attempts that failed and were retried (busy, unreachable, refused). */
  rejoinRetries: number;
  /** The station (artistId) after the resume differs from the one before; `…AfterCrash` counts the crash resumes among them. */
  stationMismatch: number;
  starsMismatch: number;
  stationMismatchAfterCrash: number;
  starsMismatchAfterCrash: number;
  /** A different station or star count after the resume while an input (swipe, tap, capture) was still awaiting its answer: the session went on, not a loss; not in the mismatches. */
  changedInFlight: number;
  /** `resumed.restoredFrom`. */
  restoredFrom: { handoff: number; snapshot: number; durable: number };
  /** Inputs resent after `resumed` (seq above appliedSeq), `duplicate` replies, and `error` MOVING replies. */
  resent: number;
  duplicates: number;
  movingErrors: number;
}

export const emptyHandoffCounters = (): HandoffCounters => ({
  moved: 0,
  crashed: 0,
  resumed: 0,
  sameSessionId: 0,
  closed: 0,
  freshSessions: 0,
  rejoinRetries: 0,
  stationMismatch: 0,
  starsMismatch: 0,
  stationMismatchAfterCrash: 0,
  starsMismatchAfterCrash: 0,
  changedInFlight: 0,
  restoredFrom: { handoff: 0, snapshot: 0, durable: 0 },
  resent: 0,
  duplicates: 0,
  movingErrors: 0,
});

/** Counters a worker keeps; merged by summing (nested maps too). */
export interface Counters {
  sessions: { planned: number; attempted: number; connected: number; failed: number; dropped: number; connectedAtEnd: number };
  spectators: {
    planned: number;
    attempted: number;
    connected: number;
    failed: number;
    dropped: number;
    unavailable: number;
    connectedAtEnd: number;
    /** Joined another coliseum after theirs closed with its process (a drain). */ rejoined: number;
  };
  actions: {
    swipes: number;
    taps: number;
    captures: number;
    sensorBatches: number;
    locks: number;
    transitions: number;
    capturedReplies: number;
    sensorAcks: number;
  };
  /** Measurements abandoned: a newer swipe superseded a pending one, or no effect within the timeout. */
  unmatched: { swipePatch: number; swipeLocked: number; capture: number; tap: number };
  reconnects: { planned: number; attempted: number; ok: number; failed: number; sdkAutomatic: number };
  /** Sessions that moved or lost their process and came back with their resume credential (loadtest/handoff.ts). */
  handoff: HandoffCounters;
  /** `error` replies by code, and join failures by message. */
  errors: Record<string, number>;
  joinFailures: Record<string, number>;
}

export function emptyCounters(): Counters {
  return {
    sessions: { planned: 0, attempted: 0, connected: 0, failed: 0, dropped: 0, connectedAtEnd: 0 },
    spectators: { planned: 0, attempted: 0, connected: 0, failed: 0, dropped: 0, unavailable: 0, connectedAtEnd: 0, rejoined: 0 },
    actions: { swipes: 0, taps: 0, captures: 0, sensorBatches: 0, locks: 0, transitions: 0, capturedReplies: 0, sensorAcks: 0 },
    unmatched: { swipePatch: 0, swipeLocked: 0, capture: 0, tap: 0 },
    reconnects: { planned: 0, attempted: 0, ok: 0, failed: 0, sdkAutomatic: 0 },
    handoff: emptyHandoffCounters(),
    errors: {},
    joinFailures: {},
  };
}

/** Sums `from` into `into`, recursing into nested objects (used for every counter group). */
export function mergeCounters<T extends object>(into: T, from: T): T {
  for (const [k, v] of Object.entries(from)) {
    const cur = (into as Record<string, unknown>)[k];
    if (typeof v === 'number') (into as Record<string, unknown>)[k] = (typeof cur === 'number' ? cur : 0) + v;
    else if (v && typeof v === 'object')
      (into as Record<string, unknown>)[k] = mergeCounters((cur && typeof cur === 'object' ? cur : {}) as object, v as object);
  }
  return into;
}

/** Adds one to a named bucket of a string-keyed counter map, keeping at most `maxKeys` distinct keys. */
export function bump(map: Record<string, number>, key: string, maxKeys = 50): void {
  if (key in map) map[key]++;
  else if (Object.keys(map).length < maxKeys) map[key] = 1;
  else map.other = (map.other ?? 0) + 1;
}
