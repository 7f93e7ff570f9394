/**
 * /ops traffic section: the room and HTTP counters of /metrics as per-second rates over the last
 * minute, summed over the processes (`totals.rates` of GET /api/ops/overview; computed on the server from
 * counter deltas, features/ops/counterRates.ts): messages by type, error replies by code, joins / leaves /
 * reconnects, HTTP requests by route and status. Placed before the room list.
 */
import type { CounterRates as CounterRatesView, RateRow } from '../../../clients/ts/src/ops.js';
import { $, append, clear, el, fmtInt } from '../shared/dom.js';

type Group = Exclude<keyof CounterRatesView, 'windowSec'>;

/** Each table: title, the two labels shown (first, second), and its column heads. */
const TABLES: ReadonlyArray<{ group: Group; title: string; first: string; second: string; heads: [string, string] }> = [
  { group: 'messages', title: 'Messages in', first: 'room', second: 'type', heads: ['room', 'type'] },
  { group: 'errors', title: 'Error replies', first: 'room', second: 'code', heads: ['room', 'code'] },
  { group: 'connections', title: 'Joins · leaves · reconnects', first: 'room', second: 'event', heads: ['room', 'event'] },
  { group: 'http', title: 'HTTP requests', first: 'endpoint', second: 'status_class', heads: ['route', 'status'] },
];

const perSec = (n: number): string => (n >= 10 ? n.toFixed(1) : n >= 0.1 ? n.toFixed(2) : n.toFixed(3));

export class RatesPanel {
  readonly root: HTMLElement;
  private readonly note: HTMLElement;
  private readonly bodies = new Map<Group, HTMLElement>();

  constructor(container: HTMLElement) {
    this.note = el('span', { class: 'muted small', id: 'rates-window' });
    const grid = el('div', { class: 'rates-grid' });
    for (const t of TABLES) {
      const body = el('tbody', { id: `rates-${t.group}` });
      this.bodies.set(t.group, body);
      const head = el(
        'tr',
        {},
        el('th', {}, t.heads[0]),
        el('th', {}, t.heads[1]),
        el('th', { class: 'num' }, '/s'),
        el('th', { class: 'num', title: 'count in the window' }, 'n'),
      );
      append(grid, el('div', { class: 'rates-table', 'data-group': t.group }, el('h3', {}, t.title), el('table', {}, el('thead', {}, head), body)));
    }
    this.root = el('section', { class: 'card', id: 'rates' }, el('h2', {}, 'Traffic per second ', this.note), grid);
    container.insertBefore(this.root, $('#rooms', container));
  }

  render(rates: CounterRatesView | null): void {
    this.note.textContent = rates ? `last ${Math.max(1, Math.round(rates.windowSec))} s, all processes` : 'n/a (no metrics registry)';
    for (const t of TABLES) {
      const body = this.bodies.get(t.group)!;
      clear(body);
      const rows: RateRow[] = (rates?.[t.group] ?? []).slice(0, 20);
      for (const r of rows) {
        const bad = t.group === 'errors' || (t.group === 'http' && /^5/.test(r.labels.status_class ?? ''));
        append(
          body,
          el(
            'tr',
            {},
            el('td', { class: 'rate-label' }, r.labels[t.first] ?? '—'),
            el('td', { class: `rate-label${bad ? ' bad' : ''}` }, r.labels[t.second] ?? '—'),
            el('td', { class: 'num' }, perSec(r.perSec)),
            el('td', { class: 'num muted' }, fmtInt(r.count)),
          ),
        );
      }
      if (!rows.length) append(body, el('tr', {}, el('td', { colspan: 4, class: 'muted' }, 'none in the last minute')));
    }
  }

  reset(): void {
    for (const body of this.bodies.values()) clear(body);
    this.note.textContent = '';
  }
}
