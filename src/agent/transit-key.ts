import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Secrets on their way to one agent (a BMC password, a generated login password) are sealed to
 * that agent's key, so the bus carries only ciphertext and nothing but the agent that will use a
 * secret can open it, whether it runs inside the control plane or on another machine over NATS.
 *
 * Each agent keeps an X25519 key pair in DATA_DIR/transit.key (PKCS#8 PEM, mode 0600, made on
 * first use) and reports the public half when it registers. `sealFor` is an ECIES construction
 * from node:crypto parts: a fresh X25519 key per secret, ECDH with the agent's key, HKDF-SHA256
 * (salt: both public keys) to an AES-256-GCM key. Sealed form:
 * `t1.<ephemeral public key, base64url DER>.<base64url iv|tag|data>`.
 */
const INFO = Buffer.from('fleetyard transit seal v1');

export class TransitKey {
  /** The public key as base64url SPKI DER: what the agent reports and `sealFor` takes. */
  readonly publicKey: string;

  private constructor(private readonly key: KeyObject) {
    this.publicKey = createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('base64url');
  }

  static forDataDir(dataDir: string): TransitKey {
    const file = join(dataDir, 'transit.key');
    if (!existsSync(file)) {
      const { privateKey } = generateKeyPairSync('x25519');
      writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    }
    const key = createPrivateKey(readFileSync(file, 'utf8'));
    if (key.asymmetricKeyType !== 'x25519') throw new Error(`${file} does not hold an X25519 key`);
    return new TransitKey(key);
  }

  open(sealed: string): string {
    const [version, ephemeral, body] = sealed.split('.');
    if (version !== 't1' || !ephemeral || !body) throw new Error('not a secret sealed for an agent');
    const ephemeralKey = createPublicKey({ key: Buffer.from(ephemeral, 'base64url'), format: 'der', type: 'spki' });
    const aesKey = deriveKey(diffieHellman({ privateKey: this.key, publicKey: ephemeralKey }), ephemeral, this.publicKey);
    const raw = Buffer.from(body, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', aesKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}

/** Seals `plain` so that only the holder of the private half of `publicKey` can open it. */
export function sealFor(publicKey: string, plain: string): string {
  const recipient = createPublicKey({ key: Buffer.from(publicKey, 'base64url'), format: 'der', type: 'spki' });
  if (recipient.asymmetricKeyType !== 'x25519') throw new Error('not an X25519 public key');
  const { privateKey, publicKey: ephemeralKey } = generateKeyPairSync('x25519');
  const ephemeral = ephemeralKey.export({ type: 'spki', format: 'der' }).toString('base64url');
  const aesKey = deriveKey(diffieHellman({ privateKey, publicKey: recipient }), ephemeral, publicKey);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', aesKey, iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `t1.${ephemeral}.${Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64url')}`;
}

function deriveKey(shared: Buffer, ephemeral: string, recipient: string): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.from(`${ephemeral}.${recipient}`), INFO, 32));
}

/** Whether `s` parses as an X25519 public key in the form `publicKey` has. */
export function isTransitPublicKey(s: unknown): s is string {
  if (typeof s !== 'string' || s.length > 200) return false;
  try {
    return createPublicKey({ key: Buffer.from(s, 'base64url'), format: 'der', type: 'spki' }).asymmetricKeyType === 'x25519';
  } catch {
    return false;
  }
}
