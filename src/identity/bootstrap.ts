import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../store/store.ts';
import type { IdentityService } from './identity-service.ts';
import { generatePassword } from './passwords.ts';

export const ADMIN_TOKEN_FILE = 'admin.token';

/**
 * The first start of an empty installation creates the `admin` user and an API token for it,
 * written to DATA_DIR/admin.token (mode 0600, readable by root only). The CLI on the same machine
 * uses that file, so the embedded quick start needs no login step. Later starts only read it.
 */
export async function ensureBootstrapAdmin(store: Store, identity: IdentityService, dataDir: string): Promise<string | undefined> {
  const file = join(dataDir, ADMIN_TOKEN_FILE);
  if ((await store.read.users.count()) > 0) {
    return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
  }
  const admin = await identity.createUser(
    'admin',
    { email: 'admin@fleetyard.invalid', role: 'admin', groupId: null, sshPublicKey: null, disabled: false },
    generatePassword(),
  );
  const { token } = await identity.createToken(admin.id, 'bootstrap');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}
