/** Request parsing shared by route files: a body against its schema, a UUID path parameter. */
import { ValidationError } from './router.js';
import { issuesOf } from '../../systems/passport/validate.js';
import type { z } from 'zod';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = issuesOf(parsed.error).slice(0, 50);
  throw new ValidationError(`invalid ${what}: ${details.map((d) => d.field).join(', ')}; see details`, details);
}

export function uuidParam(raw: string | undefined, field: string): string {
  if (!raw || !UUID.test(raw)) throw new ValidationError(`${field} must be a UUID`, [{ field, message: `"${String(raw ?? '').slice(0, 64)}" is not a UUID` }]);
  return raw.toLowerCase();
}
