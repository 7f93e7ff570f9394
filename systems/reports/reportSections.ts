/** A report's type-specific sections (tournament standings, campaign funnel), worded once for the page and the PDF. */
import type { CampaignFigures } from './campaign.js';
import { formatMoney } from '../money.js';
import { fmtInt } from './reportFigures.js';
import type { Standings } from './tournament.js';

const ordinalMove = (m: number | null): string => (m === null ? '' : m > 0 ? ` · ▲${m}` : m < 0 ? ` · ▼${-m}` : ' · =');

/** In rank order ("—" for a city with no engagement). */
export function standingLines(s: Standings) {
  return s.rows.map((r) => ({
    rank: r.rank === null ? '—' : `#${r.rank}`,
    city: r.city,
    engagement: fmtInt(r.engagement),
    share: `${r.share.toFixed(1)}%`,
    previous: `${r.previousRank === null ? 'unranked' : `#${r.previousRank}`} before (${fmtInt(r.previousEngagement)})${ordinalMove(r.movement)}`,
  }));
}

/** Who leads, by how much, or why nobody does. */
export function standingsHeadline(s: Standings): string {
  if (s.total === 0) return 'No engagement from these cities in this range.';
  if (!s.winner) return `Shared first place · ${fmtInt(s.total)} engagement events in all`;
  const [first, second] = s.rows;
  const lead = second ? ` by ${fmtInt(first.engagement - second.engagement)}` : '';
  return `${s.winner} leads${lead} · ${fmtInt(s.total)} engagement events in all`;
}

export interface FigureLine {
  label: string;
  value: string;
  note: string | null;
}

const pct = (x: number | null): string => (x === null ? '—' : `${x.toFixed(1)}%`);

export function campaignLines(c: CampaignFigures): FigureLine[] {
  const lines: FigureLine[] = [
    { label: 'Listeners reached', value: fmtInt(c.reached), note: 'any event carrying the campaign id' },
    { label: 'Listeners engaged', value: fmtInt(c.engaged), note: `${pct(c.engagementRate)} of reached · played, voted or attended` },
    {
      label: 'Listeners who bought',
      value: fmtInt(c.purchasers),
      note: `${pct(c.conversionRate)} conversion · ${fmtInt(c.purchases)} purchase${c.purchases === 1 ? '' : 's'}`,
    },
  ];
  if (!c.budget) {
    lines.push({ label: 'Return on budget', value: '—', note: 'no budget given with the report request' });
    return lines;
  }
  const spent = formatMoney(c.budget.amountCents, c.budget.currency);
  lines.push(
    { label: 'Budget', value: spent, note: null },
    {
      label: `Revenue (${c.budget.currency})`,
      value: formatMoney(c.revenueInBudgetCurrencyCents ?? 0, c.budget.currency),
      note: c.revenue.some((r) => r.currency !== c.budget!.currency) ? 'other currencies not converted' : null,
    },
    { label: 'Return on budget', value: pct(c.roi), note: '(revenue − budget) ÷ budget' },
    { label: 'Cost per purchase', value: c.costPerPurchaseCents === null ? '—' : formatMoney(c.costPerPurchaseCents, c.budget.currency), note: null },
    { label: 'Cost per listener reached', value: c.costPerReachedCents === null ? '—' : formatMoney(c.costPerReachedCents, c.budget.currency), note: null },
  );
  return lines;
}
