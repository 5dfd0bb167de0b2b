import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { FleetyardError } from '../domain/errors.ts';
import { isId } from '../domain/ids.ts';

/** Pieces every route's schema is built from. Request schemas are strict: unknown fields are refused. */

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Stable FY_… code, see docs/errors.md' }),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .meta({ id: 'Error' });

export const errorResponses = {
  400: errorSchema,
  404: errorSchema,
  409: errorSchema,
};

export const idParams = z.strictObject({ id: z.string().max(100) });

/** A path on the server (an import's source); where it may point is the import directories' call. */
export const serverPath = z
  .string()
  .min(2)
  .max(4096)
  .refine((s) => isAbsolute(s) && !s.includes('\0'), 'must be an absolute path on the server');

/** IDs are checked apart from schema validation so a malformed one gets FY_BAD_ID. */
export function requireId(id: string): string {
  if (!isId(id)) throw new FleetyardError('FY_BAD_ID', `"${id.slice(0, 64)}" is not a valid ID`);
  return id;
}

export const paginationQuery = {
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
};

/**
 * No stored name, ID or state holds a control character, so a filter with one can match nothing;
 * refusing it here also keeps NUL away from PostgreSQL, which rejects it in a text parameter.
 */
export const filterString = z.string().max(200).regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters');
const filterValue = filterString.min(1);

/** A strict list query with the given filters. */
export function listQuery<K extends string>(filters: readonly K[]) {
  const shape = Object.fromEntries(filters.map((f) => [f, filterValue.optional()])) as Record<K, z.ZodOptional<z.ZodString>>;
  return z.strictObject({ ...paginationQuery, ...shape });
}

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** Splits a parsed list query into pagination and filters. */
export function splitQuery(q: Record<string, unknown>): {
  cursor: string | undefined;
  limit: number | undefined;
  filters: Record<string, string | undefined>;
} {
  const { cursor, limit, ...filters } = q as { cursor?: string; limit?: number } & Record<string, string | undefined>;
  return { cursor, limit, filters };
}
