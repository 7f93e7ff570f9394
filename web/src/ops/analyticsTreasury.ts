/**
 * Treasury on the DIA user page: what the user spent and earned, per
 * currency, all time and over the last 30 and 7 days (GET /api/admin/treasury/user/:userId), money formatted as
 * everywhere else (systems/money.ts).
 */
import { formatMoney } from '../../../systems/money.js';
import { append, clear, el } from '../shared/dom.js';
import { api } from './api.js';
import type { MoneyTotals as Totals } from '../../../clients/ts/src/ops.js';

type ByCurrency = Totals['allTime'];

const cell = (m: ByCurrency): string => {
  const rows = Object.entries(m).sort(([a], [b]) => (a < b ? -1 : 1));
  return rows.length ? rows.map(([currency, cents]) => formatMoney(cents, currency.toUpperCase())).join(' · ') : '—';
};

export async function showTreasury(root: HTMLElement, userId: string, onError: (err: unknown) => void): Promise<void> {
  clear(root);
  try {
    const t = await api<{ spent: Totals; earned: Totals }>(`/api/admin/treasury/user/${encodeURIComponent(userId)}`);
    const row = (label: string, x: Totals) =>
      el(
        'tr',
        { 'data-side': label.toLowerCase() },
        el('th', {}, label),
        el('td', {}, cell(x.allTime)),
        el('td', {}, cell(x.last30Days)),
        el('td', {}, cell(x.last7Days)),
      );
    append(
      root,
      el(
        'div',
        { class: 'scroll-x' },
        el(
          'table',
          { id: 'dia-treasury' },
          el('thead', {}, el('tr', {}, el('th', {}, ''), el('th', {}, 'all time'), el('th', {}, '30 days'), el('th', {}, '7 days'))),
          el('tbody', {}, row('Spent', t.spent), row('Earned', t.earned)),
        ),
      ),
    );
  } catch (err) {
    onError(err);
  }
}
