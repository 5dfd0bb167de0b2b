import { watch, type FSWatcher } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isMac, normalizeMac } from './mac.ts';

/**
 * Discovery of machines nobody registered (openQRM's "new resource" on an unknown MAC): dnsmasq
 * runs a lease hook for every lease it grants; the hook writes one event file into a spool
 * directory, and the boot service reads the spool and reports each machine it has no
 * reservation for. A file spool rather than a socket: the hook is a few lines of sh with
 * nothing to connect to, and events written while the agent was down are read when it is back.
 *
 * Event file: one line `ACTION MAC IP HOSTNAME` (`-` for no hostname), named so that names sort
 * in arrival order, written under a dot name and renamed so a reader never sees half of one.
 */

export interface DiscoveredMachine {
  /** The boot network it was seen on. */
  network: string;
  mac: string;
  /** The address dnsmasq lent it from the discovery range. */
  ip: string;
  /** The host name its DHCP client sent, if any. */
  hostname: string | null;
}

/** The lease hook: dnsmasq calls it as `HOOK add|old|del MAC IP [HOSTNAME]`. */
export function leaseHookScript(spoolDir: string): string {
  if (/['\n]/.test(spoolDir)) throw new RangeError(`unusable spool path: ${spoolDir}`);
  return [
    '#!/bin/sh',
    "# dnsmasq's --dhcp-script for one Fleetyard boot network (written by src/boot/discovery.ts).",
    '# Records granted and renewed leases as event files the boot service reads; nothing else.',
    'case "$1" in add|old) ;; *) exit 0 ;; esac',
    `spool='${spoolDir}'`,
    'name="$(date +%s%N)-$$"',
    'printf \'%s %s %s %s\\n\' "$1" "$2" "$3" "${4:--}" > "$spool/.$name" && mv "$spool/.$name" "$spool/$name.event"',
    '',
  ].join('\n');
}

/** Parses one event line; null for anything malformed (the spool is never trusted blindly). */
export function parseLeaseEvent(line: string): { action: string; mac: string; ip: string; hostname: string | null } | null {
  const [action, mac, ip, hostname, extra] = line.trim().split(' ');
  if (!action || !mac || !ip || !hostname || extra !== undefined) return null;
  if (!isMac(mac) || !/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) return null;
  if (hostname !== '-' && !/^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/.test(hostname)) return null;
  return { action, mac: normalizeMac(mac), ip, hostname: hostname === '-' ? null : hostname };
}

/**
 * Reads the spool as events arrive (inotify through fs.watch, plus one pass at start for what
 * came while nobody watched) and hands each parsed event to `onEvent`, then deletes its file.
 * Passes never overlap: a change during a pass schedules exactly one more.
 */
export class LeaseSpool {
  private watcher: FSWatcher | null = null;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly dir: string,
    private readonly onEvent: (e: { action: string; mac: string; ip: string; hostname: string | null }) => void,
  ) {}

  start(): Promise<void> {
    if (this.watcher === null) {
      // drain() failing leaves the files in the spool; the next change or start reads them again.
      this.watcher = watch(this.dir, () => {
        this.drain().catch(() => undefined);
      });
      this.watcher.on('error', () => undefined);
      // Watching alone must not keep a process alive that has nothing else to do.
      this.watcher.unref();
    }
    return this.drain();
  }

  async stop(): Promise<void> {
    this.watcher?.close();
    this.watcher = null;
    await this.running;
  }

  /** Reads every complete event file now; resolves when the spool has been emptied once. */
  drain(): Promise<void> {
    if (this.running !== null) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.pass();
      } while (this.again);
    })().finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<void> {
    const names = (await readdir(this.dir).catch(() => [] as string[])).filter((n) => n.endsWith('.event')).sort();
    for (const name of names) {
      const file = join(this.dir, name);
      const text = await readFile(file, 'utf8').catch(() => null);
      await rm(file, { force: true });
      const event = text === null ? null : parseLeaseEvent(text);
      if (event !== null) this.onEvent(event);
    }
  }
}
