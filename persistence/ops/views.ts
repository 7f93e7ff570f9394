/**
 * What the ops console reads from the ops API (`/api/ops/*`): the answers are declared once, as the schemas of
 * systems/ops/answers.ts (the routes declare them, the console reads their generated types); the server builds
 * them (features/ops/, the DIA reads beside this file) with these types.
 */
export type * from '../../systems/ops/answers.js';

/**
 * The passport writer's numbers as the ops panel needs them; `PassportWriter.stats()` satisfies it
 * as is. `persisted` is cumulative since start (the monitor derives events persisted per second).
 */
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
