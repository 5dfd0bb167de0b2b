import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FleetyardError } from '../../domain/errors.ts';
import { freshMeta } from '../../domain/meta.ts';
import { networkViewSchema, networkView, publicNetworkSpec, type Network, type NetworkSpec } from '../../domain/network.ts';
import { cidrsOverlap, poolSize } from '../../network/ipam.ts';
import { cidrs6Overlap, poolSize6 } from '../../network/ipam6.ts';
import type { Repos } from '../../store/store.ts';
import { retryOnVersionConflict } from '../../store/version-retry.ts';
import { adminOnly } from '../auth/authenticate.ts';
import type { ApiContext } from '../context.ts';
import { defaultMtu, dnsSpec, ipv6Pool, networkPools, networkCreateBody, networkPatchBody } from '../network-input.ts';
import { errorResponses, idParams, listQuery, pageOf, requireId, splitQuery } from '../schemas.ts';

/** The largest VXLAN network identifier (24 bits). */
const MAX_VNI = 16_777_215;

const familyUse = z.object({
  size: z.string().meta({ description: 'Addresses the pool can hand out (a decimal integer: an IPv6 pool is larger than a JSON number holds)' }),
  used: z.number().int(),
  free: z.string(),
});
const addressUseSchema = z.object({
  ipv4: familyUse.nullable(),
  ipv6: familyUse.nullable(),
  items: z.array(z.object({ address: z.string(), family: z.enum(['ipv4', 'ipv6']), applianceId: z.string(), applianceName: z.string().nullable() })),
});

/** Fields of the configuration's networks that only the configuration changes. */
const CONFIGURED_FIELDS = ['bridge', 'cidr', 'gateway', 'excluded'] as const;
/** What a change may touch besides spanning hosts (which picks or drops a VNI). */
const CHANGEABLE_FIELDS = [...CONFIGURED_FIELDS, 'ipv6', 'dns', 'mtu'] as const;
/** Fields that cannot change while an appliance holds an address: the appliances were set up with them. */
const ADDRESSING_FIELDS = ['bridge', 'cidr', 'gateway'] as const;

/**
 * Networks (docs/networks.md): a bridge on each host with an IPv4 pool, optionally an IPv6 pool,
 * a DNS zone, an MTU and a VXLAN VNI when it spans hosts. Admins make, change and delete them;
 * the configuration makes `default` and one per boot network, which the API never deletes.
 * An RFC 2136 key's secret is sealed when it arrives and never answered or put in an event.
 */
export const networkRoutes = (ctx: ApiContext): FastifyPluginAsyncZod => async (app) => {
  app.addHook('preHandler', adminOnly);
  const { store } = ctx;
  const tags = ['networks'];

  app.get('/networks', {
    schema: { tags, summary: 'List networks', querystring: listQuery(['name']), response: { 200: pageOf(networkViewSchema), ...errorResponses } },
  }, async (req) => {
    const page = await store.read.networks.list(splitQuery(req.query));
    return { ...page, items: page.items.map(networkView) };
  });

  app.get('/networks/:id', {
    schema: { tags, summary: 'Show a network', params: idParams, response: { 200: networkViewSchema, ...errorResponses } },
  }, async (req) => networkView(await store.read.networks.require(requireId(req.params.id))));

  app.post('/networks', {
    schema: {
      tags,
      summary: 'Make a network (an RFC 2136 key secret is sealed at rest and never shown again)',
      body: networkCreateBody,
      response: { 201: networkViewSchema, ...errorResponses },
    },
  }, async (req, reply) => {
    const b = req.body;
    const spansHosts = b.spansHosts ?? false;
    const base: NetworkSpec = {
      bridge: b.bridge,
      ...networkPools({ cidr: b.cidr, gateway: b.gateway, excluded: b.excluded }, b.ipv6 ? ipv6Pool(b.ipv6) : null),
      dns: b.dns ? dnsSpec(b.dns, null, (s) => ctx.secrets.seal(s)) : null,
      mtu: b.mtu ?? defaultMtu(spansHosts),
      vxlan: null,
      tenant: null,
      origin: 'admin',
    };
    // Ranges, bridges and VNIs are checked against the other networks at the serialisation point
    // tenants' private networks are made at (src/cloud/tenant-networks.ts), so two networks made
    // at once, by admins or for tenants, on SQLite or PostgreSQL, never share one.
    const network = await retryOnVersionConflict(() => store.transaction(async (tx) => {
      await tx.cloud.bumpCapacityEpoch();
      const others = await tx.networks.all();
      checkAgainstOthers(base, null, others);
      const spec = { ...base, vxlan: spansHosts ? { vni: freeVni(others) } : null };
      const created: Network = { ...freshMeta(store.ids.next(), b.name, store.clock.now()), spec, status: {} };
      await tx.networks.insert(created);
      await tx.emit({ type: 'network.created', kind: 'network', objectId: created.id, message: `network ${created.name} ${[spec.cidr, spec.ipv6?.cidr].filter((c) => c).join(' and ')} on ${spec.bridge} made by an admin`, data: publicNetworkSpec(spec) });
      return created;
    }));
    return reply.status(201).send(networkView(network));
  });

  app.patch('/networks/:id', {
    schema: {
      tags,
      summary: "Change a network (its bridge and address pools only while no appliance holds an address; the configuration's networks keep their bridge and IPv4 pool)",
      params: idParams,
      body: networkPatchBody,
      response: { 200: networkViewSchema, ...errorResponses },
    },
  }, async (req) => {
    const id = requireId(req.params.id);
    const { version, ...b } = req.body;
    const written = await store.transaction(async (tx) => {
      // The same serialisation point as a create: a concurrent loser answers FY_VERSION_CONFLICT.
      await tx.cloud.bumpCapacityEpoch();
      const current = await tx.networks.require(id);
      if (current.version !== version) {
        throw new FleetyardError('FY_VERSION_CONFLICT', `network ${current.name} is at version ${current.version}, not ${version}`, { id, expected: version, actual: current.version });
      }
      const cur = current.spec;
      const spansHosts = b.spansHosts ?? Boolean(cur.vxlan);
      const mtuWasDefault = cur.mtu === undefined || cur.mtu === defaultMtu(Boolean(cur.vxlan));
      const cidr = b.cidr === undefined ? cur.cidr : b.cidr;
      const pools = networkPools(
        { cidr, gateway: b.gateway ?? (b.cidr !== undefined || cidr === null ? undefined : cur.gateway), excluded: b.excluded ?? (cidr === null ? [] : cur.excluded) },
        b.ipv6 === undefined ? (cur.ipv6 ?? null) : b.ipv6 === null ? null : ipv6Pool(b.ipv6),
      );
      const next: NetworkSpec = {
        ...cur,
        bridge: b.bridge ?? cur.bridge,
        ...pools,
        dns: b.dns === undefined ? (cur.dns ?? null) : dnsSpec(b.dns, cur.dns, (s) => ctx.secrets.seal(s)),
        mtu: b.mtu === null || (b.mtu === undefined && mtuWasDefault) ? defaultMtu(spansHosts) : (b.mtu ?? cur.mtu ?? defaultMtu(spansHosts)),
      };
      const changed: string[] = CHANGEABLE_FIELDS.filter((f) => JSON.stringify(next[f]) !== JSON.stringify(cur[f]));
      if (cur.origin === 'configuration') {
        const field = CONFIGURED_FIELDS.find((f) => changed.includes(f));
        if (field) throw new FleetyardError('FY_VALIDATION', `network ${current.name} comes from the configuration: its ${field} is changed there`, { field });
      }
      const renumbers6 = next.ipv6?.cidr !== cur.ipv6?.cidr || next.ipv6?.gateway !== cur.ipv6?.gateway;
      const heldField = ADDRESSING_FIELDS.find((f) => changed.includes(f)) ?? (renumbers6 ? 'ipv6' : undefined);
      if (heldField) {
        const held = (await tx.addresses.countOn(id)) + (await tx.addresses6.countOn(id));
        if (held > 0) throw new FleetyardError('FY_NETWORK_IN_USE', `network ${current.name} cannot change its ${heldField}: appliances hold ${held} of its addresses`, { field: heldField, addresses: held });
      }
      const others = (await tx.networks.all()).filter((n) => n.id !== id);
      checkAgainstOthers(next, cur, others);
      if (spansHosts !== Boolean(cur.vxlan)) {
        next.vxlan = spansHosts ? { vni: freeVni(others) } : null;
        changed.push('vxlan');
      }
      if (changed.length === 0) return current;
      const updated = await tx.networks.update({ ...current, spec: next }, store.clock.now(), true);
      await tx.emit({ type: 'network.updated', kind: 'network', objectId: id, message: `network ${current.name} changed by an admin (${changed.join(', ')})`, data: publicNetworkSpec(next) });
      return updated;
    });
    return networkView(written);
  });

  app.delete('/networks/:id', {
    schema: {
      tags,
      summary: "Delete a network (refused while an appliance uses it or holds one of its addresses, and for the configuration's networks)",
      params: idParams,
      response: { 204: z.null(), ...errorResponses },
    },
  }, async (req, reply) => {
    const id = requireId(req.params.id);
    await store.transaction(async (tx) => {
      const n = await tx.networks.require(id);
      await refuseIfInUse(tx, n);
      await tx.networks.delete(id);
      await tx.emit({ type: 'network.deleted', kind: 'network', objectId: id, message: `network ${n.name} deleted by an admin`, data: {} });
    });
    return reply.status(204).send(null);
  });

  app.get('/networks/:id/addresses', {
    schema: {
      tags,
      summary: 'Address use of a network: every held address with its appliance, and the size, used and free count of each pool',
      params: idParams,
      response: { 200: addressUseSchema, ...errorResponses },
    },
  }, async (req) => {
    const n = await store.read.networks.require(requireId(req.params.id));
    const [v4, v6] = await Promise.all([store.read.addresses.held(n.id), store.read.addresses6.held(n.id)]);
    const names = new Map<string, string>();
    for (const applianceId of new Set([...v4, ...v6].map((h) => h.applianceId))) {
      const a = await store.read.appliances.get(applianceId);
      if (a) names.set(applianceId, a.name);
    }
    const use = (size: bigint, used: number) => ({ size: String(size), used, free: String(size > BigInt(used) ? size - BigInt(used) : 0n) });
    const { spec } = n;
    return {
      ipv4: spec.cidr !== null && spec.gateway !== null ? use(BigInt(poolSize(spec.cidr, spec.gateway, spec.excluded)), v4.length) : null,
      ipv6: spec.ipv6 ? use(poolSize6(spec.ipv6.cidr, spec.ipv6.gateway, spec.ipv6.excluded), v6.length) : null,
      items: [
        ...v4.map((h) => ({ ...h, family: 'ipv4' as const, applianceName: names.get(h.applianceId) ?? null })),
        ...v6.map((h) => ({ ...h, family: 'ipv6' as const, applianceName: names.get(h.applianceId) ?? null })),
      ],
    };
  });
};

/** Bridge names are one per network, and no two networks share an address. */
function checkAgainstOthers(spec: NetworkSpec, current: NetworkSpec | null, others: readonly Network[]): void {
  for (const o of others) {
    if (spec.bridge !== current?.bridge && o.spec.bridge === spec.bridge) {
      throw new FleetyardError('FY_VALIDATION', `bridge ${spec.bridge} is network ${o.name}'s`, { field: 'bridge', network: o.name });
    }
    if (spec.cidr !== null && o.spec.cidr !== null && cidrsOverlap(spec.cidr, o.spec.cidr)) {
      throw new FleetyardError('FY_VALIDATION', `cidr ${spec.cidr} overlaps network ${o.name}'s ${o.spec.cidr}`, { field: 'cidr', network: o.name });
    }
    if (spec.ipv6 && o.spec.ipv6 && cidrs6Overlap(spec.ipv6.cidr, o.spec.ipv6.cidr)) {
      throw new FleetyardError('FY_VALIDATION', `ipv6.cidr ${spec.ipv6.cidr} overlaps network ${o.name}'s ${o.spec.ipv6.cidr}`, { field: 'ipv6.cidr', network: o.name });
    }
  }
}

/** The lowest VNI no other network carries. */
function freeVni(others: readonly Network[]): number {
  const used = new Set(others.map((o) => o.spec.vxlan?.vni).filter((v) => v !== undefined));
  for (let vni = 1; vni <= MAX_VNI; vni++) if (!used.has(vni)) return vni;
  throw new FleetyardError('FY_NO_CAPACITY', 'every VXLAN network identifier is taken');
}

/** Throws FY_NETWORK_IN_USE naming what keeps the network. */
async function refuseIfInUse(tx: Repos, n: Network): Promise<void> {
  const refuse = (why: string, details: Record<string, unknown>) => {
    throw new FleetyardError('FY_NETWORK_IN_USE', `network ${n.name} ${why}`, { network: n.name, ...details });
  };
  if (n.spec.origin === 'configuration') refuse('comes from the configuration (the default network or a boot network); remove it there', { reason: 'configuration' });
  const users = (await tx.appliances.all()).filter((a) => a.spec.network === n.name || (a.spec.moreNetworks ?? []).includes(n.name));
  if (users.length > 0) {
    const shown = users.slice(0, 5).map((a) => a.name);
    refuse(`is used by ${users.length} appliance${users.length === 1 ? '' : 's'}: ${shown.join(', ')}${users.length > shown.length ? ', …' : ''}`, { reason: 'appliances', appliances: users.slice(0, 20).map((a) => ({ id: a.id, name: a.name })) });
  }
  const held = [...(await tx.addresses.held(n.id)), ...(await tx.addresses6.held(n.id))];
  if (held.length > 0) refuse(`still has ${held.length} address${held.length === 1 ? '' : 'es'} held (${held.slice(0, 5).map((h) => h.address).join(', ')})`, { reason: 'addresses', addresses: held.slice(0, 20) });
}
