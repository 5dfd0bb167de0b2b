import { constants } from 'node:fs';
import { lstat, mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { encrypt } from 'unixcrypt';
import { FleetyardError } from '../domain/errors.ts';
import type { RuntimeLogin, RuntimeNetwork } from './driver.ts';

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
 *   config_ssh_key='ssh-ed25519 AAAA… fleetyard-config'  (empty: none; root's key for configuration management)
 *
 *   more_interfaces='eth1=169.254.7.2/24 eth2=169.254.8.2/24'
 *                                              (empty: none; a VM's further NICs, in order, and
 *                                              the address of each; no route via any of them)
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
  /**
   * The installation's configuration-management public key (src/identity/config-ssh-key.ts):
   * the appliance's init adds it to root's authorized_keys and starts its SSH server, then says
   * `fleetyard-config-ssh ready` (or `… failed: <why>`) on its console.
   */
  configSshKey?: string | null;
  /** A VM's further NICs (eth1, …) with their addresses; a container's are set up from outside. */
  moreInterfaces?: ReadonlyArray<{ name: string; address: string; prefixLength: number }>;
}

const INTERFACE_NAME = /^eth[1-9]$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

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
  const configKey = input.configSshKey ?? '';
  if (configKey !== '' && (configKey.length > 16_384 || !SSH_PUBLIC_KEY.test(configKey))) {
    throw new FleetyardError('FY_VALIDATION', 'the configuration-management SSH key must be one OpenSSH line: TYPE BASE64 [COMMENT]');
  }
  const interfaces = (input.moreInterfaces ?? []).map((i) => {
    if (!INTERFACE_NAME.test(i.name) || !IPV4.test(i.address) || !Number.isInteger(i.prefixLength) || i.prefixLength < 1 || i.prefixLength > 32) {
      throw new FleetyardError('FY_VALIDATION', 'an interface cannot be put in the seed', { interface: i.name });
    }
    return `${i.name}=${i.address}/${i.prefixLength}`;
  });
  const values: [string, string][] = [
    ['version', String(SEED_VERSION)],
    ['hostname', input.hostname],
    ['login_user', input.login?.user ?? ''],
    ['login_ssh_key', input.login?.sshPublicKey ?? ''],
    ['login_password_hash', input.login?.password ? passwordHash(input.login.password) : ''],
    ['config_ssh_key', configKey],
    // Only when there are any, so the seed of an appliance on one network stays as it was.
    ...(interfaces.length > 0 ? [['more_interfaces', interfaces.join(' ')] as [string, string]] : []),
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
  await writeRootFile(rootDir, SEED_PATH, seed, 0o600);
}

/**
 * The appliance's resolver when its network has a DNS zone: the gateway, where the network's DNS
 * server answers (src/dns/), and the zone as its search domain. Null: the image's own stays.
 */
export function resolvConf(network: RuntimeNetwork): string | null {
  if (!network.dnsZone) return null;
  // The IPv4 gateway, or the IPv6 one on an IPv6-only network: the DNS server answers there.
  const server = network.gateway ?? network.ipv6?.gateway ?? '';
  if (!/^[0-9a-fA-F.:]+$/.test(server) || !/^[a-z0-9.-]+$/.test(network.dnsZone)) {
    throw new FleetyardError('FY_VALIDATION', 'the resolver cannot be written', { gateway: server, zone: network.dnsZone });
  }
  return `nameserver ${server}\nsearch ${network.dnsZone}\n`;
}

/** Where the resolver configuration lives, relative to the appliance's root. */
export const RESOLV_CONF_PATH = 'etc/resolv.conf';

/** A file of the appliance's root, written as the seed is (nothing followed; see writeSeed). */
export async function writeRootFile(rootDir: string, path: string, content: string, mode: number): Promise<void> {
  const parts = path.split('/');
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
  const fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
  try {
    await fh.writeFile(content);
    if (process.getuid?.() === 0) await fh.chown(0, 0);
    await fh.chmod(mode);
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
    throw new FleetyardError('FY_DRIVER_FAILED', `cannot write into the appliance: ${shown} in it is not a plain directory`);
  }
}

/** The appliance's verdict on the configuration-management key, from its console (whole lines only). */
export function configSshOutcome(consoleText: string): LoginOutcome {
  const lines = consoleText.split('\n');
  lines.pop();
  for (const raw of lines.reverse()) {
    const line = raw.replace(/\r$/, '');
    if (line === 'fleetyard-config-ssh ready') return { state: 'ready' };
    if (line.startsWith('fleetyard-config-ssh failed: ')) return { state: 'failed', reason: line.slice('fleetyard-config-ssh failed: '.length) };
  }
  return { state: 'pending' };
}

/** The SSH host key the appliance printed last (`fleetyard-ssh-host-key TYPE BASE64`), or null. */
export function sshHostKeyFromConsole(consoleText: string): string | null {
  const keys = [...consoleText.matchAll(/^fleetyard-ssh-host-key ([a-z0-9-]+ [A-Za-z0-9+/]+={0,3})(?: [^\r\n]*)?\r?$/gm)];
  return keys.at(-1)?.[1] ?? null;
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
