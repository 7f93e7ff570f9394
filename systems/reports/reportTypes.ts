/** Seed 004 table 4's report types (migration 019 renamed `campaign` to the seed's `brand_campaign`). Pure. */
export const REPORT_TYPES = ['artist', 'event', 'city', 'brand_campaign', 'tournament'] as const;
export type ReportType = (typeof REPORT_TYPES)[number];
