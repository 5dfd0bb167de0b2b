/**
 * The domain: Fleetyard's vocabulary as types and schemas. Depends on nothing but zod; every
 * other layer depends on it (stack.ts also on `yaml`). See ../../ARCHITECTURE.md.
 */
export { FleetyardError, ERROR_CODES, isFleetyardError, notFound } from './errors.ts';
export type { ErrorCode } from './errors.ts';
export type { IdSource } from './ids.ts';
export { uuidV7Ids, isId } from './ids.ts';
export type { Clock } from './clock.ts';
export { systemClock, FakeClock } from './clock.ts';
