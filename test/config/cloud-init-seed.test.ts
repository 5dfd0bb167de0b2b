import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { applianceConfigInputs } from '../../src/config/appliance-inputs.ts';
import { cloudInitPlan } from '../../src/config/cloud-init-plan.ts';
import { buildNoCloudSeed, type NoCloudSeedInput } from '../../src/config/cloud-init-seed.ts';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { Network } from '../../src/domain/network.ts';
import { passwordHash } from '../../src/drivers/seed.ts';
import { cloudInitSchema, renderNetworkConfig } from '../support/cloud-init.ts';
import { aConfigGroup, aNetwork } from '../support/objects.ts';

/**
 * A VM's NoCloud seed from its configuration groups, judged by Debian's cloud-init itself:
 * `cloud-init schema` for the user-data, its network-config parser and renderer for the rest.
 */
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG9QK1yJ0u6QpqYl0Hn8u8x1q0nJmGZbq3k1W4mYtW4Q alice@example';
const CONFIG_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBk4b2Nd1g8B7qz0yJ0u6QpqYl0Hn8u8x1q0nJmGZbq3 fleetyard-config';

const lab: Network = {
  ...aNetwork('lab'),
  spec: {
    bridge: 'fybr1',
    cidr: '169.254.7.0/24',
    gateway: '169.254.7.1',
    excluded: [],
    ipv6: { cidr: 'fd00:7::/64', gateway: 'fd00:7::1', excluded: [] },
    dns: { backend: 'embedded', zone: 'lab.internal' },
    mtu: 1400,
  },
};
const storage: Network = { ...aNetwork('storage'), spec: { bridge: 'fybr2', cidr: '169.254.9.0/24', gateway: '169.254.9.1', excluded: [] } };

const base = aConfigGroup('base', {
  cloudInit: {
    cloudConfig: {
      packages: ['curl'],
      runcmd: [['touch', '/run/base']],
      ntp: { enabled: true, servers: ['169.254.7.1'] },
      timezone: 'UTC',
      write_files: [{ path: '/etc/motd', content: 'welcome\n' }],
    },
  },
});
const web = aConfigGroup('web', {
  cloudInit: {
    cloudConfig: {
      packages: ['nginx'],
      runcmd: ['systemctl restart nginx'],
      ntp: { servers: ['169.254.9.1'] },
      timezone: 'Europe/Berlin',
      // What only Fleetyard decides: a group cannot rename the appliance.
      hostname: 'not-this',
      users: [{ name: 'deploy', ssh_authorized_keys: [KEY] }],
    },
  },
});
const puppetOnly = aConfigGroup('puppet-only', { puppet: { classes: { ntp: {} } } });

function seedInput(over: Partial<NoCloudSeedInput> = {}): NoCloudSeedInput {
  return {
    instanceId: '0193a3c0-0000-7000-8000-000000000001',
    hostname: 'web-1',
    plan: cloudInitPlan('web-1', [base, puppetOnly, web], [
      { network: lab, address: '169.254.7.5', address6: 'fd00:7::5' },
      { network: storage, address: '169.254.9.5', address6: null },
    ]),
    login: { user: 'alice', sshPublicKey: KEY, passwordHash: passwordHash('s3cret pass') },
    configSshKey: CONFIG_KEY,
    macs: ['52:54:00:12:34:56', '52:54:00:12:34:57'],
    ...over,
  };
}

describe('NoCloud seed', () => {
  it('passes cloud-init schema, with the groups merged in order under what Fleetyard decides', async () => {
    const seed = buildNoCloudSeed(seedInput());
    assert.ok(seed.userData.startsWith('#cloud-config\n'));
    const verdict = await cloudInitSchema(seed.userData);
    assert.ok(verdict.valid, verdict.output);
    assert.match(verdict.output, /Valid cloud-config/);

    const doc = parse(seed.userData, { version: '1.1' }) as Record<string, unknown>;
    assert.equal(doc.hostname, 'web-1');
    assert.equal(doc.fqdn, 'web-1.lab.internal');
    assert.deepEqual(doc.packages, ['curl', 'nginx']);
    assert.deepEqual(doc.runcmd, [['touch', '/run/base'], 'systemctl restart nginx']);
    assert.deepEqual(doc.ntp, { enabled: true, servers: ['169.254.7.1', '169.254.9.1'] });
    assert.equal(doc.timezone, 'Europe/Berlin');
    const users = doc.users as Array<Record<string, unknown>>;
    assert.deepEqual(users.map((u) => u.name), ['alice', 'root', 'deploy']);
    assert.deepEqual(users[0]?.ssh_authorized_keys, [KEY]);
    assert.match(String(users[0]?.hashed_passwd), /^\$6\$/);
    assert.equal(users[0]?.lock_passwd, false);
    assert.deepEqual(users[1]?.ssh_authorized_keys, [CONFIG_KEY]);
    assert.equal(doc.disable_root, false);
    assert.equal(doc.ssh_pwauth, true);
    assert.ok(!seed.userData.includes('s3cret'), 'the password itself is in no seed');

    assert.deepEqual(parse(seed.metaData), { 'instance-id': '0193a3c0-0000-7000-8000-000000000001', 'local-hostname': 'web-1' });
  });

  it('fails cloud-init schema when a group carries what cloud-config does not accept', async () => {
    const broken = aConfigGroup('broken', { cloudInit: { cloudConfig: { packages: 'curl nginx', ssh_pwauth: 'perhaps' } } });
    const seed = buildNoCloudSeed(seedInput({ login: null, configSshKey: null, plan: cloudInitPlan('web-1', [broken], [{ network: storage, address: '169.254.9.5', address6: null }]) }));
    const verdict = await cloudInitSchema(seed.userData);
    assert.equal(verdict.valid, false);
    assert.match(verdict.output, /packages: 'curl nginx' is not of type 'array'/);
  });

  it('keeps strings strings for YAML 1.1 readers and needs no login', async () => {
    const odd = aConfigGroup('odd', { cloudInit: { cloudConfig: { timezone: 'yes', bootcmd: ['0777', 'on'] } } });
    const seed = buildNoCloudSeed(seedInput({ login: null, configSshKey: null, plan: cloudInitPlan('db-1', [odd], [{ network: storage, address: '169.254.9.5', address6: null }]) }));
    assert.ok((await cloudInitSchema(seed.userData)).valid);
    const doc = parse(seed.userData, { version: '1.1' }) as Record<string, unknown>;
    assert.equal(doc.timezone, 'yes');
    assert.deepEqual(doc.bootcmd, ['0777', 'on']);
    assert.equal(doc.users, undefined, 'no login, no groups\' users: the image keeps its default user');
    assert.equal(doc.fqdn, undefined, 'a network without a DNS zone gives no fqdn');
  });

  it('gives a network-config cloud-init renders: static addresses, the default route on the first network only', async () => {
    const seed = buildNoCloudSeed(seedInput());
    const files = await renderNetworkConfig(seed.networkConfig);
    const first = files['10-cloud-init-eth0.network'] ?? '';
    const second = files['10-cloud-init-eth1.network'] ?? '';
    assert.match(first, /MACAddress=52:54:00:12:34:56/);
    assert.match(first, /Address=169\.254\.7\.5\/24/);
    assert.match(first, /Address=fd00:7::5\/64/);
    assert.match(first, /Gateway=169\.254\.7\.1/);
    assert.match(first, /Gateway=fd00:7::1/);
    assert.match(first, /DNS=169\.254\.7\.1/);
    assert.match(first, /Domains=lab\.internal/);
    assert.match(first, /MTUBytes=1400/);
    assert.match(second, /MACAddress=52:54:00:12:34:57/);
    assert.match(second, /Address=169\.254\.9\.5\/24/);
    assert.doesNotMatch(second, /Gateway=|DNS=/);
  });

  it("gives a further network's IPv6 address to its interface, with no IPv6 route through it", async () => {
    const dual: Network = { ...aNetwork('dual'), spec: { ...storage.spec, bridge: 'fybr3', ipv6: { cidr: 'fd00:9::/64', gateway: 'fd00:9::1', excluded: [] } } };
    const networks = new Map([[lab.name, lab], [dual.name, dual]]);
    const a = {
      spec: { hostname: 'web-1', network: 'lab', moreNetworks: ['dual'], configGroups: [] },
      status: { address: '169.254.7.5', address6: 'fd00:7::5', moreAddresses: ['169.254.9.5'], moreAddresses6: ['fd00:9::5'] },
    } as unknown as Appliance;
    const inputs = await applianceConfigInputs({ configGroups: { getByName: async () => undefined }, networks: { getByName: async (n) => networks.get(n) } }, a);
    const seed = buildNoCloudSeed(seedInput({ plan: cloudInitPlan('web-1', inputs.groups, inputs.networks) }));
    const second = (await renderNetworkConfig(seed.networkConfig))['10-cloud-init-eth1.network'] ?? '';
    assert.match(second, /Address=169\.254\.9\.5\/24/);
    assert.match(second, /Address=fd00:9::5\/64/);
    assert.doesNotMatch(second, /Gateway=/);
  });

  it('a network-config cloud-init cannot read is refused by the same check', async () => {
    const seed = buildNoCloudSeed(seedInput({ plan: cloudInitPlan('web-1', [], [{ network: storage, address: 'not-an-address', address6: null }]) }));
    await assert.rejects(renderNetworkConfig(seed.networkConfig), /refused the network-config/);
  });
});
