import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import type { SecretBox } from './secret-box.ts';

/**
 * The installation's configuration-management SSH key: one Ed25519 key pair with which the agent
 * of an appliance's host runs Ansible against it as root. The public half goes into every seed
 * of an appliance with configuration groups (root's authorized_keys); the private half exists in
 * plaintext only on the agent, for one run, in a 0600 file of a temporary directory removed
 * afterwards.
 *
 * At rest it lives in DATA_DIR/config-ssh.key (mode 0600, made on first use) as JSON
 * `{ publicKey, privateKeySealed }`, the private key sealed with the installation's SecretBox;
 * on its way to an agent it is sealed again to that agent's transit key (reconcile/host-secrets.ts).
 */
export class ConfigSshKey {
  private constructor(
    /** One OpenSSH public key line: `ssh-ed25519 AAAA… fleetyard-config`. */
    readonly publicKey: string,
    /** The OpenSSH private key, sealed with the SecretBox. */
    readonly privateKeySealed: string,
  ) {}

  static forDataDir(dataDir: string, box: SecretBox): ConfigSshKey {
    const file = join(dataDir, 'config-ssh.key');
    if (!existsSync(file)) {
      const pair = ssh2.utils.generateKeyPairSync('ed25519', { comment: 'fleetyard-config' });
      const stored = { publicKey: pair.public.trim(), privateKeySealed: box.seal(pair.private) };
      writeFileSync(file, JSON.stringify(stored), { mode: 0o600, flag: 'wx' });
    }
    const { publicKey, privateKeySealed } = JSON.parse(readFileSync(file, 'utf8')) as { publicKey?: unknown; privateKeySealed?: unknown };
    if (typeof publicKey !== 'string' || typeof privateKeySealed !== 'string') throw new Error(`${file} does not hold a configuration-management key`);
    return new ConfigSshKey(publicKey, privateKeySealed);
  }
}
