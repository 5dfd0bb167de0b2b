import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { nextTenantSpec, tenantBridge, tenantNetworkName, tenantOf, TenantNetworks, FIRST_TENANT_VNI } from '../../src/cloud/tenant-networks.ts';
import { FleetyardError } from '../../src/domain/errors.ts';
import type { Network, NetworkSpec } from '../../src/domain/network.ts';
import { engines } from '../support/engines.ts';

/** Tenant networks: the pure choice of range, VNI and bridge, and their one-per-tenant creation on both engines. */

const at = '2026-03-02T08:00:00.000Z';
const net = (name: string, spec: Partial<NetworkSpec> & { cidr: string }): Network => ({
  id: `id-${name}`,
  name,
  version: 1,
  generation: 1,
  createdAt: at,
  updatedAt: at,
  spec: { bridge: `br-${name}`, gateway: '0.0.0.0', excluded: [], ...spec },
  status: {},
});
const pool = { cidr: '169.254.128.0/17', prefixLength: 26 };
const user = { kind: 'user' as const, id: '0190aaaa-bbbb-7ccc-8ddd-0123456789ab' };

describe('the next tenant network', () => {
  test('takes the pool\'s first free /26, the first free VNI, its bridge, MTU 1450 and a zone under its name', () => {
    const name = tenantNetworkName(user);
    assert.equal(name, 'tenant-u0123456789ab');
    const spec = nextTenantSpec(pool, [net('default', { cidr: '169.254.64.0/22' })], user, name);
    assert.deepEqual(spec, {
      bridge: tenantBridge(FIRST_TENANT_VNI),
      cidr: '169.254.128.0/26',
      gateway: '169.254.128.1',
      excluded: [],
      mtu: 1450,
      vxlan: { vni: FIRST_TENANT_VNI },
      tenant: user,
      origin: 'tenant',
      dns: { backend: 'embedded', zone: 'tenant-u0123456789ab.fleetyard.internal' },
    });
    assert.ok(spec.bridge.length <= 15);
  });

  test('skips ranges other networks overlap, the metadata /24, and VNIs and bridges already taken', () => {
    const existing = [
      net('a', { cidr: '169.254.128.0/25', vxlan: { vni: FIRST_TENANT_VNI } }),
      net('b', { cidr: '169.254.128.128/26', bridge: tenantBridge(FIRST_TENANT_VNI + 1) }),
    ];
    const spec = nextTenantSpec(pool, existing, user, 'x');
    assert.equal(spec.cidr, '169.254.128.192/26');
    assert.equal(spec.vxlan?.vni, FIRST_TENANT_VNI + 2);
    const nearMetadata = nextTenantSpec({ cidr: '169.254.168.192/18', prefixLength: 26 }, [net('c', { cidr: '169.254.128.0/19' }), net('d', { cidr: '169.254.160.0/21' }), net('e', { cidr: '169.254.168.0/24' })], user, 'x');
    assert.equal(nearMetadata.cidr, '169.254.170.0/26', 'never inside 169.254.169.0/24');
  });

  test('says so when the pool is full', () => {
    assert.throws(
      () => nextTenantSpec({ cidr: '169.254.200.0/26', prefixLength: 26 }, [net('f', { cidr: '169.254.200.0/24' })], user, 'x'),
      (e: unknown) => e instanceof FleetyardError && e.code === 'FY_NO_CAPACITY',
    );
  });

  test('belongs to the user, or to their group when the product says so', () => {
    const owner = { id: 'u1', spec: { groupId: 'g1' } };
    assert.deepEqual(tenantOf(owner, { spec: {} } as never), { kind: 'user', id: 'u1' });
    assert.deepEqual(tenantOf(owner, { spec: { privateNetwork: 'group' } } as never), { kind: 'group', id: 'g1' });
    assert.throws(() => tenantOf({ id: 'u2', spec: { groupId: null } }, { spec: { privateNetwork: 'group' } } as never), /in no group/);
  });
});

for (const engine of engines()) {
  describe(`tenant networks on ${engine.name}`, () => {
    test('first requests at once make one network per tenant, and two tenants never share a range or a VNI', async (t) => {
      const { store, cleanup } = await engine.openStore();
      t.after(cleanup);
      const networks = new TenantNetworks(store, pool);
      const other = { kind: 'group' as const, id: '0190aaaa-bbbb-7ccc-8ddd-ba9876543210' };
      const made = await Promise.all([networks.ensure(user), networks.ensure(user), networks.ensure(other), networks.ensure(user), networks.ensure(other)]);
      const all = (await store.read.networks.all()).filter((n) => n.spec.tenant);
      assert.equal(all.length, 2, 'one network per tenant');
      assert.equal(new Set(made.map((n) => n.id)).size, 2);
      assert.notEqual(all[0]?.spec.cidr, all[1]?.spec.cidr);
      assert.notEqual(all[0]?.spec.vxlan?.vni, all[1]?.spec.vxlan?.vni);
      assert.equal((await networks.ensure(user)).id, made[0]?.id, 'found again afterwards');
    });
  });
}
