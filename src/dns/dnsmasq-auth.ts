import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';
import { nameSchema } from '../domain/names.ts';
import type { DaemonSpec } from '../boot/daemon.ts';

const ipAddress = z.string().refine((v) => isIP(v) !== 0, 'an IP address');
const cidr = z.string().regex(/^[0-9a-fA-F:.]+\/\d{1,3}$/).refine((v) => isIP(v.split('/')[0] ?? '') !== 0, 'a prefix');
const dnsName = z.string().max(253).regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/);

/**
 * What the agent needs to serve one network's zone: the zone, the prefixes it covers (IPv4 and,
 * when the network has one, IPv6) and where to answer (the gateway, which every host's bridge of
 * the network carries). `records` are the network's whole A and AAAA set; the reverse (PTR)
 * answers follow from them. Parsed by the agent before any of it reaches a file or a command
 * line: the network name becomes a directory, the records lines of a hosts file.
 */
export const embeddedZoneSchema = z.object({
  /** A name: safe as a path segment (src/domain/names.ts). */
  network: nameSchema,
  bridge: z.string().regex(/^[a-zA-Z0-9_.-]{1,15}$/),
  gateway: ipAddress,
  zone: dnsName,
  cidrs: z.array(cidr).min(1).max(2),
  records: z.array(z.object({ name: dnsName, type: z.enum(['A', 'AAAA']), value: ipAddress })).max(100_000),
});
export type EmbeddedZone = z.infer<typeof embeddedZoneSchema>;

export interface ZonePaths {
  dir: string;
  hostsDir: string;
  pidFile: string;
  logFile: string;
}

export function zonePaths(stateDir: string, network: string): ZonePaths {
  const dir = join(stateDir, network);
  return { dir, hostsDir: join(dir, 'hosts.d'), pidFile: join(dir, 'dnsmasq.pid'), logFile: join(dir, 'dnsmasq.log') };
}

/**
 * dnsmasq as an authoritative-only server for the zone and its reverse zones (`auth-zone`),
 * answering on the gateway address alone: no recursion (`no-resolv`), no /etc/hosts, no DHCP.
 * The names come from a hosts directory, which dnsmasq watches with inotify, so a change needs
 * no restart. Everything is on the command line; /etc/dnsmasq.conf is not read.
 */
export function authDnsmasqArgs(z: EmbeddedZone, paths: ZonePaths, port = 53): string[] {
  const ns = `ns.${z.zone}`;
  return [
    '--keep-in-foreground',
    '--conf-file=/dev/null',
    // No pid file of its own (the agent keeps its pid): the default /var/run/dnsmasq.pid is one
    // per machine, and a second dnsmasq starting at the same moment failed on it.
    '--pid-file=',
    `--port=${port}`,
    `--listen-address=${z.gateway}`,
    '--bind-interfaces',
    '--no-resolv',
    '--no-hosts',
    `--hostsdir=${paths.hostsDir}`,
    `--auth-server=${ns},${z.gateway}`,
    `--auth-zone=${[z.zone, ...z.cidrs].join(',')}`,
    '--auth-ttl=30',
    `--host-record=${ns},${z.gateway}`,
    `--local=/${z.zone}/`,
    '--domain-needed',
    '--user=root',
    `--log-facility=${paths.logFile}`,
  ];
}

/** The hosts file of the zone: one line per address, its name after it. */
export function hostsFile(z: EmbeddedZone): string {
  return z.records.map((r) => `${r.value} ${r.name}\n`).join('');
}

/**
 * The zone's dnsmasq as a daemon of the agent. Unlike the boot service's, it ends with the agent:
 * a server whose records nobody keeps up to date must not answer, and a killed agent leaves no
 * process behind. A restarted agent starts it again when the control plane sends the records at
 * its registration.
 *
 * dnsmasq drops capabilities at start, which clears any parent-death signal it was given, so it
 * runs as the second process of a PID namespace of its own: `setpriv --pdeathsig KILL` ends
 * `unshare` with the agent, `--kill-child` then ends the namespace's first process (a shell that
 * does not exec dnsmasq), and the kernel ends everything left in a namespace whose first process
 * is gone.
 */
export function authDnsmasqDaemon(z: EmbeddedZone, paths: ZonePaths, port = 53): DaemonSpec {
  return {
    name: `DNS server of network ${z.network}`,
    command: 'setpriv',
    args: ['--pdeathsig', 'KILL', 'unshare', '--pid', '--fork', '--kill-child=KILL', 'sh', '-c', '"$0" "$@"; exit $?', 'dnsmasq', ...authDnsmasqArgs(z, paths, port)],
    pidFile: paths.pidFile,
    logFile: paths.logFile,
    marker: `--hostsdir=${paths.hostsDir}`,
    // `unshare --fork` ignores TERM; its end ends the namespace, dnsmasq with it.
    stopSignal: 'SIGKILL',
    async ready({ logOffset }) {
      const log = await readFile(paths.logFile).catch(() => Buffer.alloc(0));
      return log.subarray(logOffset).includes('started, version');
    },
  };
}
