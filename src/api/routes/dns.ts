import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { applianceRecords, networkRecords, type DnsRecord } from '../../dns/records.ts';
import type { Network } from '../../domain/network.ts';
import { requireAdmin, requireOwned } from '../auth/authenticate.ts';
import type { ApiContext } from '../context.ts';
import { errorResponses, idParams, requireId } from '../schemas.ts';

const recordSchema = z.object({
  name: z.string().meta({ description: 'Fully qualified, without the trailing dot' }),
  type: z.enum(['A', 'AAAA', 'PTR']),
  value: z.string().meta({ description: 'An address (A, AAAA) or the name it points back to (PTR)' }),
  zone: z.string().meta({ description: "The zone that holds it: the network's, or for PTR the reverse zone of its prefix" }),
  network: z.string(),
  applianceId: z.string(),
});

const backendSchema = z.enum(['embedded', 'rfc2136']).nullable().meta({ description: "The network's DNS backend; null: no DNS" });

const applianceDnsView = z.object({
  records: z.array(recordSchema).meta({ description: 'The records the appliance has on its networks (none until it has an address)' }),
  networks: z.array(z.object({ network: z.string(), zone: z.string().nullable(), backend: backendSchema })),
});

const networkDnsView = z.object({
  zone: z.string().nullable(),
  backend: backendSchema,
  records: z.array(recordSchema).meta({ description: "Every appliance's records on the network" }),
});

const view = (r: DnsRecord) => ({ name: r.name, type: r.type, value: r.value, zone: r.zone, network: r.network, applianceId: r.applianceId });

/**
 * What the DNS holds for an appliance and for a network, computed from the store as the
 * reconciler publishes it (src/dns/records.ts). A cloud user reads their own appliance's records;
 * a network's zone is an admin's.
 */
export const dnsRoutes = (ctx: ApiContext): FastifyPluginAsyncZod => async (app) => {
  const { store } = ctx;

  app.get('/appliances/:id/dns', {
    schema: { tags: ['appliances'], summary: "An appliance's DNS records (A, AAAA, PTR) on each of its networks", params: idParams, response: { 200: applianceDnsView, ...errorResponses } },
  }, async (req) => {
    const found = await store.read.appliances.require(requireId(req.params.id));
    const a = requireOwned(req, found, found.spec.ownerId, 'appliance');
    const networks = new Map<string, Network>();
    for (const name of [a.spec.network, ...(a.spec.moreNetworks ?? [])]) {
      const n = await store.read.networks.getByName(name);
      if (n) networks.set(name, n);
    }
    const records = a.deletionRequestedAt ? [] : applianceRecords(a, networks).map(view);
    return {
      records,
      networks: [...networks.values()].map((n) => ({ network: n.name, zone: n.spec.dns?.zone ?? null, backend: n.spec.dns?.backend ?? null })),
    };
  });

  app.get('/networks/:id/dns', {
    schema: { tags: ['networks'], summary: "A network's DNS zone: every appliance's records on it", params: idParams, response: { 200: networkDnsView, ...errorResponses } },
  }, async (req) => {
    requireAdmin(req);
    const network = await store.read.networks.require(requireId(req.params.id));
    const records = networkRecords(network, await store.read.appliances.all()).map(view);
    return { zone: network.spec.dns?.zone ?? null, backend: network.spec.dns?.backend ?? null, records };
  });
};
