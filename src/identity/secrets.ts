import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API tokens and session ids. A token is `fy_<tokenId>_<secret>`: the id finds the row, the
 * secret is compared by SHA-256 hash (it has 256 bits of entropy, so a slow hash adds nothing).
 * The whole token is shown once, at creation; only its hash is stored.
 */
export const sha256 = (s: string): string => createHash('sha256').update(s).digest('base64url');

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function formatToken(tokenId: string, secret: string): string {
  return `fy_${tokenId.replace(/-/g, '')}_${secret}`;
}

/** Splits a presented token; undefined when it cannot be one of ours. */
export function parseToken(token: string): { tokenId: string; secret: string } | undefined {
  const m = /^fy_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return undefined;
  const hex = m[1] as string;
  const tokenId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { tokenId, secret: m[2] as string };
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
