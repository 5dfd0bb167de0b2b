import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { usageError } from '../cli-error.ts';

/**
 * Option values shared by the self-service cloud commands (user, request, ccu, quota, login).
 * Like option-parsers.ts they throw InvalidArgumentError, so a bad value is a usage error (exit 2)
 * before anything is sent; readers of files and stdin throw usageError for the same reason.
 */

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A point in time as an ISO string: an ISO date or time (`2026-03-02T10:00:00Z`, `2026-03-02`),
 * `now`, or an offset from now such as `+90m`, `+2h`, `+1d`, `+1h30m` (`-7d` for the past).
 * Relative times are taken when the command line is read, so `--start +1h --end +3h` is a
 * two-hour window whatever the network delay.
 */
export function when(value: string, now: number = Date.now()): string {
  const v = value.trim();
  if (v === 'now') return new Date(now).toISOString();
  const rel = /^([+-])((?:\d+[smhd])+)$/.exec(v);
  if (rel) {
    let ms = 0;
    for (const [, n, unit] of (rel[2] as string).matchAll(/(\d+)([smhd])/g)) ms += Number(n) * (UNIT_MS[unit as string] as number);
    return new Date(now + (rel[1] === '-' ? -ms : ms)).toISOString();
  }
  const t = /^\d{4}-\d{2}-\d{2}/.test(v) ? Date.parse(v) : NaN;
  if (Number.isNaN(t)) throw new InvalidArgumentError('must be an ISO time (2026-03-02T10:00:00Z), now, or relative (+90m, +2h, +1d)');
  return new Date(t).toISOString();
}

/**
 * A limit for `quota set`: a whole number, or `none` for unlimited. `none` stays a word here
 * because commander takes a parser's null for "no value given"; `unlimitedAsNull` maps it.
 */
export type Limit = number | 'none';

export function limit(value: string): Limit {
  if (value.trim() === 'none') return 'none';
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError('must be a whole number or "none"');
  return Number(value);
}

/** A monthly CCU limit: CCU with up to three decimals, or `none`. */
export function ccuLimit(value: string): Limit {
  return value.trim() === 'none' ? 'none' : ccu(value, true);
}

export const unlimitedAsNull = (l: Limit): number | null => (l === 'none' ? null : l);

/** CCU as people write it: at most three decimals (whole milli-CCU), like the API accepts. */
export function ccu(value: string, allowZero = false): number {
  if (!/^\d+(\.\d{1,3})?$/.test(value.trim())) throw new InvalidArgumentError('must be a CCU amount with at most three decimals');
  const n = Number(value);
  if (!allowZero && n <= 0) throw new InvalidArgumentError('must be more than 0');
  return n;
}

/** Collects a repeatable option's values in order. */
export function collect(value: string, all: string[] | undefined): string[] {
  return [...(all ?? []), value];
}

/**
 * A secret from stdin (`--password-stdin`), so it never shows in `ps` or the shell history. One
 * trailing newline is dropped, as `echo` and here-strings add it.
 */
export async function readStdinSecret(what: string): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write(`${what}, then Enter and Ctrl-D: `);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (text === '') throw usageError(`no ${what} on stdin`);
  return text;
}

/** One OpenSSH public key line from a file such as ~/.ssh/id_ed25519.pub. */
export function readSshKeyFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw usageError(`cannot read --ssh-key-file ${path}: ${(e as Error).message}`);
  }
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  if (lines.length !== 1) throw usageError(`--ssh-key-file ${path} must hold exactly one public key line (it has ${lines.length})`);
  return lines[0] as string;
}
