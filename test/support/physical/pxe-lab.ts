import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { BootNetwork } from '../../../src/boot/boot-network.ts';
import { exec, execAllowFail } from '../../../src/host/exec.ts';

/**
 * A provisioning network for tests of bare metal: a network namespace of its own holding a
 * bridge (the boot network, with the boot server's IPv4 address and an fd00::/8 /64 for router
 * advertisements) and one tap per simulated server, on which that server's QEMU is attached.
 * Nothing of it touches the host's own namespace, so the test's DHCP server can answer nobody
 * else. All addresses are link-local (169.254.0.0/16) or unique-local (fd00::/8).
 *
 * Checksum offload is turned off on the bridge and every tap: DHCP clients drop offers whose
 * checksum the kernel left for a NIC to fill in.
 */
export interface PxeLab {
  netns: string;
  bridge: string;
  /** The boot service's configuration for this network. */
  network: BootNetwork;
  /** The n-th appliance address (n ≥ 1), below the discovery range. */
  address(n: number): string;
  prefixLength: number;
  /** Makes a tap for a simulated server on the bridge; returns its name. */
  addTap(name: string): Promise<string>;
  /** Deletes the namespace with everything in it; safe to call twice. */
  cleanup(): Promise<void>;
}

export async function createPxeLab(): Promise<PxeLab> {
  const tag = randomBytes(3).toString('hex');
  const netns = `fyt-pxe-${tag}`;
  const bridge = 'br-boot';
  const third = 1 + ((randomBytes(1)[0] as number) % 250);
  const prefix = `169.254.${third === 169 ? 170 : third}.`;
  const ula = `fd00:0:0:${tag.slice(0, 4)}::1/64`;
  const ns = (script: string[]) => exec('ip', ['-n', netns, '-batch', '-'], { input: script.join('\n') + '\n' });
  await exec('ip', ['netns', 'add', netns]);
  try {
    await ns([
      'link set lo up',
      `link add ${bridge} type bridge`,
      `addr add ${prefix}1/24 dev ${bridge}`,
      `addr add ${ula} dev ${bridge} nodad`,
      `link set ${bridge} up`,
    ]);
    await exec('ip', ['netns', 'exec', netns, 'ethtool', '-K', bridge, 'tx', 'off']);
  } catch (e) {
    await execAllowFail('ip', ['netns', 'del', netns]);
    throw e;
  }
  return {
    netns,
    bridge,
    prefixLength: 24,
    network: {
      name: `lab-${tag}`,
      bridge,
      netns,
      serverAddress: `${prefix}1`,
      prefixLength: 24,
      httpPort: 8080,
      discoveryRange: { first: `${prefix}200`, last: `${prefix}220` },
      routerAdvertisements: true,
    },
    address: (n) => `${prefix}${10 + n}`,
    async addTap(name) {
      await ns([`tuntap add dev ${name} mode tap`, `link set ${name} master ${bridge} up`]);
      await exec('ip', ['netns', 'exec', netns, 'ethtool', '-K', name, 'tx', 'off']);
      return name;
    },
    async cleanup() {
      if (existsSync(`/var/run/netns/${netns}`)) await exec('ip', ['netns', 'del', netns]);
    },
  };
}
