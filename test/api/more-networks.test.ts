import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Appliance } from '../../src/domain/appliance.ts';
import { freshMeta } from '../../src/domain/meta.ts';
import type { Network } from '../../src/domain/network.ts';
import type { Observation, RuntimeSpec } from '../../src/drivers/driver.ts';
import { SimDriver } from '../../src/drivers/sim/sim-driver.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { startSimControlPlane, type SimControlPlane } from './sim-control-plane.ts';

/**
 * Appliances on several networks, through the API of a real control plane (simulated driver):
 * `moreNetworks` validated with a code and the field, one address claimed on each further network
 * at placement (`status.moreAddresses`, in order) and an IPv6 one on each that has an IPv6 pool
 * (`status.moreAddresses6`), all of them freed with the first at deletion. The simulated driver
 * keeps the last spec the agent was given, to see the runtime networks it was told about.
 */
class RecordingSimDriver extends SimDriver {
  readonly specs = new Map<string, RuntimeSpec>();
  override async ensure(spec: RuntimeSpec, desired: 'running' | 'stopped'): Promise<Observation> {
    this.specs.set(spec.applianceId, spec);
    return super.ensure(spec, desired);
  }
}

let sim: SimControlPlane;
let driver: RecordingSimDriver;
let api: TestApi;
let imageId: string;
const V1 = '/api/v1';
const SIM = { virtualization: 'sim' };

/** A network of its own, straight into the store (the networks API is not what is tested here). */
async function addNetwork(name: string, third: number, ipv6: Network['spec']['ipv6'] = null): Promise<Network> {
  const store = sim.cp.store;
  const net: Network = {
    ...freshMeta(store.ids.next(), name, store.clock.now()),
    spec: { bridge: `fyt${randomBytes(3).toString('hex')}`, cidr: `10.${third}.0.0/29`, gateway: `10.${third}.0.1`, excluded: [], ipv6 },
    status: {},
  };
  return store.read.networks.insert(net);
}

before(async () => {
  driver = new RecordingSimDriver();
  sim = await startSimControlPlane({ drivers: [driver] });
  api = new TestApi(sim.cp.url, sim.cp.adminToken);
  imageId = (await api.uploadImage('img', baseImageTar())).id;
  await addNetwork('lan', 201);
  await addNetwork('storage', 202);
  await addNetwork('dual', 203, { cidr: 'fd00:203::/120', gateway: 'fd00:203::1', excluded: [] });
});
after(() => sim.cleanup());

type ErrorAnswer = { error: { code: string; details?: { field?: string; kind?: string; id?: string } } };

test('moreNetworks is refused with a code and the field: unknown, repeated, the first again, too many, malformed', async () => {
  const refused = async (body: Record<string, unknown>, status: number, code: string, field?: string) => {
    const r = await api.call<ErrorAnswer>('POST', `${V1}/appliances`, { name: `x${randomBytes(3).toString('hex')}`, imageId, start: false, ...body });
    assert.equal(r.status, status, JSON.stringify(r.body));
    assert.equal(r.body.error.code, code);
    if (field !== undefined) assert.equal(r.body.error.details?.field, field, JSON.stringify(r.body));
    return r.body;
  };
  const unknown = await refused({ moreNetworks: ['lan', 'nowhere'] }, 404, 'FY_NOT_FOUND', 'moreNetworks.1');
  assert.deepEqual([unknown.error.details?.kind, unknown.error.details?.id], ['network', 'nowhere']);
  await refused({ moreNetworks: ['lan', 'storage', 'lan'] }, 400, 'FY_VALIDATION', 'moreNetworks.2');
  await refused({ moreNetworks: ['default'] }, 400, 'FY_VALIDATION', 'moreNetworks.0');
  await refused({ network: 'lan', moreNetworks: ['storage', 'lan'] }, 400, 'FY_VALIDATION', 'moreNetworks.1');
  await refused({ moreNetworks: ['lan'], requirements: { virtualization: 'physical' } }, 400, 'FY_VALIDATION', 'moreNetworks');
  await refused({ moreNetworks: Array.from({ length: 8 }, (_, i) => `n${i}`) }, 400, 'FY_VALIDATION');
  await refused({ moreNetworks: 'lan' }, 400, 'FY_VALIDATION');
  await refused({ moreNetworks: ['a/b'] }, 400, 'FY_VALIDATION');
  const list = await api.ok<{ items: Appliance[] }>('GET', `${V1}/appliances?limit=1000`);
  assert.deepEqual(list.items, [], 'nothing refused was kept');
});

test('placement claims one address on each further network, in order; deletion frees them all for the next appliance', async () => {
  const a = await api.ok<Appliance>('POST', `${V1}/appliances`, { name: 'multi', imageId, requirements: SIM, moreNetworks: ['lan', 'storage'] });
  assert.deepEqual(a.spec.moreNetworks, ['lan', 'storage']);
  await api.waitAppliances([a.id], (x) => x?.status.phase === 'running', 'multi running');
  const running = await api.ok<Appliance>('GET', `${V1}/appliances/${a.id}`);
  assert.deepEqual(running.status.moreAddresses, ['10.201.0.2', '10.202.0.2']);
  assert.ok(running.status.address, 'an address on the first network too');
  const placed = await api.ok<{ items: Array<{ message: string }> }>('GET', `${V1}/events?objectId=${a.id}&type=appliance.placed`);
  assert.match(placed.items[0]?.message ?? '', /with address \S+, and 10\.201\.0\.2 on lan, 10\.202\.0\.2 on storage$/);

  // One on a single network leaves the further networks' addresses alone.
  const single = await api.ok<Appliance>('POST', `${V1}/appliances`, { name: 'single', imageId, requirements: SIM, network: 'lan' });
  await api.waitAppliances([single.id], (x) => x?.status.phase === 'running', 'single running');
  const s = await api.ok<Appliance>('GET', `${V1}/appliances/${single.id}`);
  assert.equal(s.status.address, '10.201.0.3');
  assert.equal(s.status.moreAddresses, undefined);

  await api.ok('DELETE', `${V1}/appliances/${a.id}`);
  await api.waitAppliances([a.id], (x) => x === undefined, 'multi deleted');
  const next = await api.ok<Appliance>('POST', `${V1}/appliances`, { name: 'next', imageId, requirements: SIM, network: 'storage', moreNetworks: ['lan'] });
  await api.waitAppliances([next.id], (x) => x?.status.phase === 'running', 'next running');
  const n = await api.ok<Appliance>('GET', `${V1}/appliances/${next.id}`);
  assert.equal(n.status.address, '10.202.0.2', "the first appliance's address on storage is free again");
  assert.deepEqual(n.status.moreAddresses, ['10.201.0.2'], 'and so is its address on lan');
  await api.deleteAppliancesQuietly([single.id, next.id]);
});

test('a further network with an IPv6 pool gives the appliance an IPv6 address there too, told to the agent and freed at deletion', async () => {
  const a = await api.ok<Appliance>('POST', `${V1}/appliances`, { name: 'dual-1', imageId, requirements: SIM, moreNetworks: ['lan', 'dual'] });
  await api.waitAppliances([a.id], (x) => x?.status.phase === 'running', 'dual-1 running');
  const running = await api.ok<Appliance>('GET', `${V1}/appliances/${a.id}`);
  assert.deepEqual(running.status.moreAddresses6, [null, 'fd00:203::2']);
  const told = driver.specs.get(a.id)?.moreNetworks ?? [];
  assert.deepEqual(told.map((n) => [n.name, n.address, n.ipv6 ?? null]), [
    ['lan', running.status.moreAddresses?.[0], null],
    ['dual', '10.203.0.2', { address: 'fd00:203::2', prefixLength: 120, gateway: 'fd00:203::1' }],
  ]);

  // Only further networks without an IPv6 pool: no moreAddresses6 at all.
  const plain = await api.ok<Appliance>('POST', `${V1}/appliances`, { name: 'plain-1', imageId, requirements: SIM, moreNetworks: ['storage'] });
  await api.waitAppliances([plain.id], (x) => x?.status.phase === 'running', 'plain-1 running');
  assert.equal((await api.ok<Appliance>('GET', `${V1}/appliances/${plain.id}`)).status.moreAddresses6, undefined);

  await api.ok('DELETE', `${V1}/appliances/${a.id}`);
  await api.waitAppliances([a.id], (x) => x === undefined, 'dual-1 deleted');
  const next = await api.ok<Appliance>('POST', `${V1}/appliances`, { name: 'dual-2', imageId, requirements: SIM, moreNetworks: ['dual'] });
  await api.waitAppliances([next.id], (x) => x?.status.phase === 'running', 'dual-2 running');
  const n = await api.ok<Appliance>('GET', `${V1}/appliances/${next.id}`);
  assert.deepEqual(n.status.moreAddresses6, ['fd00:203::2'], "the first appliance's IPv6 address on dual is free again");
  await api.deleteAppliancesQuietly([plain.id, next.id]);
});
