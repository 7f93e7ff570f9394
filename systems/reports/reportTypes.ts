export const REPORT_TYPES = ['artist', 'event', 'city', 'brand_campaign', 'tournament'] as const;
export type ReportType = (typeof REPORT_TYPES)[number];
