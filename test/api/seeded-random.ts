/**
 * A small seeded pseudo-random generator (mulberry32) so a generated test is reproducible: the
 * same seed gives the same cases, in the same order. Not for anything that needs real randomness.
 */
export interface Rng {
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  /** `length` characters drawn from `alphabet`. */
  string(length: number, alphabet?: string): string;
  bytes(length: number, min?: number, max?: number): Buffer;
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function seededRandom(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    seed,
    next,
    int,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[int(0, items.length - 1)] as T;
    },
    chance: (p) => next() < p,
    string(length, alphabet = ALNUM) {
      const chars = [...alphabet]; // by code point, so a pair of surrogates is never split
      let s = '';
      for (let i = 0; i < length; i++) s += chars[int(0, chars.length - 1)];
      return s;
    },
    bytes(length, min = 0, max = 255) {
      const b = Buffer.alloc(length);
      for (let i = 0; i < length; i++) b[i] = int(min, max);
      return b;
    },
  };
}

/** The seed from FLEETYARD_TEST_SEED when set (to replay a failure), a fresh one otherwise. */
export function chooseSeed(): number {
  const fromEnv = process.env.FLEETYARD_TEST_SEED;
  if (fromEnv !== undefined && fromEnv !== '') {
    const n = Number(fromEnv);
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`FLEETYARD_TEST_SEED must be a 32-bit unsigned integer, got ${fromEnv}`);
    return n;
  }
  return Math.floor(Math.random() * 0x1_0000_0000);
}
