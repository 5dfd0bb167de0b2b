import { isIP } from 'node:net';
import ssh2 from 'ssh2';
import { z } from 'zod';
import { ANTI_AFFINITY_GROUP, placementPolicySchema, RESERVED_LABEL_PREFIX } from '../domain/placement-constraints.ts';
import { sshPublicKeySchema } from '../domain/user.ts';

/**
 * Checks at the door for what a driver or a tool would refuse later, when it is too late to tell
 * the caller: each answers FY_VALIDATION with the field (zod's issue path). Kept apart from the
 * domain schemas, which describe what is stored, because some checks need a parser from the
 * dependencies (SSH keys) or the limits of a protocol (IPMI).
 */

const CONTROL = /[\u0000-\u001f\u007f]/;

/** Text a person typed: a name of a token, a note, a comment; no control characters, no line breaks. */
export const freeText = (max: number) => z.string().max(max).refine((s) => !CONTROL.test(s), 'must not contain control characters or line breaks');

/**
 * One OpenSSH public key line that ssh2's parser reads as a public key, with a comment of
 * printable characters only (a TAB or other control character in it broke the login later).
 */
export const sshPublicKeyInput = sshPublicKeySchema
  .refine((line) => !CONTROL.test(line), 'must be one line without control characters (a TAB in the comment included)')
  .refine((line) => {
    const key = ssh2.utils.parseKey(line);
    return !(key instanceof Error) && !Array.isArray(key) && !key.isPrivateKey();
  }, 'is not a public key OpenSSH can read');

/**
 * A kernel command line as a boot loader and iPXE take it: printable ASCII on one line (iPXE
 * starts a new command at a line break and expands `${…}`), at most 1024 bytes so the
 * parameters Fleetyard adds still fit the kernel's 2048.
 */
export const kernelCmdlineInput = z
  .string()
  .max(1024)
  .regex(/^[\x20-\x7e]*$/, 'must be printable ASCII on one line')
  .refine((s) => !s.includes('${'), 'must not contain "${" (iPXE would expand it)');

/** What IPMI allows: a user name of at most 16 bytes and a password of at most 20 (IPMI 2.0), printable ASCII. */
export const bmcUserInput = z.string().min(1).max(16).regex(/^[\x21-\x7e]+$/, 'must be 1-16 printable ASCII characters without spaces (IPMI user names)');
export const bmcPasswordInput = z.string().min(1).max(20).regex(/^[\x20-\x7e]+$/, 'must be 1-20 printable ASCII characters (the IPMI 2.0 limit)');

const HOSTNAME = /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** A BMC's address: an IPv4 or IPv6 address, or a DNS host name. */
export const bmcAddressInput = z
  .string()
  .min(1)
  .max(253)
  .refine((s) => isIP(s) !== 0 || HOSTNAME.test(s), 'must be an IP address or a host name');

/** An argument of an appliance's command: anything but NUL, which no process argument can hold. */
export const commandArgInput = z.string().min(1).max(4096).refine((s) => !s.includes('\u0000'), 'must not contain NUL');

/** Label values, like names, carry no control characters (they end up in logs, tables and DNS records). */
export const labelsInput = z
  .record(z.string().regex(/^[a-z0-9][a-z0-9._/-]{0,62}$/), freeText(253))
  .refine((l) => Object.keys(l).length <= 32, 'at most 32 labels');

/** An appliance's placement constraints (src/domain/placement-constraints.ts). */
export const placementInput = z
  .strictObject({
    hostLabels: labelsInput.optional().meta({ description: 'Labels the host must carry, each with this value (fleetyard host label)' }),
    antiAffinity: z
      .string()
      .regex(ANTI_AFFINITY_GROUP, 'a group name: lowercase letters, digits and dashes, at most 63')
      .nullable()
      .optional()
      .meta({ description: "Anti-affinity group: no two of the owner's appliances in it share a host" }),
    policy: placementPolicySchema.nullable().optional().meta({ description: "How the hosts that fit are ranked: spread, pack or energy-aware; absent: the installation's" }),
  })
  .meta({ description: 'Where it may run: host labels, an anti-affinity group and a ranking policy, honoured by every placement and failover' });

/** Labels an admin puts on a host: Fleetyard's own prefix (fleetyard.io/) is not theirs to set. */
export const hostLabelsInput = labelsInput.refine(
  (l) => Object.keys(l).every((k) => !k.startsWith(RESERVED_LABEL_PREFIX)),
  `labels under ${RESERVED_LABEL_PREFIX} are Fleetyard's own`,
);
