import { existsSync } from 'node:fs';
import { exec } from '../host/exec.ts';

/**
 * A Fleetyard network on a host is a Linux bridge carrying the network's gateway address. The
 * host reaches appliances through it and nothing else: no default route, no ip_forward, no NAT
 * is ever set up here, so appliances cannot reach beyond the host.
 *
 * Both operations are idempotent (`ip addr replace`, existence checks), so calling them again
 * after a crash converges instead of failing.
 */

export interface BridgeSpec {
  name: string;
  /** The network's IPv4 gateway and prefix length; null on an IPv6-only network. */
  gateway: string | null;
  prefixLength: number | null;
  /** The network's IPv6 gateway, when it has an IPv6 pool (added without duplicate address detection: the pool is Fleetyard's). */
  ipv6?: { gateway: string; prefixLength: number } | null;
}

export function linkExists(name: string): boolean {
  return existsSync(`/sys/class/net/${name}`);
}

/**
 * Creates the bridge if missing, gives it the gateway address and brings it up. Transmit
 * checksum offload is turned off because busybox's DHCP client drops offers whose checksum the
 * veth never filled in.
 */
export async function ensureBridge(spec: BridgeSpec): Promise<void> {
  assertLinkName(spec.name);
  const script = (add: boolean) =>
    [
      ...(add ? [`link add ${spec.name} type bridge`] : []),
      ...(spec.gateway !== null ? [`addr replace ${spec.gateway}/${spec.prefixLength} dev ${spec.name}`] : []),
      ...(spec.ipv6 ? [`addr replace ${spec.ipv6.gateway}/${spec.ipv6.prefixLength} dev ${spec.name} nodad`] : []),
      `link set ${spec.name} up`,
    ].join('\n') + '\n';
  const add = !linkExists(spec.name);
  try {
    await exec('ip', ['-batch', '-'], { input: script(add) });
  } catch (e) {
    // Someone else created it between our check and our add: converge on theirs.
    if (!add || !linkExists(spec.name)) throw e;
    await exec('ip', ['-batch', '-'], { input: script(false) });
  }
  await exec('ethtool', ['-K', spec.name, 'tx', 'off']);
}

/** Deletes the bridge; absent is fine. Attached veths are detached by the kernel. */
export async function removeBridge(name: string): Promise<void> {
  assertLinkName(name);
  if (!linkExists(name)) return;
  await exec('ip', ['link', 'del', name]);
}

/** Linux interface names: at most 15 bytes, no whitespace or slashes. */
export function assertLinkName(name: string): void {
  if (!/^[a-zA-Z0-9_.-]{1,15}$/.test(name)) throw new RangeError(`not a valid interface name: ${name}`);
}
