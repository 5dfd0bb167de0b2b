import { FleetyardError } from '../domain/errors.ts';
import type { NewEvent } from '../domain/event.ts';
import type { ObjectRepo, StoredObject } from '../store/object-repo.ts';
import type { Repos, Store } from '../store/store.ts';

/**
 * Read-modify-write of one object's spec with its event, retried when a reconciler's status write
 * got in between (the optimistic version moved). `change` may throw to refuse the change.
 */
export async function mutateSpec<T extends StoredObject>(
  store: Store,
  repo: (tx: Repos) => ObjectRepo<T>,
  id: string,
  change: (current: T) => { next: T; event: NewEvent } | null,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await store.transaction(async (tx) => {
        const current = await repo(tx).require(id);
        const planned = change(current);
        if (!planned) return current;
        const written = await repo(tx).update(planned.next, store.clock.now(), true);
        await tx.emit(planned.event);
        return written;
      });
    } catch (e) {
      if (!(e instanceof FleetyardError && e.code === 'FY_VERSION_CONFLICT') || attempt >= 20) throw e;
    }
  }
}
