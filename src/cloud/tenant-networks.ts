import { FleetyardError } from '../domain/errors.ts';
import { freshMeta } from '../domain/meta.ts';
import { DEFAULT_DNS_ZONE, type Network, type NetworkSpec, type NetworkTenant } from '../domain/network.ts';
import type { Product } from '../domain/product.ts';
import { firstHost, intToIpv4, ipv4ToInt, parseCidr } from '../network/ipam.ts';
import { retryOnVersionConflict } from '../store/version-retry.ts';
import type { Store } from '../store/store.ts';

/**
 * Tenant isolation: every cloud user (or, by the product's `privateNetwork`, every group) has a
 * private network of their own, made the first time one of their requests needs it, and their
 * cloud appliances go on it and on no other. A tenant network is its own L2 segment (its own
 * bridge on every host, carried between hosts by VXLAN with its own VNI), with its own address
 * range cut from the tenant pool, so no other tenant's appliance shares a segment with it.
 *
 * Its name is derived from the tenant (`tenant-<12 hex>`), which the store keeps unique, and it
 * is made at the capacity serialisation point (`bumpCapacityEpoch`): two first requests at once
 * make one network, and two tenants' first requests at once never take the same range or VNI.
 */
export interface TenantPool {
  /** Where tenant ranges are cut from (default 169.254.128.0/17, beside the default 169.254.64.0/22). */
  cidr: string;
  /** The prefix length of each tenant's range (default 26: 61 appliances). */
  prefixLength: number;
  /** The lowest VNI a tenant network gets (default FIRST_TENANT_VNI); its bridge is named from it. */
  firstVni?: number;
}

export const DEFAULT_TENANT_POOL: TenantPool = { cidr: '169.254.128.0/17', prefixLength: 26 };
/** VNIs of tenant networks start here, leaving the low ones to networks an admin makes. */
export const FIRST_TENANT_VNI = 4096;
/** Every network carried by VXLAN leaves room for its 50 bytes of encapsulation on a 1500-byte underlay. */
export const VXLAN_MTU = 1450;
/** Cloud metadata services answer at 169.254.169.254: no range is ever cut from that /24. */
const METADATA = { first: ipv4ToInt('169.254.169.0'), last: ipv4ToInt('169.254.169.255') };

export function tenantOf(owner: { id: string; spec: { groupId: string | null } }, product: Pick<Product, 'spec'>): NetworkTenant {
  if ((product.spec.privateNetwork ?? 'user') === 'group') {
    const groupId = owner.spec.groupId;
    if (groupId === null) throw new FleetyardError('FY_VALIDATION', 'the product puts appliances on their group\'s network, and the owner is in no group', { field: 'privateNetwork' });
    return { kind: 'group', id: groupId };
  }
  return { kind: 'user', id: owner.id };
}

export function tenantNetworkName(t: NetworkTenant): string {
  const hex = t.id.replace(/[^0-9a-fA-F]/g, '').toLowerCase().slice(-12).padStart(12, '0');
  return `tenant-${t.kind === 'group' ? 'g' : 'u'}${hex}`;
}

/** The bridge of a network with this VNI, the same on every host: `fyn` + 6 hex digits. */
export function tenantBridge(vni: number): string {
  return `fyn${vni.toString(16).padStart(6, '0')}`;
}

const range = (cidr: string) => {
  const c = parseCidr(cidr);
  return { first: ipv4ToInt(c.network), last: ipv4ToInt(c.broadcast) };
};
const overlaps = (a: { first: number; last: number }, b: { first: number; last: number }) => a.first <= b.last && b.first <= a.last;

/**
 * The spec of the next tenant network (pure): the pool's first range that overlaps no existing
 * network (nor the metadata /24), the lowest VNI from FIRST_TENANT_VNI no network has, its bridge,
 * the first host as the gateway, VXLAN's MTU and an embedded DNS zone under the network's name.
 */
export function nextTenantSpec(pool: TenantPool, existing: Network[], tenant: NetworkTenant, name: string): NetworkSpec {
  const p = range(pool.cidr);
  if (pool.prefixLength < parseCidr(pool.cidr).prefixLength || pool.prefixLength > 30) {
    throw new RangeError(`tenant ranges of /${pool.prefixLength} do not fit the pool ${pool.cidr}`);
  }
  const size = 2 ** (32 - pool.prefixLength);
  const used = existing.flatMap((n) => (n.spec.cidr === null ? [] : [range(n.spec.cidr)]));
  let cidr: string | undefined;
  for (let at = p.first; at + size - 1 <= p.last; at += size) {
    const r = { first: at, last: at + size - 1 };
    if (overlaps(r, METADATA) || used.some((u) => overlaps(r, u))) continue;
    cidr = `${intToIpv4(at)}/${pool.prefixLength}`;
    break;
  }
  if (cidr === undefined) throw new FleetyardError('FY_NO_CAPACITY', `the tenant pool ${pool.cidr} has no free /${pool.prefixLength} left`);
  const vnis = new Set(existing.map((n) => n.spec.vxlan?.vni).filter((v) => v !== undefined));
  const bridges = new Set(existing.map((n) => n.spec.bridge));
  let vni = pool.firstVni ?? FIRST_TENANT_VNI;
  while (vnis.has(vni) || bridges.has(tenantBridge(vni))) vni++;
  if (vni > 0xffffff) throw new FleetyardError('FY_NO_CAPACITY', 'no VNI is free');
  return {
    bridge: tenantBridge(vni),
    cidr,
    gateway: firstHost(cidr),
    excluded: [],
    mtu: VXLAN_MTU,
    vxlan: { vni },
    tenant,
    origin: 'tenant',
    dns: { backend: 'embedded', zone: `${name}.${DEFAULT_DNS_ZONE}` },
  };
}

export class TenantNetworks {
  constructor(
    private readonly store: Store,
    private readonly pool: TenantPool = DEFAULT_TENANT_POOL,
  ) {}

  /** The tenant's network, made if it has none yet. Never inside a transaction (it makes its own). */
  async ensure(tenant: NetworkTenant): Promise<Network> {
    const name = tenantNetworkName(tenant);
    const found = await this.store.read.networks.getByName(name);
    if (found) return found;
    return retryOnVersionConflict(() =>
      this.store.transaction(async (tx) => {
        // The serialisation point first: whoever decides after us sees what we made.
        await tx.cloud.bumpCapacityEpoch();
        const again = await tx.networks.getByName(name);
        if (again) return again;
        const spec = nextTenantSpec(this.pool, await tx.networks.all(), tenant, name);
        const network: Network = { ...freshMeta(this.store.ids.next(), name, this.store.clock.now()), spec, status: {} };
        await tx.networks.insert(network);
        await tx.emit({
          type: 'network.created',
          kind: 'network',
          objectId: network.id,
          message: `private network ${name} ${spec.cidr} (VXLAN ${spec.vxlan?.vni}) for ${tenant.kind} ${tenant.id}`,
          data: spec,
        });
        return network;
      }),
    );
  }
}
