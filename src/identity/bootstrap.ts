import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../store/store.ts';
import type { IdentityService } from './identity-service.ts';
import { generatePassword } from './passwords.ts';

export const ADMIN_TOKEN_FILE = 'admin.token';
/** The admin's first password, for signing in to the web console; removed when it is changed. */
export const ADMIN_PASSWORD_FILE = 'admin.password';

/**
 * The first start of an empty installation creates the `admin` user with a generated password
 * (kept only as a hash in the store) and an API token, written once to DATA_DIR/admin.password and
 * DATA_DIR/admin.token (mode 0600, readable by root only). The CLI on the same machine uses the
 * token, so the quick start needs no login step; the password signs in to the web console until
 * `fleetyard user passwd admin` changes it. Later starts only read the token.
 */
export async function ensureBootstrapAdmin(store: Store, identity: IdentityService, dataDir: string): Promise<string | undefined> {
  const file = join(dataDir, ADMIN_TOKEN_FILE);
  if ((await store.read.users.count()) > 0) {
    return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
  }
  const password = generatePassword();
  const admin = await identity.createUser(
    'admin',
    { email: 'admin@fleetyard.invalid', role: 'admin', groupId: null, sshPublicKey: null, disabled: false },
    password,
  );
  const { token } = await identity.createToken(admin.id, 'bootstrap');
  writeFileSync(join(dataDir, ADMIN_PASSWORD_FILE), `${password}\n`, { mode: 0o600 });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}
