/** The ops API's answer types, declared once as the schemas in systems/ops/answers.ts. */
export type * from '../../systems/ops/answers.js';

/** `PassportWriter.stats()` satisfies it as is; `persisted` is cumulative since start. */
export interface PassportStatsInput {
  queueDepth: number;
  maxQueue: number;
  persisted: number;
  rejected: number;
  deadLettered: number;
  flushLatencyMsP50: number | null;
  flushLatencyMsMax: number | null;
  lastError: string | null;
  lastErrorAt: string | null;
  retrying: boolean;
}
