import type { Registry } from 'prom-client';
import type { CounterRatesView, RateRow } from '../../systems/ops/answers.js';
import { metricValues } from './promStats.js';
import { round } from '../../systems/numbers.js';

type Group = Exclude<keyof CounterRatesView, 'windowSec'>;

/** Which metric sample feeds each group (histograms are read through their `_count` series). */
export const RATE_SOURCES: Readonly<Record<Group, { metric: string; series: string }>> = {
  messages: { metric: 'ds_room_messages_in_total', series: 'ds_room_messages_in_total' },
  errors: { metric: 'ds_room_error_replies_total', series: 'ds_room_error_replies_total' },
  connections: { metric: 'ds_room_connections_total', series: 'ds_room_connections_total' },
  http: { metric: 'ds_http_request_duration_seconds', series: 'ds_http_request_duration_seconds_count' },
};
const GROUPS = Object.keys(RATE_SOURCES) as Group[];

interface Snapshot {
  at: number;
  /** group → label key → cumulative value. */
  values: Map<string, number>;
}

const keyOf = (group: Group, labels: Record<string, string | number>): string =>
  `${group}\u0000${JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)))}`;

/** Per-second rates over the last `windowMs` from sample deltas, at most `maxSnapshots` kept; a counter that went down counts from zero. */
export class CounterRates {
  private readonly snapshots: Snapshot[] = [];

  constructor(
    private readonly registry: Registry,
    private readonly options: { windowMs: number; maxSnapshots: number },
  ) {}

  /** Reads the counters at `at` (epoch ms) and returns their rates over the window ending now. */
  async sample(at: number): Promise<CounterRatesView> {
    const current: Snapshot = { at, values: await this.read() };
    // Keep the newest snapshot at or before the window's start as the baseline, and everything after it.
    this.snapshots.push(current);
    while (this.snapshots.length > 1 && (this.snapshots.length > this.options.maxSnapshots || this.snapshots[1].at <= at - this.options.windowMs))
      this.snapshots.shift();
    const base = this.snapshots[0];
    const dtSec = (at - base.at) / 1000;
    const view: CounterRatesView = { windowSec: round(dtSec), messages: [], errors: [], connections: [], http: [] };
    if (dtSec <= 0) return view;
    for (const [key, value] of current.values) {
      const before = base.values.get(key) ?? 0;
      const count = value >= before ? value - before : value;
      if (count <= 0) continue;
      const [group, labels] = key.split('\u0000') as [Group, string];
      view[group].push({ labels: Object.fromEntries(JSON.parse(labels) as Array<[string, string]>), count: round(count, 3), perSec: round(count / dtSec, 3) });
    }
    for (const group of GROUPS) view[group].sort((a, b) => b.perSec - a.perSec || keyOf(group, a.labels).localeCompare(keyOf(group, b.labels)));
    return view;
  }

  private async read(): Promise<Map<string, number>> {
    const values = new Map<string, number>();
    for (const group of GROUPS) {
      const { metric, series } = RATE_SOURCES[group];
      for (const v of (await metricValues(this.registry, metric)) ?? []) {
        if ((v.metricName ?? metric) === series) values.set(keyOf(group, v.labels), v.value);
      }
    }
    return values;
  }
}

/** Cluster rates: the processes' rates added up per label set (their windows are the same minute, ± a sample). */
export function sumRates(views: ReadonlyArray<CounterRatesView | null | undefined>): CounterRatesView | null {
  const present = views.filter((v): v is CounterRatesView => !!v);
  if (present.length === 0) return null;
  const out: CounterRatesView = { windowSec: Math.max(...present.map((v) => v.windowSec)), messages: [], errors: [], connections: [], http: [] };
  for (const group of GROUPS) {
    const sums = new Map<string, RateRow>();
    for (const v of present) {
      for (const row of v[group] ?? []) {
        const key = keyOf(group, row.labels);
        const sum = sums.get(key) ?? { labels: row.labels, count: 0, perSec: 0 };
        sum.count = round(sum.count + row.count, 3);
        sum.perSec = round(sum.perSec + row.perSec, 3);
        sums.set(key, sum);
      }
    }
    out[group] = [...sums.values()].sort((a, b) => b.perSec - a.perSec);
  }
  return out;
}
