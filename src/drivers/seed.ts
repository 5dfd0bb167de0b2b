import { constants } from 'node:fs';
import { lstat, mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { encrypt } from 'unixcrypt';
import { FleetyardError } from '../domain/errors.ts';
import type { RuntimeLogin } from './driver.ts';

/**
 * The seed: what an appliance learns at boot that is not in its image (its hostname and the
 * user's login), handed over the same way by every driver, like a cloud-init NoCloud seed. The
 * container driver writes it into the appliance's root before `runc run`; a VM driver puts the
 * same text on a small seed disk or the kernel command line. The appliance's init applies it,
 * deletes it, and only then announces itself.
 *
 * Format, version 2 — the file `/etc/fleetyard/seed` (mode 0600, owned by root), one line each:
 *
 *   version='2'
 *   hostname='web-1'
 *   login_user='alice'                         (empty: no login asked for)
 *   login_ssh_key='ssh-ed25519 AAAA… a@b'      (empty: none; one OpenSSH public key line)
 *   login_password_hash='$6$…$…'               (empty: none; SHA-512 crypt, as /etc/shadow holds it)
 *
 * Version 1 carried the password itself (`login_password`); version 2 carries only its hash,
 * made here from a random salt, so the seed can be read (a root tarball on a boot network, a
 * fw_cfg file, a clone's upper dir) without giving the password away: the appliance's init puts
 * the hash into /etc/shadow as it is.
 *
 * Every value is single-quoted with `'` written as `'\''`, so a POSIX shell may source the file
 * and nothing in it is ever expanded; no value holds a newline, CR, NUL or other control
 * character (checked here). Readers ignore keys they do not know, so keys can be added without
 * a new version.
 *
 * The appliance reports the outcome on its console, one line, before `fleetyard-appliance
 * <hostname> up`:
 *
 *   fleetyard-login <user> ready            the user exists and SSH accepts the credentials
 *   fleetyard-login <user> failed: <why>    the login could not be applied
 *
 * Invariants: a driver reports a start with a login as running only after `ready`; the seed is
 * rewritten on every start (so it is the truth for that boot, and a stale one with an old
 * password is replaced); the plaintext password is in no seed and nowhere else either: not in
 * errors, logs or observations.
 */

/** Where the seed lives, relative to the appliance's root. */
export const SEED_PATH = 'etc/fleetyard/seed';
export const SEED_VERSION = 2;

export interface SeedInput {
  hostname: string;
  login: RuntimeLogin | null;
}

/** POSIX portable user names, lower-case as useradd wants them; at most 32 characters. */
const USER_NAME = /^[a-z_][a-z0-9_.-]{0,31}$/;
/** One OpenSSH public key line: type, base64 blob, optional comment. */
const SSH_PUBLIC_KEY = /^[a-z0-9][a-z0-9@.-]* [A-Za-z0-9+/]+={0,3}( [^\x00-\x1f\x7f]*)?$/;
const CONTROL = /[\x00-\x1f\x7f]/;
const MAX_PASSWORD = 1024;

/** Checks a login; the error never quotes the password. */
export function validateLogin(login: RuntimeLogin): void {
  const bad = (what: string) => new FleetyardError('FY_VALIDATION', `login: ${what}`, { user: login.user });
  if (!USER_NAME.test(login.user)) throw bad('the user name must match [a-z_][a-z0-9_.-]{0,31}');
  const key = login.sshPublicKey;
  if (key !== null && (key.length > 16_384 || !SSH_PUBLIC_KEY.test(key))) {
    throw bad('the SSH public key must be one OpenSSH line: TYPE BASE64 [COMMENT]');
  }
  const pw = login.password;
  if (pw !== null && (pw.length === 0 || pw.length > MAX_PASSWORD || CONTROL.test(pw))) {
    throw bad(`the password must have 1 to ${MAX_PASSWORD} characters and no control characters`);
  }
}

/** The seed's text for one boot. Throws FY_VALIDATION for a value that cannot be carried safely. */
export function buildSeed(input: SeedInput): string {
  if (input.hostname.length === 0 || input.hostname.length > 253 || CONTROL.test(input.hostname)) {
    throw new FleetyardError('FY_VALIDATION', 'the hostname cannot be put in the seed', { hostname: input.hostname });
  }
  if (input.login) validateLogin(input.login);
  const values: [string, string][] = [
    ['version', String(SEED_VERSION)],
    ['hostname', input.hostname],
    ['login_user', input.login?.user ?? ''],
    ['login_ssh_key', input.login?.sshPublicKey ?? ''],
    ['login_password_hash', input.login?.password ? passwordHash(input.login.password) : ''],
  ];
  return values.map(([k, v]) => `${k}=${shellQuote(v)}\n`).join('');
}

/** SHA-512 crypt (`$6$`, 5000 rounds, 16 random salt characters): what glibc's crypt() and so dropbear check. */
export function passwordHash(password: string): string {
  return encrypt(password, '$6');
}

function shellQuote(v: string): string {
  return `'${v.replaceAll("'", `'\\''`)}'`;
}

/**
 * Writes the seed into `rootDir` (an appliance's root filesystem) at SEED_PATH, replacing any
 * earlier one, mode 0600, owned by root when the caller is root.
 *
 * The root belongs to the appliance, which may have turned any path in it into a symlink to the
 * host's files. So nothing is followed: each directory on the way must be a real directory (or
 * is created), the file is created new under a temporary name with O_EXCL|O_NOFOLLOW and renamed
 * into place (a rename replaces a symlink, never its target). This relies on no process of the
 * appliance running during the write, which holds for drivers that write before they start it.
 */
export async function writeSeed(rootDir: string, seed: string): Promise<void> {
  const parts = SEED_PATH.split('/');
  const name = parts.pop() as string;
  let dir = rootDir;
  let shown = '';
  for (const part of parts) {
    dir = join(dir, part);
    shown += `/${part}`;
    await ensureRealDir(dir, shown);
  }
  const tmp = join(dir, `.${name}.tmp`);
  await rm(tmp, { force: true });
  const fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    await fh.writeFile(seed);
    if (process.getuid?.() === 0) await fh.chown(0, 0);
    await fh.chmod(0o600);
  } finally {
    await fh.close();
  }
  await rename(tmp, join(dir, name));
}

async function ensureRealDir(path: string, shown: string): Promise<void> {
  let st = await lstat(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw e;
  });
  if (st === null) {
    await mkdir(path, { mode: 0o755 });
    st = await lstat(path);
  }
  if (!st.isDirectory()) {
    throw new FleetyardError('FY_DRIVER_FAILED', `cannot write the seed: ${shown} in the appliance is not a plain directory`);
  }
}

export type LoginOutcome = { state: 'ready' } | { state: 'failed'; reason: string } | { state: 'pending' };

/** Reads the appliance's verdict on `user`'s login from its console output (whole lines only). */
export function loginOutcome(consoleText: string, user: string): LoginOutcome {
  const ready = `fleetyard-login ${user} ready`;
  const failed = `fleetyard-login ${user} failed: `;
  const lines = consoleText.split('\n');
  lines.pop(); // a line without its newline may still be being written
  for (const line of lines) {
    if (line === ready) return { state: 'ready' };
    if (line.startsWith(failed)) return { state: 'failed', reason: line.slice(failed.length) };
  }
  return { state: 'pending' };
}
