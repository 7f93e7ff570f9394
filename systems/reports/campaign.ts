/**
 * Brand campaigns: events attributed by `campaignId` make a funnel (reached, engaged, bought) and, given a budget,
 * the return on it in the budget's currency.
 * Reached: distinct listeners with any attributed event; engaged: a play, vote or attendance; purchasers: a completed
 * purchase. Rates are percent of reached, one decimal (null when nobody was reached); the ROI is (revenue − budget) ÷
 * budget, percent, one decimal, null without a budget; revenue in other currencies is not converted, and not counted.
 */
import { percentOf } from '../numbers.js';
import type { ReportData } from './reportData.js';

export type CampaignFigures = NonNullable<ReportData['campaign']>;
export type CampaignCounts = Pick<CampaignFigures, 'reached' | 'engaged' | 'purchasers' | 'purchases' | 'revenue'>;
export type CampaignBudget = NonNullable<CampaignFigures['budget']>;

export function campaignFigures(counts: CampaignCounts, budget: CampaignBudget | null): CampaignFigures {
  const currency = budget?.currency.toUpperCase();
  const inBudgetCurrency = budget ? (counts.revenue.find((r) => r.currency.toUpperCase() === currency)?.cents ?? 0) : null;
  return {
    ...counts,
    engagementRate: percentOf(counts.engaged, counts.reached),
    conversionRate: percentOf(counts.purchasers, counts.reached),
    budget: budget ? { amountCents: budget.amountCents, currency: currency! } : null,
    revenueInBudgetCurrencyCents: inBudgetCurrency,
    roi: budget && inBudgetCurrency !== null ? percentOf(inBudgetCurrency - budget.amountCents, budget.amountCents) : null,
    costPerPurchaseCents: budget && counts.purchases > 0 ? Math.round(budget.amountCents / counts.purchases) : null,
    costPerReachedCents: budget && counts.reached > 0 ? Math.round(budget.amountCents / counts.reached) : null,
  };
}
