import { exec } from '../../host/exec.ts';
import { assertLinkName, linkExists } from '../../network/bridge.ts';
import { attachPortLines, ensurePortFilter, pinPortMac, removePortFilter, removePortFilters } from '../../network/port-filter.ts';

/**
 * A VM's link to its network: a persistent tap device on the network's bridge. QEMU opens it by
 * name (`-netdev tap,ifname=…,script=no`), so it is made before QEMU starts and outlives QEMU
 * until the driver removes it; its name comes from the appliance id (paths.ts), so a retry or a
 * restarted control plane finds it.
 *
 * The tap is a guarded bridge port (../../network/port-filter.ts): the guest's kernel is the
 * tenant's, so it can set any MAC or address and send any frame; the port lets through only
 * frames from the guest NIC's MAC (the one QEMU is given, paths.ts) and the appliance's addresses
 * (its IPv4 one; its IPv6 one and the link-local one of that MAC where the network has IPv6).
 * The filter is made before the tap joins the bridge and removed after the tap is deleted.
 *
 * Transmit checksum offload is turned off as on the bridge and the containers' veths: busybox's
 * DHCP client drops packets whose checksum nobody filled in.
 */
export interface TapSpec {
  tap: string;
  applianceId: string;
  bridge: string;
  /** The appliance's IPv4 address. */
  address: string;
  /** Its IPv6 address on the network, when the network has an IPv6 pool (the guest's own, set by cloud-init). */
  ipv6?: string | null;
  /** The guest NIC's MAC. */
  mac: string;
  /** The network's MTU, when it is not the default. */
  mtu?: number | undefined;
}

export async function ensureTap(spec: TapSpec): Promise<void> {
  const { tap, bridge, address, mac } = spec;
  assertLinkName(tap);
  assertLinkName(bridge);
  await ensurePortFilter({ port: tap, applianceId: spec.applianceId, mac, ipv4: address, ipv6: spec.ipv6 ?? null });
  const lines = [
    ...(linkExists(tap) ? [] : [`tuntap add dev ${tap} mode tap`]),
    ...(spec.mtu !== undefined ? [`link set dev ${tap} mtu ${spec.mtu}`] : []),
    ...attachPortLines(tap, bridge),
    // The address may have been another appliance's (or this one's before a restart).
    `neigh flush to ${address} dev ${bridge}`,
    ...(spec.ipv6 ? [`neigh flush to ${spec.ipv6} dev ${bridge}`] : []),
  ];
  await exec('ip', ['-batch', '-'], { input: lines.join('\n') + '\n' });
  await Promise.all([pinPortMac(tap, mac), exec('ethtool', ['-K', tap, 'tx', 'off'])]);
}

/** Deletes the tap, then its filter; absent is fine. */
export async function removeTap(tap: string): Promise<void> {
  assertLinkName(tap);
  if (linkExists(tap)) await exec('ip', ['link', 'del', tap]);
  await removePortFilter(tap);
}

/** Deletes every tap that exists of `taps`, then all their filters in one transaction; absent is fine. */
export async function removeTaps(taps: readonly string[]): Promise<void> {
  for (const t of taps) assertLinkName(t);
  const present = taps.filter((t) => linkExists(t));
  if (present.length > 0) await exec('ip', ['-batch', '-'], { input: present.map((t) => `link del ${t}`).join('\n') + '\n' });
  await removePortFilters(taps);
}
