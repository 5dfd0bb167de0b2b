import { generatePassword } from '../identity/passwords.ts';
import type { SecretBox } from '../identity/secret-box.ts';
import type { User } from '../domain/user.ts';

/**
 * The login a cloud user gets inside their appliances: their SSH key when they registered one,
 * else a generated password (sealed at rest, sent once by mail).
 */
export function posixName(name: string): string {
  const n = name.toLowerCase().replace(/[^a-z0-9_-]/g, '_').replace(/^[^a-z_]+/, '');
  const base = (n.length > 0 ? n : 'user').slice(0, 32);
  // Names the base image already uses are refused, so a user named "root" cannot take it over.
  return ['root', 'daemon', 'bin', 'sys', 'nobody', 'sshd'].includes(base) ? `u_${base}` : base;
}

export interface ApplianceLogin {
  user: string;
  sshPublicKey: string | null;
  passwordSealed: string | null;
}

export function loginFor(user: User, box: SecretBox): ApplianceLogin {
  const key = user.spec.sshPublicKey;
  return { user: posixName(user.name), sshPublicKey: key, passwordSealed: key ? null : box.seal(generatePassword()) };
}
