import { FleetyardError } from '../domain/errors.ts';
import type { RuntimeNetwork } from '../drivers/driver.ts';
import { ensureBridge, linkExists } from './bridge.ts';
import { ensureUplink, uplinkName } from './vxlan.ts';

/**
 * Bridges are shared by many appliances: each is set up once per process (a failed attempt is
 * forgotten so the next start retries), and again if it vanished meanwhile. A network that spans
 * hosts gets its VXLAN uplink with the bridge (vxlan.ts), made again when its peers change.
 */
export class BridgeCache {
  private readonly ready = new Map<string, Promise<void>>();

  ensure(net: RuntimeNetwork): Promise<void> {
    const vxlan = net.vxlan ?? null;
    if (vxlan && vxlan.local === null) {
      return Promise.reject(
        new FleetyardError('FY_VALIDATION', `network ${net.name} spans hosts (VXLAN ${vxlan.vni}) but this host has no underlay address: start its agent with --underlay-address`, { field: 'network' }),
      );
    }
    const key = JSON.stringify([net.bridge, net.gateway, net.prefixLength, net.ipv6?.gateway ?? null, net.ipv6?.prefixLength ?? null, net.mtu ?? null, vxlan?.vni ?? null, vxlan?.local ?? null, [...(vxlan?.peers ?? [])].sort()]);
    let ready = this.ready.get(key);
    if (ready === undefined || !linkExists(net.bridge) || (vxlan !== null && !linkExists(uplinkName(vxlan.vni)))) {
      ready = ensureNetworkOnHost(net);
      ready.catch(() => this.ready.delete(key));
      this.ready.set(key, ready);
    }
    return ready;
  }
}

/** What is being set up per bridge in this process: one set-up of a bridge at a time. */
const settingUp = new Map<string, Promise<void>>();

/**
 * The bridge and, for a network that spans hosts, its uplink; idempotent. An agent sets a network
 * up from two places (the fabric command and an appliance's start); run at once, both would find
 * no uplink and both add it, and the second would fail with "File exists". So set-ups of one
 * bridge run one after another, each finding what the one before made.
 */
export function ensureNetworkOnHost(net: RuntimeNetwork): Promise<void> {
  const before = settingUp.get(net.bridge) ?? Promise.resolve();
  const mine = before.catch(() => undefined).then(() => setUpNetwork(net));
  const tail = mine.catch(() => undefined);
  settingUp.set(net.bridge, tail);
  const forget = () => {
    if (settingUp.get(net.bridge) === tail) settingUp.delete(net.bridge);
  };
  tail.then(forget, forget);
  return mine;
}

async function setUpNetwork(net: RuntimeNetwork): Promise<void> {
  const v6 = net.ipv6 ? { gateway: net.ipv6.gateway, prefixLength: net.ipv6.prefixLength } : null;
  await ensureBridge({ name: net.bridge, gateway: net.gateway, prefixLength: net.prefixLength, ipv6: v6 });
  const vxlan = net.vxlan ?? null;
  if (vxlan === null) return;
  if (vxlan.local === null) throw new FleetyardError('FY_VALIDATION', `network ${net.name} spans hosts but this host has no underlay address`, { field: 'network' });
  await ensureUplink({ bridge: net.bridge, network: net.name, vni: vxlan.vni, local: vxlan.local, peers: vxlan.peers, mtu: net.mtu ?? 1450 });
}
