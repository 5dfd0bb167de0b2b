import { InvalidArgumentError } from 'commander';

/**
 * Parsers for option values. They throw commander's InvalidArgumentError so a bad value is a
 * usage error (exit 2) reported with the option's name, before any request is sent.
 */
export function integer(min: number, max: number): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError('must be a whole number');
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`must be between ${min} and ${max}`);
    return n;
  };
}

/** Seconds for `--timeout`, returned in milliseconds; fractions are allowed (0.5). */
export function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number of seconds');
  return Math.round(n * 1000);
}

export const DEFAULT_WAIT_TIMEOUT_MS = 300_000;

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** A duration such as `90s`, `15m`, `1h` or `7d` (a bare number is seconds), in seconds. */
export function duration(value: string): number {
  const m = /^(\d+)([smhd]?)$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError('must be a duration such as 30m, 1h or 2d');
  const n = Number(m[1]) * (UNIT_SECONDS[m[2] || 's'] as number);
  if (n <= 0) throw new InvalidArgumentError('must be longer than 0');
  return n;
}
