import { FleetyardError } from '../domain/errors.ts';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Cursors are opaque to clients: base64url of the last key seen. */
export function encodeCursor(key: string | number): string {
  return Buffer.from(`c1:${key}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const raw = /^[A-Za-z0-9_-]{1,200}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const key = raw.slice(3);
  // Keys are IDs or sequence numbers: printable ASCII only (PostgreSQL refuses NUL in text).
  if (!raw.startsWith('c1:') || !/^[\x21-\x7e]{1,100}$/.test(key)) throw new FleetyardError('FY_BAD_CURSOR');
  return key;
}
