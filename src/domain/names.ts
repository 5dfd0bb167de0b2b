import { z } from 'zod';
import { NAME_PATTERN } from './name-pattern.ts';

export { NAME_PATTERN };

/**
 * Names are what people type; IDs are what the system keys on. A name is 1–63 characters of
 * letters, digits, '.', '_' or '-', starting with a letter or digit. Letters may be any Unicode
 * letter (names are UTF-8), but control characters, spaces and slashes never are, so a name is
 * always safe in a path segment, a hostname label (after `toHostname`) and a log line.
 */

export const nameSchema = z
  .string()
  .min(1)
  .max(63)
  .regex(NAME_PATTERN, 'must be 1-63 letters, digits, ".", "_" or "-", starting with a letter or digit');

export const labelsSchema = z
  .record(z.string().regex(/^[a-z0-9][a-z0-9._/-]{0,62}$/), z.string().max(253))
  .refine((l) => Object.keys(l).length <= 32, 'at most 32 labels');

/** A DNS-safe hostname label derived from a name (non-ASCII and separators become '-'). */
export function toHostname(name: string): string {
  const ascii = name
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
  return ascii.length > 0 ? ascii : 'appliance';
}
