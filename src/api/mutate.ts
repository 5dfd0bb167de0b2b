import type { NewEvent } from '../domain/event-types.ts';
import type { ObjectRepo, StoredObject } from '../store/object-repo.ts';
import type { Repos, Store } from '../store/store.ts';
import { retryOnVersionConflict } from '../store/version-retry.ts';

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
  return retryOnVersionConflict(() =>
    store.transaction(async (tx) => {
      const current = await repo(tx).require(id);
      const planned = change(current);
      if (!planned) return current;
      const written = await repo(tx).update(planned.next, store.clock.now(), true);
      await tx.emit(planned.event);
      return written;
    }),
  );
}
