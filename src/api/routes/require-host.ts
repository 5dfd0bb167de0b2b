import { FleetyardError } from '../../domain/errors.ts';
import { isHost, type Host } from '../../domain/host.ts';
import type { Repos } from '../../store/store.ts';

/** The host `id` names, read through `tx`; FY_VALIDATION on `id` for a resource that runs no agent. */
export async function requireHost(tx: Repos, id: string): Promise<Host> {
  const host = await tx.resources.require(id);
  if (!isHost(host)) throw new FleetyardError('FY_VALIDATION', `${host.name} is not a host (it runs no agent)`, { field: 'id' });
  return host;
}
