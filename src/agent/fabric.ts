import { readlink } from 'node:fs/promises';
import { FleetyardError } from '../domain/errors.ts';
import type { RuntimeNetwork } from '../drivers/driver.ts';
import { linkExists, removeBridge } from '../network/bridge.ts';
import { ensureNetworkOnHost } from '../network/bridge-cache.ts';
import { bridgePorts, listUplinks, removeUplink, uplinkName } from '../network/vxlan.ts';
import type { FabricCommand, FabricReply } from './protocol.ts';

/**
 * The agent's side of the networks that span hosts. The source address of this host's VXLAN
 * uplinks is the agent's own setting (`--underlay-address`), whatever a command says: a network
 * that spans hosts reaches a host without one as `local: null`, which the drivers refuse with a
 * clear error.
 */
export function withUnderlay(net: RuntimeNetwork, underlay: string | undefined): RuntimeNetwork {
  if (!net.vxlan) return net;
  // The only host, without an underlay: the network is its bridge alone (nothing to span).
  if (underlay === undefined && !net.vxlan.spansHosts) return { ...net, vxlan: null };
  return { ...net, vxlan: { ...net.vxlan, local: underlay ?? null } };
}

/**
 * Makes this host's fabric what the command says: every listed network's bridge and uplink
 * current (its peers included), and the uplink and bridge of every other spanning network gone
 * once no appliance's port is on that bridge any more. A bridge an appliance still uses is never
 * removed, so a command computed before a placement cannot cut a running appliance off.
 */
export async function applyFabric(cmd: FabricCommand, underlay: string | undefined): Promise<FabricReply> {
  if (!Array.isArray(cmd?.networks)) throw new FleetyardError('FY_VALIDATION', 'a fabric command needs its networks');
  const ensured: string[] = [];
  const wanted = new Set<number>();
  for (const raw of cmd.networks) {
    if (!raw.vxlan) continue;
    wanted.add(raw.vxlan.vni);
    if (underlay === undefined) continue; // refused at its appliances' start, with the reason
    await ensureNetworkOnHost(withUnderlay(raw, underlay));
    ensured.push(raw.name);
  }
  const removed: string[] = [];
  for (const vni of await listUplinks()) {
    if (wanted.has(vni)) continue;
    const dev = uplinkName(vni);
    const bridge = await masterOf(dev);
    if (bridge !== undefined && (await bridgePorts(bridge, [dev])).length > 0) continue;
    await removeUplink(vni);
    if (bridge !== undefined && linkExists(bridge) && (await bridgePorts(bridge)).length === 0) await removeBridge(bridge);
    removed.push(dev);
  }
  return { ensured, removed };
}

async function masterOf(dev: string): Promise<string | undefined> {
  const target = await readlink(`/sys/class/net/${dev}/master`).catch(() => undefined);
  return target?.split('/').pop();
}
