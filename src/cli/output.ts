import Table from 'cli-table3';

/**
 * How results reach stdout. Humans get tables; `--json` gets the server's objects unchanged
 * (a list prints as one JSON array of all its pages' items) so scripts can pipe them to jq.
 * Diagnostics never go to stdout: they go to stderr (see progress.ts and main.ts).
 */

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | null | undefined;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A borderless table like `docker ps`: easy to read, easy to `grep` and `awk`. */
export function printTable<T>(rows: readonly T[], columns: readonly Column<T>[], opts: { header?: boolean } = {}): void {
  const table = new Table({
    head: opts.header === false ? [] : columns.map((c) => c.header),
    chars: BORDERLESS,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 2 },
  });
  for (const row of rows) table.push(columns.map((c) => cell(c.value(row))));
  process.stdout.write(`${table.toString()}\n`);
}

/** One object as FIELD / VALUE rows, nested fields flattened to dotted paths. */
export function printDetails(obj: Record<string, unknown>): void {
  const table = new Table({ chars: BORDERLESS, style: { head: [], border: [], 'padding-left': 0, 'padding-right': 2 } });
  for (const [key, value] of flatten(obj)) table.push([key, value]);
  process.stdout.write(`${table.toString()}\n`);
}

/** Prints JSON or a table, whichever the user asked for. */
export function printList<T>(json: boolean, rows: readonly T[], columns: readonly Column<T>[]): void {
  // An empty list still prints its header line, so `tail -n +2` style scripts behave the same.
  if (json) printJson(rows);
  else printTable(rows, columns);
}

export function printObject(json: boolean, obj: Record<string, unknown>): void {
  if (json) printJson(obj);
  else printDetails(obj);
}

function flatten(value: unknown, prefix = ''): [string, string][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
    return Object.entries(value).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  }
  return [[prefix, cell(value)]];
}

function cell(value: unknown): string {
  if (value === null || value === undefined || value === '') return '-';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** How long ago an ISO timestamp was, the way `kubectl get` shows age: 45s, 12m, 3h, 9d. */
export function age(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '-';
  const s = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  if (Number.isNaN(s)) return '-';
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172_800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

/** Bytes in the largest binary unit that keeps the number ≥ 1 (1.5 GiB). */
export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(1)} ${units[i]}`;
}

const BORDERLESS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '',
};
