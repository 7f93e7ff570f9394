/**
 * The soak's pass rule and its tables (pure, unit-tested).
 *
 * Steady state: after the warm-up the population is held at its target while listeners come and go, so
 * whatever a session holds must come back. The baseline is the first window of the steady phase, the end
 * its last window (each a quarter of the steady samples, at least 4): every quantity's end may exceed its
 * baseline by at most 10 %, or by an absolute slack where 10 % of a small count is less than the noise of
 * one moment's churn (a room between two listeners). Falling is never a failure. Counts are the sums over
 * the processes, each window's median.
 *
 * Memory is judged per process (two processes collect at different moments, so a sum's low is nobody's).
 * The heap is ds_heap_used_after_gc_bytes at each window's lowest: the heap just after a collection, and
 * over a window of minutes the lowest such reading is the one after a full collection, what the process
 * keeps; the raw heap used swings by the young generation (up to 3 × 64 MB here) between two samples. RSS is the end window's median against the process's peak in the baseline window: V8 hands
 * pages back after a full collection and takes them again, so an RSS that dipped and climbs back to where
 * it was is not growth, a climb past it is.
 *
 * Drained: once every listener has left (and idle pooled connections have closed), the counts that belong
 * to sessions (session rooms, handles, timers, Redis channel subscriptions and connections, Postgres
 * connections) return to their idle level before the load, within a slack per process; memory is only
 * reported (a warmed heap does not give pages back). Redis keys are not checked there: what stays are
 * caches with a TTL (stations, sign-in limits) and the leaderboards' data.
 */
import type { SoakSample } from './soakProbe.js';

type Key =
  | 'rssMb'
  | 'heapAfterGcMb'
  | 'handles'
  | 'timers'
  | 'rooms'
  | 'sessionRooms'
  | 'redisKeys'
  | 'redisChannels'
  | 'redisPatterns'
  | 'redisClients'
  | 'pgConnections';

interface Rule {
  key: Exclude<Key, 'rssMb' | 'heapAfterGcMb'>;
  label: string;
  aggregate: 'median' | 'min';
  /** Absolute slack at this population and process count (the larger of it and 10 % applies). */
  slack: (population: number, processes: number) => number;
  /** Slack per process over the idle level once drained; absent = not checked after the drain. */
  drainedSlack?: number;
}

/**
 * The ORM's pool (max 10, idle connections closed after 10 s) and the passport sinks' (30 s) grow with the
 * load's concurrency, which churn varies: a process may hold this many more connections at the end of the
 * steady phase than at its start without holding more than its pools allow; once drained they close.
 */
const POOL_GROWTH = 8;

const RULES: Rule[] = [
  // Each pooled Postgres connection is a handle too (see the Postgres rule).
  { key: 'handles', label: 'active handles', aggregate: 'median', slack: (_, k) => 5 + POOL_GROWTH * k, drainedSlack: 3 },
  { key: 'timers', label: 'active timers', aggregate: 'median', slack: (p) => 5 + Math.ceil(p * 0.05), drainedSlack: 3 },
  { key: 'rooms', label: 'rooms (all types)', aggregate: 'median', slack: (p) => 3 + Math.ceil(p * 0.05) },
  { key: 'sessionRooms', label: 'session rooms', aggregate: 'median', slack: (p) => 3 + Math.ceil(p * 0.05), drainedSlack: 0 },
  { key: 'redisKeys', label: 'Redis keys', aggregate: 'median', slack: (p) => 5 + Math.ceil(p * 0.05) },
  { key: 'redisChannels', label: 'Redis channel subscriptions', aggregate: 'median', slack: (p) => 3 + Math.ceil(p * 0.05), drainedSlack: 1 },
  { key: 'redisPatterns', label: 'Redis pattern subscriptions', aggregate: 'median', slack: () => 1, drainedSlack: 0 },
  { key: 'redisClients', label: 'Redis connections', aggregate: 'median', slack: () => 2, drainedSlack: 1 },
  { key: 'pgConnections', label: 'Postgres connections', aggregate: 'median', slack: (_, k) => POOL_GROWTH * k, drainedSlack: 2 },
];

export interface Check {
  key: Key;
  /** Memory checks: the process (0-based). */
  process?: number;
  label: string;
  stage: 'steady' | 'drained';
  baseline: number | null;
  end: number | null;
  limit: number | null;
  pass: boolean;
  /** Why it failed, or why it was not checked. */
  note?: string;
}

export interface SoakVerdict {
  pass: boolean;
  reason: string;
  windows: { baseline: [number, number]; end: [number, number]; samples: number } | null;
  populationBaseline: number | null;
  populationEnd: number | null;
  checks: Check[];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function aggregate(samples: readonly SoakSample[], key: Key, how: 'median' | 'min' | 'max', process?: number): number | null {
  const xs = samples
    .map((s) => (process === undefined ? s[key] : ((s.processes[process] as unknown as Partial<Record<Key, number | null>> | undefined)?.[key] ?? null)))
    .filter((x): x is number => x !== null && Number.isFinite(x));
  if (!xs.length) return null;
  return Math.round((how === 'min' ? Math.min(...xs) : how === 'max' ? Math.max(...xs) : median(xs)) * 10) / 10;
}

function check(
  rule: Pick<Check, 'key' | 'label' | 'process'>,
  stage: Check['stage'],
  baseline: number | null,
  end: number | null,
  slack: number,
  relative: boolean,
): Check {
  const base = { ...rule, stage, baseline, end };
  if (baseline === null || end === null) return { ...base, limit: null, pass: true, note: 'not measured (no Redis, or unreadable)' };
  const limit = Math.round(Math.max(relative ? baseline * 1.1 : baseline, baseline + slack) * 10) / 10;
  return end <= limit ? { ...base, limit, pass: true } : { ...base, limit, pass: false, note: `${end} > ${limit}` };
}

/** Applies the pass rule to a soak's samples (phases as {@link SoakSample.phase}). */
export function judgeSoak(samples: readonly SoakSample[], processes = 1): SoakVerdict {
  const steady = samples.filter((s) => s.phase === 'steady');
  const n = Math.max(4, Math.ceil(steady.length / 4));
  if (steady.length < 2 * n)
    return {
      pass: false,
      reason: `too few steady samples (${steady.length}, need ${2 * n}): run longer or sample more often`,
      windows: null,
      populationBaseline: null,
      populationEnd: null,
      checks: [],
    };
  const first = steady.slice(0, n);
  const last = steady.slice(-n);
  const population = median(first.map((s) => s.population));
  const checks: Check[] = memoryChecks(samples, first, last);
  checks.push(
    ...RULES.map((r) => check(r, 'steady', aggregate(first, r.key, r.aggregate), aggregate(last, r.key, r.aggregate), r.slack(population, processes), true)),
  );
  const idle = samples.filter((s) => s.phase === 'idle');
  const drained = samples.filter((s) => s.phase === 'drain').slice(-2);
  for (const r of RULES) {
    if (r.drainedSlack === undefined) continue;
    if (!idle.length || !drained.length)
      checks.push({ key: r.key, label: r.label, stage: 'drained', baseline: null, end: null, limit: null, pass: false, note: 'no idle or drained samples' });
    else checks.push(check(r, 'drained', aggregate(idle, r.key, 'median'), aggregate(drained, r.key, 'max'), r.drainedSlack * processes, false));
  }
  const failed = checks.filter((c) => !c.pass);
  const populationEnd = median(last.map((s) => s.population));
  return {
    pass: failed.length === 0,
    reason: failed.length
      ? failed.map((c) => `${c.label} (${c.stage}): ${c.note}`).join('; ')
      : `every quantity within its limit (population ${population} → ${populationEnd})`,
    windows: { baseline: [first[0].t, first[first.length - 1].t], end: [last[0].t, last[last.length - 1].t], samples: n },
    populationBaseline: population,
    populationEnd,
    checks,
  };
}

/** Per process: RSS against its high-water mark in the baseline window, heap after GC window lows. */
/**
 * RSS against the highest it reached once warm (the warm-up and the baseline window): V8 hands pages back after
 * a full collection and the process grows back to where it was, so a baseline window that starts in such a dip
 * would read the regrowth as a leak (CI saw 263 → 331 MB with the heap after GC flat at 82 → 84 MB). Growth past
 * the warm peak still fails; the heap after GC, the leak-sensitive figure, keeps the baseline window alone.
 */
function memoryChecks(samples: readonly SoakSample[], first: readonly SoakSample[], last: readonly SoakSample[]): Check[] {
  const count = Math.max(...samples.map((s) => s.processes.length));
  const warm = [...samples.filter((s) => s.phase === 'warmup'), ...first];
  const checks: Check[] = [];
  for (let i = 0; i < count; i++) {
    const label = (what: string) => (count > 1 ? `${what}, process ${i + 1}` : what);
    checks.push(
      check(
        { key: 'rssMb', label: label('RSS MB (peak → median)'), process: i },
        'steady',
        aggregate(warm, 'rssMb', 'max', i),
        aggregate(last, 'rssMb', 'median', i),
        0,
        true,
      ),
    );
    checks.push(
      check(
        { key: 'heapAfterGcMb', label: label('heap after GC MB (low)'), process: i },
        'steady',
        aggregate(first, 'heapAfterGcMb', 'min', i),
        aggregate(last, 'heapAfterGcMb', 'min', i),
        0,
        true,
      ),
    );
  }
  return checks;
}

const cell = (v: number | null | undefined): string => (v === null || v === undefined ? '–' : String(v));

/** The samples over time, one line each. */
export function formatSamples(samples: readonly SoakSample[]): string {
  const head = ['t s', 'phase', 'pop', 'rooms', 'RSS MB', 'heap MB', 'after GC', 'handles', 'timers', 'R keys', 'R chan', 'R conns', 'PG conns'];
  const rows = samples.map((s) => [
    String(Math.round(s.t)),
    s.phase,
    String(s.population),
    cell(s.sessionRooms),
    cell(s.rssMb),
    cell(s.heapUsedMb),
    cell(s.heapAfterGcMb),
    cell(s.handles),
    cell(s.timers),
    cell(s.redisKeys),
    cell(s.redisChannels),
    cell(s.redisClients),
    cell(s.pgConnections),
  ]);
  return table(head, rows);
}

/** The verdict: one line per check and PASS/FAIL with the reason. */
export function formatVerdict(v: SoakVerdict): string {
  const rows = v.checks.map((c) => [c.label, c.stage, cell(c.baseline), cell(c.end), cell(c.limit), c.pass ? (c.note ? 'n/a' : 'ok') : 'FAIL']);
  const windows = v.windows
    ? `baseline t ${v.windows.baseline.join('–')} s, end t ${v.windows.end.join('–')} s (${v.windows.samples} samples each); idle before load → drained after`
    : '';
  return `${table(['quantity', 'stage', 'baseline / idle', 'end / drained', 'limit', ''], rows)}\n${windows}\n${v.pass ? 'PASS' : 'FAIL'}: ${v.reason}`;
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}
