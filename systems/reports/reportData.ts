/** A report's figures as stored: the API answers them (ReportData), the page and the PDF render them. */
import { z } from 'zod';

const n = z.number();
const maybe = n.nullable();
const money = z.array(z.object({ currency: z.string(), cents: n }));
/** A range's counts; the optional ones are absent from reports made before they were counted. */
const counts = z
  .object({
    events: n,
    uniqueUsers: n,
    plays: n,
    likes: n,
    skips: n.optional(),
    visits: n,
    captures: n,
    votes: n,
    attendance: n,
    views: n.optional(),
    purchases: n,
    /** Purchases attributed to the subject, per currency. */
    revenue: money,
    /** Payouts attributed to it. */
    earned: money.optional(),
    /** Plays finished (completion rate = completions ÷ plays), share links made and their counted opens. */
    completions: n.optional(),
    shares: n.optional(),
    linkOpens: n.optional(),
  })
  .meta({ title: 'ReportMetrics' });
const band = z.enum(['strong', 'good', 'moderate', 'weak']);

/** The generated report's figures (features/reports/generateReport.ts): every report's, and a tournament's or a campaign's own. */
export const reportDataSchema = z
  .looseObject({
    subject: z.object({ type: z.string(), id: z.string(), name: z.string() }),
    range: z.object({ from: z.string(), to: z.string(), label: z.string() }),
    metrics: counts,
    previous: z.object({ from: z.string(), to: z.string(), metrics: counts }),
    trends: z.object({ daily: z.array(z.object({ day: z.string(), events: n, uniqueUsers: n })), changePercent: z.record(z.string(), maybe) }),
    leaderboard: z
      .object({
        leaderboard: z.string(),
        metric: z.string(),
        rank: maybe,
        previousRank: maybe,
        outOf: n,
        score: n,
        trend: z.string().nullable(),
        change: maybe,
      })
      .nullable(),
    dna: z.looseObject({
      listenersAnalysed: n,
      audience: n,
      averageMatch: n,
      band: band.nullable(),
      distribution: z.record(z.string(), z.object({ count: n, share: n })),
      domains: z.record(z.string(), maybe),
      topDomain: z.object({ domain: z.string(), averageMatch: n }).nullable(),
      clusters: z.array(z.object({ name: z.string(), size: n, share: n, averageMatch: n })),
      subjectDna: z.string(),
    }),
    tournament: z
      .object({
        rows: z.array(z.object({ city: z.string(), engagement: n, share: n, rank: maybe, previousEngagement: n, previousRank: maybe, movement: maybe })),
        winner: z.string().nullable(),
        total: n,
        field: z.enum(['named', 'all']),
        metric: z.string(),
        leaderboard: z.string(),
      })
      .optional(),
    campaign: z
      .object({
        reached: n,
        engaged: n,
        purchasers: n,
        purchases: n,
        revenue: money,
        engagementRate: maybe,
        conversionRate: maybe,
        budget: z.object({ amountCents: n, currency: z.string() }).nullable(),
        revenueInBudgetCurrencyCents: maybe,
        roi: maybe,
        costPerPurchaseCents: maybe,
        costPerReachedCents: maybe,
      })
      .optional(),
  })
  .meta({ title: 'ReportData' });
export type ReportData = z.output<typeof reportDataSchema>;
export type ReportMetrics = z.output<typeof counts>;
