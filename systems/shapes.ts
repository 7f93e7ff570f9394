import { z } from 'zod';

/** The title names its generated TS / Swift type. */
export const named = <T extends z.ZodType>(schema: T, title: string, description?: string): T =>
  schema.meta({ title, ...(description ? { description } : {}) });

export const vec3Schema = named(z.object({ x: z.number(), y: z.number(), z: z.number() }), 'Vec3', 'A point in scene units.');
export type Vec3 = z.infer<typeof vec3Schema>;
