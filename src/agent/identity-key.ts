import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A long-term Ed25519 signing key: an agent's identity (DATA_DIR/identity.key), made on first
 * use and enrolled with a join token, or the control plane's (DATA_DIR/control-plane.key), which
 * agents pin at enrolment. PKCS#8 PEM, mode 0600; the public half travels as base64url SPKI DER.
 * Every message on the bus is signed with one of these (signed-message.ts).
 */
export class IdentityKey {
  readonly publicKey: string;

  private constructor(private readonly key: KeyObject) {
    this.publicKey = createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('base64url');
  }

  static forDataDir(dataDir: string, fileName = 'identity.key'): IdentityKey {
    const file = join(dataDir, fileName);
    if (!existsSync(file)) {
      const { privateKey } = generateKeyPairSync('ed25519');
      try {
        writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
      } catch (e) {
        // Another process made it between the check and the write: use theirs.
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    const key = createPrivateKey(readFileSync(file, 'utf8'));
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${file} does not hold an Ed25519 key`);
    return new IdentityKey(key);
  }

  /** A key that lives only in memory (a test's stranger, which must not be able to sign as anyone). */
  static ephemeral(): IdentityKey {
    return new IdentityKey(generateKeyPairSync('ed25519').privateKey);
  }

  sign(data: Buffer): string {
    return sign(null, data, this.key).toString('base64url');
  }
}

/** Whether `signature` is `publicKey`'s over `data`; false for anything malformed, never a throw. */
export function verifySignature(publicKey: string, data: Buffer, signature: string): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(publicKey, 'base64url'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ed25519') return false;
    return verify(null, data, key, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}

/** Whether `s` parses as an Ed25519 public key in the form `publicKey` has. */
export function isIdentityPublicKey(s: unknown): s is string {
  if (typeof s !== 'string' || s.length > 200) return false;
  try {
    return createPublicKey({ key: Buffer.from(s, 'base64url'), format: 'der', type: 'spki' }).asymmetricKeyType === 'ed25519';
  } catch {
    return false;
  }
}
