import { v7 as uuidv7, validate, version } from 'uuid';

/** IDs are generated, never names. The source is injected so tests can predict them. */
export interface IdSource {
  next(): string;
}

export const uuidV7Ids: IdSource = { next: () => uuidv7() };

export function isId(value: string): boolean {
  return validate(value) && version(value) === 7;
}
