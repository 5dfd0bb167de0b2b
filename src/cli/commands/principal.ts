import { isId } from '../../domain/ids.ts';
import type { Principal } from '../../domain/user.ts';
import type { ApiClient } from '../api-client.ts';

/**
 * Who the caller is, and names of users resolved the way a cloud user can. The user list is for
 * admins only, so a user who names themselves (`ccu balance --user alice`, `user set-key alice`)
 * is resolved through `GET /auth/me` instead of being refused.
 */
export function whoAmI(client: ApiClient): Promise<Principal> {
  return client.get<Principal>('/api/v1/auth/me');
}

/** The ID of a user named by ID or name; yourself without asking the admin-only user list. */
export async function resolveUser(client: ApiClient, idOrName: string): Promise<string> {
  const me = await whoAmI(client);
  if (idOrName === me.name || idOrName === me.userId) return me.userId;
  if (me.role !== 'admin' && isId(idOrName)) return idOrName; // the server answers 404 for others
  return client.resolveId('users', idOrName);
}
