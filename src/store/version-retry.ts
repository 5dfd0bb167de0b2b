import { FleetyardError } from '../domain/errors.ts';

/**
 * Runs a read-modify-write again when someone else wrote the object in between (the optimistic
 * version moved: FY_VERSION_CONFLICT), up to `attempts` times; any other error goes straight out.
 * `write` must re-read what it changes, inside its own transaction.
 */
export async function retryOnVersionConflict<T>(write: () => Promise<T>, attempts = 20): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (e) {
      if (!(e instanceof FleetyardError && e.code === 'FY_VERSION_CONFLICT') || attempt >= attempts) throw e;
    }
  }
}
