import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { User } from '../../src/domain/user.ts';
import type { Observation, RuntimeSpec } from '../../src/drivers/driver.ts';
import { noCloudSeedOf } from '../../src/drivers/nocloud-seed.ts';
import { SimDriver } from '../../src/drivers/sim/sim-driver.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { cloudInitSchema } from '../support/cloud-init.ts';
import { tokenFor } from '../support/session.ts';
import { startSimControlPlane, type SimControlPlane } from './sim-control-plane.ts';

/**
 * An appliance's groups as Puppet and cloud-init get them, on a real control plane: the ENC route
 * (by fqdn, hostname or id; for the Puppet token and admins only) and the NoCloud plan the
 * reconciler puts in the ensure command, which the sim driver records here as the agent gave it.
 */
const V1 = '/api/v1';
const PUPPET_TOKEN = 'puppet-token-for-the-enc-test';
const ZONE = 'lab.internal';

/** The simulated driver, keeping every spec it is asked to run. */
class RecordingSimDriver extends SimDriver {
  readonly started: RuntimeSpec[] = [];
  override async ensure(spec: RuntimeSpec, desired: 'running' | 'stopped'): Promise<Observation> {
    if (desired === 'running') this.started.push(spec);
    return super.ensure(spec, desired);
  }
}

let cp: SimControlPlane;
let admin: TestApi;
let driver: RecordingSimDriver;
let simDir: string | undefined;
let web: Appliance;
type Refusal = { error: { code: string; details?: Record<string, unknown> } };

async function getEnc(certname: string, token: string | undefined): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`${cp.cp.url}${V1}/config/puppet/enc/${encodeURIComponent(certname)}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

before(async () => {
  simDir = await mkdtemp(join(tmpdir(), 'fy-enc-sim-'));
  driver = new RecordingSimDriver({ stateDir: simDir });
  cp = await startSimControlPlane({ drivers: [driver], puppetToken: PUPPET_TOKEN });
  admin = new TestApi(cp.cp.url, cp.cp.adminToken);
  // The default network publishes its names in a zone, so appliances have an fqdn.
  const network = await cp.cp.store.read.networks.getByName('default');
  assert.ok(network);
  await cp.cp.store.transaction((tx) => tx.networks.update({ ...network, spec: { ...network.spec, dns: { backend: 'embedded', zone: ZONE } } }, new Date()));
  const imageId = (await admin.uploadImage('base', baseImageTar())).id;
  await admin.ok('POST', `${V1}/config-groups`, {
    name: 'base',
    puppet: { classes: { ntp: { servers: ['169.254.0.1'], iburst: true }, motd: {} } },
    cloudInit: { cloudConfig: { packages: ['curl'], ntp: { enabled: true } } },
  });
  await admin.ok('POST', `${V1}/config-groups`, {
    name: 'web',
    puppet: { classes: { ntp: { servers: ['169.254.0.2'] }, 'profile::nginx': { port: 80 } } },
    cloudInit: { cloudConfig: { packages: ['nginx'], runcmd: ['systemctl restart nginx'] } },
  });
  web = await admin.ok<Appliance>('POST', `${V1}/appliances`, { name: 'web-1', imageId, requirements: { virtualization: 'sim' }, configGroups: ['base', 'web'] });
  await admin.ok<Appliance>('POST', `${V1}/appliances`, { name: 'twin-a', hostname: 'twin', imageId, start: false });
  await admin.ok<Appliance>('POST', `${V1}/appliances`, { name: 'twin-b', hostname: 'twin', imageId, start: false });
  await admin.waitAppliances([web.id], (a) => a?.status.phase === 'running', 'web-1 running');
  web = await admin.ok<Appliance>('GET', `${V1}/appliances/${web.id}`);
});

after(async () => {
  await cp?.cleanup();
  if (simDir) await rm(simDir, { recursive: true, force: true });
});

describe('Puppet ENC', () => {
  it('classifies an appliance by its fqdn, hostname or id: its groups\' classes as YAML', async () => {
    for (const certname of [`web-1.${ZONE}`, 'web-1', 'WEB-1.LAB.INTERNAL', web.id]) {
      const r = await getEnc(certname, PUPPET_TOKEN);
      assert.equal(r.status, 200, `${certname}: ${r.text}`);
      assert.match(r.type ?? '', /^application\/yaml/);
      const doc = parse(r.text, { version: '1.1' }) as { environment: string; classes: Record<string, unknown>; parameters: Record<string, unknown> };
      assert.equal(doc.environment, 'production');
      assert.deepEqual(doc.classes, { ntp: { servers: ['169.254.0.2'], iburst: true }, motd: {}, 'profile::nginx': { port: 80 } });
      assert.equal(doc.parameters.fleetyard_appliance_id, web.id);
      assert.equal(doc.parameters.fleetyard_fqdn, `web-1.${ZONE}`);
      assert.equal(doc.parameters.fleetyard_address, web.status.address);
      assert.deepEqual(doc.parameters.fleetyard_config_groups, ['base', 'web']);
    }
    const byAdmin = await getEnc('web-1', cp.cp.adminToken);
    assert.equal(byAdmin.status, 200);
  });

  it('answers an unknown certname with 404 FY_PUPPET_NODE_UNKNOWN and a shared one with 409', async () => {
    const unknown = await getEnc('nobody.lab.internal', PUPPET_TOKEN);
    assert.equal(unknown.status, 404);
    assert.equal((JSON.parse(unknown.text) as Refusal).error.code, 'FY_PUPPET_NODE_UNKNOWN');
    const twin = await getEnc('twin', PUPPET_TOKEN);
    assert.equal(twin.status, 409);
    assert.equal((JSON.parse(twin.text) as Refusal).error.code, 'FY_PUPPET_NODE_AMBIGUOUS');
    assert.equal(((JSON.parse(twin.text) as Refusal).error.details?.appliances as string[]).length, 2);
  });

  it('is for the Puppet token and admins: no token, a wrong one and a cloud user are refused', async () => {
    assert.equal((await getEnc('web-1', undefined)).status, 401);
    assert.equal((await getEnc('web-1', 'not-the-puppet-token')).status, 401);
    await admin.ok<User>('POST', `${V1}/users`, { name: 'erin', email: 'erin@example.test', password: 'erin-password-correct-horse' });
    const erin = await tokenFor(cp.cp.url, 'erin', 'erin-password-correct-horse');
    const r = await getEnc('web-1', erin);
    assert.deepEqual([r.status, (JSON.parse(r.text) as Refusal).error.code], [403, 'FY_FORBIDDEN']);
    // The Puppet token reads the ENC and nothing else.
    const other = await new TestApi(cp.cp.url, PUPPET_TOKEN).call<Refusal>('GET', `${V1}/appliances`);
    assert.equal(other.status, 401);
  });
});

describe('NoCloud seed from the groups', () => {
  it('travels in the ensure command: the groups\' cloud-config, the fqdn and the network, which cloud-init accepts', async () => {
    const spec = driver.started.filter((s) => s.applianceId === web.id).at(-1);
    assert.ok(spec?.cloudInit, 'the ensure command carries the plan');
    assert.equal(spec.cloudInit.fqdn, `web-1.${ZONE}`);
    assert.deepEqual(spec.cloudInit.cloudConfig, { packages: ['curl', 'nginx'], ntp: { enabled: true }, runcmd: ['systemctl restart nginx'] });
    const [first] = spec.cloudInit.networks;
    assert.equal(first?.address, web.status.address);
    assert.equal(first?.gateway, spec.network.gateway);
    assert.deepEqual([first?.nameservers, first?.search], [[spec.network.gateway], [ZONE]]);
    const verdict = await cloudInitSchema(noCloudSeedOf(spec, ['52:54:00:00:00:01']).userData);
    assert.ok(verdict.valid, verdict.output);
  });

  it("shows an admin the appliance's ENC classes and user-data", async () => {
    const view = await admin.ok<{ groups: string[]; certname: string; enc: { classes: Record<string, unknown> }; cloudInit: { userData: string } }>('GET', `${V1}/appliances/${web.id}/configuration`);
    assert.deepEqual(view.groups, ['base', 'web']);
    assert.equal(view.certname, `web-1.${ZONE}`);
    assert.deepEqual(Object.keys(view.enc.classes), ['ntp', 'motd', 'profile::nginx']);
    assert.match(view.cloudInit.userData, /^#cloud-config\n/);
    assert.match(view.cloudInit.userData, /fqdn: web-1\.lab\.internal/);
    assert.ok((await cloudInitSchema(view.cloudInit.userData)).valid);
  });
});
