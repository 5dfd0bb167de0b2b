import { exec } from '../../host/exec.ts';
import { assertLinkName, linkExists } from '../../network/bridge.ts';

/**
 * A VM's link to its network: a persistent tap device on the network's bridge. QEMU opens it by
 * name (`-netdev tap,ifname=…,script=no`), so it is made before QEMU starts and outlives QEMU
 * until the driver removes it; its name comes from the appliance id (paths.ts), so a retry or a
 * restarted control plane finds it.
 *
 * Transmit checksum offload is turned off as on the bridge and the containers' veths: busybox's
 * DHCP client drops packets whose checksum nobody filled in.
 */
export async function ensureTap(tap: string, bridge: string, address: string): Promise<void> {
  assertLinkName(tap);
  assertLinkName(bridge);
  const lines = [
    ...(linkExists(tap) ? [] : [`tuntap add dev ${tap} mode tap`]),
    `link set dev ${tap} master ${bridge} up`,
    // The address may have been another appliance's (or this one's before a restart).
    `neigh flush to ${address} dev ${bridge}`,
  ];
  await exec('ip', ['-batch', '-'], { input: lines.join('\n') + '\n' });
  await exec('ethtool', ['-K', tap, 'tx', 'off']);
}

/** Deletes the tap; absent is fine. */
export async function removeTap(tap: string): Promise<void> {
  assertLinkName(tap);
  if (linkExists(tap)) await exec('ip', ['link', 'del', tap]);
}
