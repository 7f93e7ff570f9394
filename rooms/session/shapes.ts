/** Building blocks of the session room's reply schemas (replies.ts, journalReplies.ts). */
import { z } from 'zod';

/** A schema with the title its generated TS / Swift type is named after. */
export const named = <T extends z.ZodType>(schema: T, title: string, description?: string): T =>
  schema.meta({ title, ...(description ? { description } : {}) });

export const vec3Schema = named(z.object({ x: z.number(), y: z.number(), z: z.number() }), 'Vec3', 'A point in scene units.');
