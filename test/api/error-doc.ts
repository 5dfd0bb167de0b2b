import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Reads the code table of `docs/errors.md`: rows of the form | `FY_…` | status | … |. Also
 * returns every FY_ token anywhere in the file, so a code mentioned only in prose is caught too.
 */
export const ERRORS_DOC = join(import.meta.dirname, '../../docs/errors.md');

export function readErrorDoc(): { rows: Map<string, number>; mentioned: Set<string> } {
  const text = readFileSync(ERRORS_DOC, 'utf8');
  const rows = new Map<string, number>();
  for (const m of text.matchAll(/^\|\s*`(FY_[A-Z_]+)`\s*\|\s*(\d{3})\s*\|/gm)) {
    const [, code, status] = m as unknown as [string, string, string];
    if (rows.has(code)) throw new Error(`${code} has two rows in docs/errors.md`);
    rows.set(code, Number(status));
  }
  const mentioned = new Set([...text.matchAll(/\bFY_[A-Z_]*[A-Z]\b/g)].map((m) => m[0]));
  return { rows, mentioned };
}
