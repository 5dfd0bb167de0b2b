import { z } from 'zod';
import { metaSchema } from './meta.ts';

/**
 * People who use Fleetyard. An admin runs the data center; a cloud user orders appliances through
 * cloud requests and sees only their own objects. The user's name is their login. The password
 * hash is never part of the object: it lives in its own column and never leaves the store.
 */
export const roleSchema = z.enum(['admin', 'user']);
export type Role = z.infer<typeof roleSchema>;

/** An OpenSSH public key line: type, base64 key, optional comment. */
export const sshPublicKeySchema = z
  .string()
  .max(16_384)
  .regex(/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/]+={0,3}( [^\n\r]{0,200})?$/, 'must be one OpenSSH public key line');

export const userSpecSchema = z.object({
  email: z.email().max(254),
  role: roleSchema,
  groupId: z.string().nullable(),
  sshPublicKey: sshPublicKeySchema.nullable(),
  disabled: z.boolean(),
  /** A new address the user asked for, until they enter the code mailed to it; no mail goes there before. */
  pendingEmail: z.email().max(254).nullable().optional(),
});
export const userStatusSchema = z.object({
  lastLoginAt: z.string().nullable(),
});
export const userSchema = metaSchema.extend({ spec: userSpecSchema, status: userStatusSchema });
export type UserSpec = z.infer<typeof userSpecSchema>;
export type User = z.infer<typeof userSchema>;

export const groupSpecSchema = z.object({ description: z.string().max(1000) });
export const groupSchema = metaSchema.extend({ spec: groupSpecSchema, status: z.object({}) });
export type Group = z.infer<typeof groupSchema>;

/** Who is asking: set by authentication on every API request. */
export interface Principal {
  userId: string;
  name: string;
  role: Role;
  groupId: string | null;
  via: 'token' | 'session';
}

export const isAdmin = (p: Principal): boolean => p.role === 'admin';
