import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { FleetyardEvent } from '../../src/domain/event.ts';
import type { Network } from '../../src/domain/network.ts';
import type { User } from '../../src/domain/user.ts';
import { SecretBox } from '../../src/identity/secret-box.ts';
import { PlacementPlanner } from '../../src/reconcile/placement-planner.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { tokenFor } from '../support/session.ts';
import { throwawayDatabaseUrl } from '../support/throwaway-database.ts';
import { startSimControlPlane, type SimControlPlane } from './sim-control-plane.ts';

/**
 * The network routes on a real control plane (SQLite, the simulated driver): make, list, change
 * with the version, address use, refusals with their field and code, and an RFC 2136 key secret
 * that no answer and no event ever carries.
 */
const V1 = '/api/v1';
type Answer = Network & { error: { code: string; message: string; details?: { field?: string; reason?: string; issues?: Array<{ path: string }> } } };
let sim: SimControlPlane;
let admin: TestApi;
let user: TestApi;
let imageId: string;
let defaultNet: Network;
/** A /24 of 169.254.0.0/16 that the default network does not use. */
let free: (i: number) => string;

before(async () => {
  sim = await startSimControlPlane();
  admin = new TestApi(sim.cp.url, sim.cp.adminToken);
  await admin.ok<User>('POST', `${V1}/users`, { name: 'nora', email: 'nora@example.test', password: 'nora-password-correct-horse' });
  user = new TestApi(sim.cp.url, await tokenFor(sim.cp.url, 'nora', 'nora-password-correct-horse'));
  imageId = (await admin.uploadImage('base', baseImageTar())).id;
  defaultNet = (await admin.ok<{ items: Network[] }>('GET', `${V1}/networks?name=default`)).items[0] as Network;
  const third = Number((defaultNet.spec.cidr as string).split('.')[2]);
  free = (i) => `169.254.${octet(third + i)}.0/24`;
});

after(async () => {
  await sim?.cleanup();
});

/** A third octet of 169.254.0.0/16 for each n, one to one over 249 of them: 1..250, never 169. */
const octet = (n: number) => {
  const o = (n % 249) + 1;
  return o >= 169 ? o + 1 : o;
};
const create = (body: Record<string, unknown>, as = admin) => as.call<Answer>('POST', `${V1}/networks`, body);
const patch = (id: string, body: Record<string, unknown>) => admin.call<Answer>('PATCH', `${V1}/networks/${id}`, body);
const fieldOf = (r: { body: Answer }) => r.body.error.details?.field ?? r.body.error.details?.issues?.[0]?.path;

describe('POST /networks', () => {
  it('makes a network with IPv4 and IPv6 pools, a DNS zone, and a VNI when it spans hosts', async () => {
    const r = await create({ name: 'backend', bridge: 'fyback', cidr: free(1), ipv6: { cidr: 'fd00:b1::/64' }, dns: { backend: 'embedded', zone: 'backend.internal' }, spansHosts: true });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const s = r.body.spec;
    assert.equal(s.gateway, free(1).replace('.0/24', '.1'), 'the gateway defaults to the first host');
    assert.deepEqual(s.ipv6, { cidr: 'fd00:b1::/64', gateway: 'fd00:b1::1', excluded: [] });
    assert.deepEqual(s.dns, { backend: 'embedded', zone: 'backend.internal' });
    assert.equal(s.mtu, 1450, 'a spanning network leaves room for VXLAN');
    assert.ok(s.vxlan && s.vxlan.vni >= 1);
    assert.equal(s.origin, 'admin');
    const events = (await admin.ok<{ items: FleetyardEvent[] }>('GET', `${V1}/events?objectId=${r.body.id}`)).items;
    assert.deepEqual(events.map((e) => e.type), ['network.created']);

    const local = await create({ name: 'local-only', bridge: 'fylocal', cidr: free(2), gateway: free(2).replace('.0/24', '.254'), excluded: [{ first: free(2).replace('.0/24', '.10'), last: free(2).replace('.0/24', '.19') }] });
    assert.equal(local.status, 201, JSON.stringify(local.body));
    assert.equal(local.body.spec.mtu, 1500);
    assert.equal(local.body.spec.vxlan, null);
    const list = await admin.ok<{ items: Network[] }>('GET', `${V1}/networks`);
    assert.deepEqual(list.items.map((n) => n.name), ['default', 'backend', 'local-only']);
    assert.equal(list.items[0]?.spec.origin, 'configuration');
    assert.equal((await admin.ok<Network>('GET', `${V1}/networks/${local.body.id}`)).spec.gateway, local.body.spec.gateway);
  });

  it('refuses pools that do not add up, a bridge in use and overlapping ranges, with the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ cidr: '169.254.250.0/31' }, 'cidr'],
      [{ cidr: '10.0.0.0/7' }, 'cidr'],
      [{ cidr: free(3), gateway: '169.254.251.1' }, 'gateway'],
      [{ cidr: free(3), excluded: [{ first: '169.254.251.1', last: '169.254.251.2' }] }, 'excluded.0.first'],
      [{ cidr: free(3), ipv6: { cidr: '2001:db8::/64' } }, 'ipv6.cidr'],
      [{ cidr: free(3), ipv6: { cidr: 'fd00:c::/63' } }, 'ipv6.cidr'],
      [{ cidr: free(3), ipv6: { cidr: 'fd00:c::/64', gateway: 'fd00:d::1' } }, 'ipv6.gateway'],
      [{ cidr: free(3), bridge: defaultNet.spec.bridge }, 'bridge'],
      [{ cidr: (defaultNet.spec.cidr as string).replace('.0/24', '.128/25') }, 'cidr'],
      [{ cidr: free(3), ipv6: { cidr: 'fd00:b1::8000/113' } }, 'ipv6.cidr'],
      [{ cidr: free(3), mtu: 9001 }, '/mtu'],
      [{ cidr: free(3), bridge: 'lo' }, '/bridge'],
      [{ cidr: free(3), dns: { backend: 'rfc2136', zone: 'x.internal', server: '127.0.0.1', keyName: 'k', keyAlgorithm: 'hmac-sha256' } }, 'dns.keySecret'],
    ];
    for (const [body, field] of cases) {
      const r = await create({ name: 'refused', bridge: 'fyrefused', ...body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.error.code, 'FY_VALIDATION');
      assert.equal(fieldOf(r), field, JSON.stringify(r.body));
    }
    assert.equal((await admin.ok<{ items: Network[] }>('GET', `${V1}/networks?name=refused`)).items.length, 0, 'nothing refused was made');
  });

  it('is for admins only', async () => {
    const r = await create({ name: 'mine', bridge: 'fymine', cidr: free(4) }, user);
    assert.equal(r.status, 403);
    assert.equal((await user.call('GET', `${V1}/networks`)).status, 403);
  });
});

describe('an RFC 2136 key secret', () => {
  it('is sealed at rest and never answered nor put in an event', async () => {
    const secret = 'c2VjcmV0LXRzaWcta2V5LWZvci10ZXN0cw==';
    const r = await create({ name: 'dyn', bridge: 'fydyn', cidr: free(5), dns: { backend: 'rfc2136', zone: 'dyn.internal', server: '127.0.0.1', port: 5353, keyName: 'fleetyard', keyAlgorithm: 'hmac-sha256', keySecret: secret } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.deepEqual(r.body.spec.dns, { backend: 'rfc2136', zone: 'dyn.internal', server: '127.0.0.1', port: 5353, keyName: 'fleetyard', keyAlgorithm: 'hmac-sha256' });
    const stored = await sim.cp.store.read.networks.require(r.body.id);
    assert.ok(stored.spec.dns?.backend === 'rfc2136');
    const sealed = stored.spec.dns.keySecretSealed;
    assert.equal(SecretBox.forDataDir(sim.dataDir).open(sealed), secret);
    // Changed without the secret: the stored key stays.
    const changed = await patch(r.body.id, { version: r.body.version, dns: { backend: 'rfc2136', zone: 'dyn2.internal', server: '127.0.0.1', keyName: 'fleetyard', keyAlgorithm: 'hmac-sha512' } });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    const after = await sim.cp.store.read.networks.require(r.body.id);
    assert.ok(after.spec.dns?.backend === 'rfc2136' && after.spec.dns.keySecretSealed === sealed && after.spec.dns.port === 53);
    const seen = [
      JSON.stringify(r.body),
      JSON.stringify(changed.body),
      JSON.stringify(await admin.ok('GET', `${V1}/networks`)),
      JSON.stringify(await admin.ok('GET', `${V1}/networks/${r.body.id}`)),
      JSON.stringify(await admin.ok('GET', `${V1}/events?objectId=${r.body.id}&limit=100`)),
      JSON.stringify(await sim.cp.store.read.events.list({ limit: 1000 })),
    ];
    for (const text of seen) {
      assert.ok(!text.includes(secret) && !text.includes(sealed) && !text.includes('keySecret'), text.slice(0, 300));
    }
  });
});

describe('PATCH /networks/{id}', () => {
  it('changes with the version it was read at, and refuses a stale one', async () => {
    const n = (await admin.ok<{ items: Network[] }>('GET', `${V1}/networks?name=local-only`)).items[0] as Network;
    const r = await patch(n.id, { version: n.version, mtu: 9000, spansHosts: true });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.spec.mtu, 9000);
    assert.ok(r.body.spec.vxlan);
    assert.equal(r.body.version, n.version + 1);
    const stale = await patch(n.id, { version: n.version, mtu: 1400 });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error.code, 'FY_VERSION_CONFLICT');
    const events = (await admin.ok<{ items: FleetyardEvent[] }>('GET', `${V1}/events?objectId=${n.id}&type=network.updated`)).items;
    assert.equal(events.length, 1);
    assert.equal((events[0]?.data as { mtu: number }).mtu, 9000);
  });

  it("keeps the configuration's bridge and IPv4 pool, but takes a DNS zone and an IPv6 pool on the default network", async () => {
    const refused = await patch(defaultNet.id, { version: defaultNet.version, cidr: free(6) });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.details?.field, 'cidr');
    const r = await patch(defaultNet.id, { version: defaultNet.version, dns: { backend: 'embedded', zone: 'fleetyard.internal' }, ipv6: { cidr: 'fd00:de::/64' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.spec.origin, 'configuration');
    defaultNet = r.body;
  });
});

describe('an IPv6-only network', () => {
  it('is made with an IPv6 pool alone, and refused with no pool or with IPv4 settings but no IPv4 pool', async () => {
    for (const [body, field] of [
      [{}, 'cidr'],
      [{ ipv6: null }, 'cidr'],
      [{ gateway: '169.254.251.1', ipv6: { cidr: 'fd00:b6::/64' } }, 'gateway'],
      [{ excluded: [{ first: '169.254.251.1', last: '169.254.251.2' }], ipv6: { cidr: 'fd00:b6::/64' } }, 'excluded'],
    ] as Array<[Record<string, unknown>, string]>) {
      const r = await create({ name: 'refused6', bridge: 'fyrefused6', ...body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.deepEqual([r.body.error.code, fieldOf(r)], ['FY_VALIDATION', field], JSON.stringify(r.body));
    }
    const r = await create({ name: 'six', bridge: 'fysix', ipv6: { cidr: 'fd00:b6::/64' }, dns: { backend: 'embedded', zone: 'six.internal' } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.deepEqual([r.body.spec.cidr, r.body.spec.gateway, r.body.spec.excluded, r.body.spec.ipv6], [null, null, [], { cidr: 'fd00:b6::/64', gateway: 'fd00:b6::1', excluded: [] }]);
    const dropV4 = await create({ name: 'dual', bridge: 'fydual', cidr: free(7), ipv6: { cidr: 'fd00:b7::/64' } });
    assert.equal(dropV4.status, 201, JSON.stringify(dropV4.body));
    const changed = await patch(dropV4.body.id, { version: dropV4.body.version, cidr: null });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal(changed.body.spec.cidr, null, 'an unused network may drop its IPv4 pool');
    const neither = await patch(dropV4.body.id, { version: changed.body.version, ipv6: null });
    assert.deepEqual([neither.status, fieldOf(neither)], [400, 'cidr'], 'but not its last pool');
    assert.equal((await admin.call('DELETE', `${V1}/networks/${dropV4.body.id}`)).status, 204);
  });

  it('gives a container its IPv6 address alone, with AAAA and PTR records, and is refused as a further network or for a VM', async () => {
    const six = (await admin.ok<{ items: Network[] }>('GET', `${V1}/networks?name=six`)).items[0] as Network;
    const a = await admin.ok<Appliance>('POST', `${V1}/appliances`, { name: 'six-1', imageId, network: 'six', requirements: { virtualization: 'sim' } });
    try {
      await admin.waitAppliances([a.id], (x) => x?.status.phase === 'running', 'running');
      const placed = await admin.ok<Appliance>('GET', `${V1}/appliances/${a.id}`);
      assert.deepEqual([placed.status.address, placed.status.address6], [null, 'fd00:b6::2']);
      const runtime = await new PlacementPlanner(sim.cp.store, 1).runtimeNetwork(placed);
      assert.deepEqual([runtime.address, runtime.prefixLength, runtime.gateway, runtime.ipv6], [null, null, null, { address: 'fd00:b6::2', prefixLength: 64, gateway: 'fd00:b6::1' }]);
      const use = await admin.ok<{ ipv4: unknown; ipv6: { used: number }; items: Array<{ family: string }> }>('GET', `${V1}/networks/${six.id}/addresses`);
      assert.deepEqual([use.ipv4, use.ipv6.used, use.items.map((i) => i.family)], [null, 1, ['ipv6']]);
      const dns = await admin.ok<{ records: Array<{ type: string; name: string; value: string }> }>('GET', `${V1}/appliances/${a.id}/dns`);
      assert.deepEqual(dns.records.map((r) => [r.type, r.name, r.value]), [
        ['AAAA', 'six-1.six.internal', 'fd00:b6::2'],
        ['PTR', '2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.b.0.0.0.0.d.f.ip6.arpa', 'six-1.six.internal'],
      ]);
      const further = await admin.call<Answer>('POST', `${V1}/appliances`, { name: 'six-2', imageId, moreNetworks: ['six'], requirements: { virtualization: 'sim' } });
      assert.deepEqual([further.status, further.body.error.code, fieldOf(further)], [400, 'FY_VALIDATION', 'moreNetworks.0'], JSON.stringify(further.body));
      const vm = await admin.call<Answer>('POST', `${V1}/appliances`, { name: 'six-3', imageId, network: 'six', requirements: { virtualization: 'qemu' } });
      assert.deepEqual([vm.status, vm.body.error.code, fieldOf(vm)], [400, 'FY_VALIDATION', 'network'], JSON.stringify(vm.body));
      assert.match(vm.body.error.message, /IPv6-only: a VM boots over IPv4/);
    } finally {
      await admin.deleteAppliancesQuietly([a.id]);
    }
  });
});

describe('a network in use', () => {
  it('shows its addresses, refuses to change its pool or go, and goes once nothing uses it', async () => {
    const net = (await admin.ok<{ items: Network[] }>('GET', `${V1}/networks?name=backend`)).items[0] as Network;
    const a = await admin.ok<Appliance>('POST', `${V1}/appliances`, { name: 'api-1', imageId, network: 'backend', requirements: { virtualization: 'sim' } });
    try {
      await admin.waitAppliances([a.id], (x) => x?.status.phase === 'running', 'running');
      const placed = await admin.ok<Appliance>('GET', `${V1}/appliances/${a.id}`);
      assert.equal(placed.status.address, free(1).replace('.0/24', '.2'));
      assert.equal(placed.status.address6, 'fd00:b1::2');
      // What the agent is sent to set the appliance up with.
      const runtime = await new PlacementPlanner(sim.cp.store, 1).runtimeNetwork(placed);
      assert.deepEqual(runtime.ipv6, { address: 'fd00:b1::2', prefixLength: 64, gateway: 'fd00:b1::1' });
      const use = await admin.ok<{ ipv4: { size: string; used: number; free: string }; ipv6: { size: string; used: number; free: string }; items: unknown[] }>('GET', `${V1}/networks/${net.id}/addresses`);
      assert.deepEqual(use.ipv4, { size: '253', used: 1, free: '252' });
      assert.deepEqual(use.ipv6, { size: String(2n ** 64n - 2n), used: 1, free: String(2n ** 64n - 3n) });
      assert.deepEqual(use.items, [
        { address: placed.status.address, family: 'ipv4', applianceId: a.id, applianceName: 'api-1' },
        { address: 'fd00:b1::2', family: 'ipv6', applianceId: a.id, applianceName: 'api-1' },
      ]);

      const renumber = await patch(net.id, { version: net.version, ipv6: { cidr: 'fd00:b2::/64' } });
      assert.equal(renumber.status, 409);
      assert.equal(renumber.body.error.code, 'FY_NETWORK_IN_USE');
      assert.equal(renumber.body.error.details?.field, 'ipv6');
      const rebridge = await patch(net.id, { version: net.version, bridge: 'fyback2' });
      assert.equal(rebridge.body.error.code, 'FY_NETWORK_IN_USE');
      assert.equal((await patch(net.id, { version: net.version, dns: null })).status, 200, 'what the appliances were not set up with may change');

      const gone = await admin.call<Answer>('DELETE', `${V1}/networks/${net.id}`);
      assert.equal(gone.status, 409);
      assert.equal(gone.body.error.code, 'FY_NETWORK_IN_USE');
      assert.match(gone.body.error.message, /used by 1 appliance: api-1/);
      assert.equal(gone.body.error.details?.reason, 'appliances');
    } finally {
      await admin.deleteAppliancesQuietly([a.id]);
    }
    assert.deepEqual((await admin.ok<{ items: unknown[] }>('GET', `${V1}/networks/${net.id}/addresses`)).items, [], 'the addresses went with the appliance');
    assert.equal((await admin.call('DELETE', `${V1}/networks/${net.id}`)).status, 204);
    assert.equal((await admin.call('GET', `${V1}/networks/${net.id}`)).status, 404);
    const events = (await admin.ok<{ items: FleetyardEvent[] }>('GET', `${V1}/events?objectId=${net.id}&type=network.deleted`)).items;
    assert.equal(events.length, 1);
  });

  it('never deletes a network the configuration makes', async () => {
    const r = await admin.call<Answer>('DELETE', `${V1}/networks/${defaultNet.id}`);
    assert.equal(r.status, 409);
    assert.equal(r.body.error.code, 'FY_NETWORK_IN_USE');
    assert.equal(r.body.error.details?.reason, 'configuration');
    assert.match(r.body.error.message, /configuration/);
  });
});

describe('networks made at the same moment', () => {
  for (const engine of ['sqlite', 'postgres'] as const) {
    it(`never share a range, a bridge or a VNI, whoever makes them (${engine})`, async (t) => {
      const other = await startSimControlPlane({ databaseUrl: await throwawayDatabaseUrl(t, engine) });
      t.after(() => other.cleanup());
      const api = new TestApi(other.cp.url, other.cp.adminToken);
      const base = (await api.ok<{ items: Network[] }>('GET', `${V1}/networks?name=default`)).items[0] as Network;
      const third = Number((base.spec.cidr as string).split('.')[2]);
      const range = (i: number) => `169.254.${octet(third + 40 + i)}.0/24`;
      // Eight admins ask for the same range at once: exactly one gets it.
      const same = await Promise.all(
        Array.from({ length: 8 }, (_, i) => api.call<Answer>('POST', `${V1}/networks`, { name: `same-${i}`, bridge: `fysame${i}`, cidr: range(0) })),
      );
      assert.deepEqual(same.map((r) => r.status).sort(), [201, 400, 400, 400, 400, 400, 400, 400], JSON.stringify(same.map((r) => r.body)));
      // Eight spanning networks in separate ranges at once: eight VNIs, none twice.
      const spanning = await Promise.all(
        Array.from({ length: 8 }, (_, i) => api.call<Answer>('POST', `${V1}/networks`, { name: `span-${i}`, bridge: `fyspan${i}`, cidr: range(1 + i), spansHosts: true })),
      );
      assert.deepEqual(spanning.map((r) => r.status), Array(8).fill(201), JSON.stringify(spanning.map((r) => r.body)));
      const vnis = spanning.map((r) => r.body.spec.vxlan?.vni);
      assert.equal(new Set(vnis).size, 8, `VNIs ${vnis.join(', ')}`);
    });
  }
});
