/**
 * Brand campaigns: events attributed by `campaignId` make a funnel (reached, engaged, bought) and, given a budget,
 * the return on it in the budget's currency.
 */

export interface CampaignCounts {
  /** Distinct listeners with any attributed event. */
  reached: number;
  /** A play, vote or attendance. */
  engaged: number;
  /** A completed purchase. */
  purchasers: number;
  purchases: number;
  revenue: Array<{ currency: string; cents: number }>;
}

export interface CampaignBudget {
  amountCents: number;
  currency: string;
}

export interface CampaignFigures extends CampaignCounts {
  /** Percent of reached, one decimal; null when nobody was reached. */
  engagementRate: number | null;
  conversionRate: number | null;
  budget: CampaignBudget | null;
  /** Other currencies are not converted, and not counted here. */
  revenueInBudgetCurrencyCents: number | null;
  /** (revenue − budget) ÷ budget, percent, one decimal; null without a budget. */
  roi: number | null;
  costPerPurchaseCents: number | null;
  costPerReachedCents: number | null;
}

const rate = (part: number, whole: number): number | null => (whole > 0 ? Math.round((1000 * part) / whole) / 10 : null);

export function campaignFigures(counts: CampaignCounts, budget: CampaignBudget | null): CampaignFigures {
  const currency = budget?.currency.toUpperCase();
  const inBudgetCurrency = budget ? (counts.revenue.find((r) => r.currency.toUpperCase() === currency)?.cents ?? 0) : null;
  return {
    ...counts,
    engagementRate: rate(counts.engaged, counts.reached),
    conversionRate: rate(counts.purchasers, counts.reached),
    budget: budget ? { amountCents: budget.amountCents, currency: currency! } : null,
    revenueInBudgetCurrencyCents: inBudgetCurrency,
    roi: budget && inBudgetCurrency !== null ? Math.round((1000 * (inBudgetCurrency - budget.amountCents)) / budget.amountCents) / 10 : null,
    costPerPurchaseCents: budget && counts.purchases > 0 ? Math.round(budget.amountCents / counts.purchases) : null,
    costPerReachedCents: budget && counts.reached > 0 ? Math.round(budget.amountCents / counts.reached) : null,
  };
}
