/** Parses request parts with the same zod schemas the OpenAPI document is generated from. */
import type { z } from 'zod';
import { ApiError, zodIssues } from './errors.ts';

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'params'): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = zodIssues(r.error, where);
  throw new ApiError('validation_failed', `invalid ${where}: ${issues[0]?.path}: ${issues[0]?.message}`, issues);
}
