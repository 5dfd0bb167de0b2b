import { readFile } from 'node:fs/promises';
import { inNetwork, netmask, networkAddress, type BootNetwork } from './boot-network.ts';
import type { BootPaths } from './boot-paths.ts';
import type { DaemonSpec } from './daemon.ts';

/**
 * dnsmasq as the boot network's DHCP and TFTP server (DNS off: `--port=0`). All of its
 * configuration is on its command line, derived from the BootNetwork; nothing is read from
 * /etc/dnsmasq.conf. Reservations come from a hosts file that a SIGHUP rereads.
 *
 * What a machine gets:
 * - a machine with a reservation: its address; a machine without one: an address from the
 *   discovery range (if any), which also runs the lease hook that reports it;
 * - firmware that is already iPXE (user class "iPXE", QEMU's NIC ROMs among them): the boot
 *   script's URL over HTTP, plus iPXE's `no-pxedhcp` option so it does not wait for ProxyDHCP
 *   offers that never come (about 2 s);
 * - other PXE firmware: iPXE itself over TFTP (undionly.kpxe for BIOS, ipxe.efi for x86-64
 *   UEFI), which then asks again as iPXE;
 * - no router and no DNS server: boot networks are never routed (invariant 7).
 *
 * dnsmasq keeps root (`--user=root`): the boot dir lives in the agent's root-only state dir and
 * dnsmasq rereads the hosts file and serves TFTP files from it after start-up.
 */
export function dnsmasqArgs(net: BootNetwork, paths: BootPaths): string[] {
  const mask = netmask(net.prefixLength);
  const base = `http://${net.serverAddress}:${net.httpPort}`;
  const args = [
    '--keep-in-foreground',
    '--conf-file=/dev/null',
    // No pid file of its own (the agent keeps its pid): the default /var/run/dnsmasq.pid is one
    // per machine, and a second dnsmasq starting at the same moment failed on it.
    '--pid-file=',
    '--port=0',
    `--interface=${net.bridge}`,
    '--bind-interfaces',
    '--user=root',
    `--log-facility=${paths.dnsmasqLog}`,
    '--log-dhcp',
    `--dhcp-leasefile=${paths.leases}`,
    `--dhcp-hostsfile=${paths.hostsFile}`,
    // Reserved addresses may lie anywhere in the subnet; only this range is handed out freely.
    `--dhcp-range=${networkAddress(net.serverAddress, net.prefixLength)},static,${mask},1h`,
    '--dhcp-authoritative',
    '--dhcp-option=option:router',
    '--dhcp-option=option:dns-server',
    '--dhcp-userclass=set:ipxe,iPXE',
    '--dhcp-option=tag:ipxe,encap:175,176,1',
    '--dhcp-match=set:efi64,option:client-arch,7',
    '--dhcp-match=set:efi64,option:client-arch,9',
    `--dhcp-boot=tag:ipxe,${base}/boot.ipxe`,
    `--dhcp-boot=tag:!ipxe,tag:efi64,ipxe.efi,,${net.serverAddress}`,
    `--dhcp-boot=tag:!ipxe,tag:!efi64,undionly.kpxe,,${net.serverAddress}`,
    '--enable-tftp',
    `--tftp-root=${paths.tftpDir}`,
    `--dhcp-script=${paths.leaseHook}`,
  ];
  if (net.discoveryRange !== null) {
    args.push(`--dhcp-range=${net.discoveryRange.first},${net.discoveryRange.last},${mask},10m`);
  }
  if (net.routerAdvertisements) {
    args.push('--enable-ra', `--ra-param=${net.bridge},60,0`, `--dhcp-range=::,constructor:${net.bridge},ra-only`);
  }
  return args;
}

/** The daemon spec of the network's dnsmasq; ready once this run logged its start. */
export function dnsmasqDaemon(net: BootNetwork, paths: BootPaths): DaemonSpec {
  const [command, args] = inNetwork(net, 'dnsmasq', dnsmasqArgs(net, paths));
  return {
    name: `dnsmasq of boot network ${net.name}`,
    command,
    args,
    pidFile: paths.dnsmasqPid,
    logFile: paths.dnsmasqLog,
    marker: paths.hostsFile,
    async ready({ logOffset }) {
      const log = await readFile(paths.dnsmasqLog).catch(() => Buffer.alloc(0));
      // dnsmasq logs this once its sockets are bound and it answers.
      return log.subarray(logOffset).includes('started, version');
    },
  };
}
