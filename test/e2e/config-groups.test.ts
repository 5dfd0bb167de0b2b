import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import ssh2 from 'ssh2';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { CloudRequest } from '../../src/domain/cloud-request.ts';
import type { ConfigGroup } from '../../src/domain/config-group.ts';
import type { FleetyardEvent } from '../../src/domain/event.ts';
import type { Product } from '../../src/domain/product.ts';
import type { User } from '../../src/domain/user.ts';
import { startCloud, type CloudFixture } from '../support/cloud-fixture.ts';
import { findLeaks } from '../support/host-leaks.ts';
import { SessionClient } from '../support/session.ts';
import { hostKeyFromConsole, sshRun } from '../support/ssh.ts';

/**
 * Configuration groups end to end: real runc containers of the busybox base image, the real
 * ansible-playbook run by the agent over SSH as root with the installation's key. The playbooks
 * use `raw` only (and `fail`, which runs on the controller), since the image has no Python.
 *
 * A product with a group provisions an appliance; the request goes active only after the group
 * is applied; the file the playbook wrote is read from inside the appliance over the user's own
 * SSH login; a new revision of the group is applied again; a product whose group's play fails
 * makes the request fail with the failing task's message in its reason.
 */
const HOUR = 3_600_000;
const MOTD = (text: string) => `- hosts: all\n  tasks:\n    - name: write the greeting\n      raw: printf '%s\\n' '${text}' > /etc/fleetyard-motd\n`;
const FAILING = [
  '- hosts: all',
  '  tasks:',
  '    - name: look at the disk',
  '      raw: df /',
  '    - name: make room for the web root',
  '      fail:',
  '        msg: no room for the web root on /srv',
  '',
].join('\n');

let cloud: CloudFixture;
let t0: number;
const keys = ssh2.utils.generateKeyPairSync('ed25519', { comment: 'carol@test' });
let carol: { user: User; session: SessionClient };
let group: ConfigGroup;
let configured: Product;
const made: string[] = [];

before(async () => {
  cloud = await startCloud({ policy: { autoApproveMaxCcu: 50, provisionLeadMs: 10 * 60_000 } });
  t0 = cloud.clock.now().getTime();
  const password = 'pw-carol-correct-horse';
  const user = await cloud.admin.ok<User>('POST', '/api/v1/users', { name: 'carol', email: 'carol@example.test', sshPublicKey: keys.public, password });
  await cloud.admin.ok('POST', '/api/v1/ccu/grants', { userId: user.id, ccu: 200, note: 'welcome credits' });
  const session = new SessionClient(cloud.cp.url);
  await session.login('carol', password);
  carol = { user, session };
  group = await cloud.admin.ok<ConfigGroup>('POST', '/api/v1/config-groups', { name: 'motd', description: 'a greeting', ansible: { playbook: MOTD('hello from revision 1') } });
  configured = await cloud.admin.ok<Product>('POST', '/api/v1/products', {
    name: 'configured',
    imageId: cloud.product.spec.imageId,
    sizes: [{ name: 's', cpu: 1, memoryMiB: 64, diskMiB: 0 }],
    virtualizations: ['container'],
    configGroups: ['motd'],
  });
});

after(async () => {
  await cloud?.admin.deleteAppliancesQuietly(made);
  await cloud?.close();
});

const order = (productId: string, fromHours: number, toHours: number) => ({
  productId,
  size: 's',
  startAt: new Date(t0 + fromHours * HOUR).toISOString(),
  endAt: new Date(t0 + toHours * HOUR).toISOString(),
});
const requestOf = (id: string) => carol.session.ok<CloudRequest>('GET', `/api/v1/cloud/requests/${id}`);
const eventsOf = async (objectId: string) => (await cloud.admin.ok<{ items: FleetyardEvent[] }>('GET', `/api/v1/events?objectId=${objectId}&limit=200`)).items;
const terminal = (s: string) => ['active', 'failed', 'done', 'denied', 'no-capacity'].includes(s);

describe('a product with a configuration group', () => {
  let request: CloudRequest;
  let appliance: Appliance;
  let hostKey: Buffer;
  const readMotd = async () => {
    const r = await sshRun({ address: appliance.status.address as string, localAddress: await cloud.tenantGateway(appliance.spec.network), hostKey }, { username: 'carol', privateKey: keys.private }, 'cat /etc/fleetyard-motd');
    assert.equal(r.code, 0, r.stdout);
    return r.stdout.trim();
  };

  it('provisions an appliance, applies the group with ansible-playbook, and only then is the request active', async () => {
    request = await carol.session.ok<CloudRequest>('POST', '/api/v1/cloud/requests', order(configured.id, 1, 3));
    cloud.clock.set(new Date(t0 + HOUR - 10 * 60_000));
    await cloud.until(async () => terminal((await requestOf(request.id)).status.state), 'the request settling', 120_000);
    request = await requestOf(request.id);
    assert.equal(request.status.state, 'active', request.status.reason ?? '');
    const id = request.status.applianceIds[0] as string;
    made.push(id);
    appliance = await cloud.admin.ok<Appliance>('GET', `/api/v1/appliances/${id}`);
    assert.deepEqual(appliance.spec.configGroups, ['motd']);
    const applied = appliance.status.config ?? [];
    assert.deepEqual(applied.map((c) => [c.group, c.revision, c.state, c.failed]), [['motd', 1, 'applied', 0]]);
    assert.ok((applied[0]?.changed ?? 0) >= 1, 'the raw task counts as a change');

    const events = await eventsOf(id);
    const running = events.find((e) => e.type === 'appliance.running');
    const done = events.find((e) => e.type === 'appliance.config-applied');
    assert.ok(running && done, events.map((e) => e.type).join(', '));
    assert.ok(running.seq < done.seq, 'the group was applied after the appliance ran');
    assert.equal(done.data.group, 'motd');
    assert.match(String(done.data.output), /write the greeting/);
    const active = (await eventsOf(request.id)).find((e) => e.type === 'request.active');
    assert.ok(active, 'the request went active');
    assert.ok(done.seq < active.seq, 'the request went active only after the group was applied');
    assert.match(String(active.data.reason), /configuration groups applied/);
  });

  it('left what the playbook wrote inside the appliance, read over the user’s own SSH login', async () => {
    hostKey = hostKeyFromConsole(await carol.session.text(`/api/v1/appliances/${appliance.id}/logs`));
    assert.equal(await readMotd(), 'hello from revision 1');
  });

  it('applies a new revision of the group to the running appliance again', async () => {
    const changed = await cloud.admin.ok<ConfigGroup>('PATCH', `/api/v1/config-groups/${group.id}`, { ansible: { playbook: MOTD('hello from revision 2') } });
    assert.equal(changed.spec.revision, 2);
    await cloud.until(async () => {
      const a = await cloud.admin.ok<Appliance>('GET', `/api/v1/appliances/${appliance.id}`);
      return a.status.config?.[0]?.revision === 2;
    }, 'revision 2 applied', 60_000);
    assert.equal(await readMotd(), 'hello from revision 2');
    const usage = await cloud.admin.ok<{ appliances: Array<{ id: string; applied: { revision: number; state: string } | null }> }>('GET', `/api/v1/config-groups/${group.id}/usage`);
    assert.deepEqual(usage.appliances.map((a) => [a.id, a.applied?.revision, a.applied?.state]), [[appliance.id, 2, 'applied']]);
    assert.equal((await requestOf(request.id)).status.state, 'active');
  });

  it('is released at the end like any other request, leaving nothing on the host', async () => {
    await carol.session.ok('POST', `/api/v1/cloud/requests/${request.id}/cancel`, {});
    await cloud.until(async () => (await requestOf(request.id)).status.state === 'done', 'the cancelled request ending', 60_000);
    const leaks = await findLeaks([appliance.id], join(cloud.dataDir, 'run', 'container'), { storageRoot: join(cloud.dataDir, 'storage', 'local') });
    assert.deepEqual(leaks, []);
  });
});

describe('a product whose configuration group fails', () => {
  it("fails the request with the failing task's message in its reason", async () => {
    await cloud.admin.ok('POST', '/api/v1/config-groups', { name: 'web-root', ansible: { playbook: FAILING } });
    const broken = await cloud.admin.ok<Product>('POST', '/api/v1/products', {
      name: 'broken',
      imageId: cloud.product.spec.imageId,
      sizes: [{ name: 's', cpu: 1, memoryMiB: 64, diskMiB: 0 }],
      virtualizations: ['container'],
      configGroups: ['web-root'],
    });
    const now = cloud.clock.now().getTime() - t0;
    let request = await carol.session.ok<CloudRequest>('POST', '/api/v1/cloud/requests', order(broken.id, now / HOUR + 0.1, now / HOUR + 1));
    await cloud.until(async () => terminal((await requestOf(request.id)).status.state), 'the request settling', 120_000);
    request = await requestOf(request.id);
    assert.equal(request.status.state, 'failed');
    assert.match(request.status.reason ?? '', /configuration group web-root failed/);
    assert.match(request.status.reason ?? '', /no room for the web root on \/srv/);
    const id = request.status.applianceIds[0] as string;
    made.push(id);
    const failedEvent = (await eventsOf(id)).find((e) => e.type === 'appliance.config-failed');
    assert.ok(failedEvent, 'the failed run was recorded');
    assert.equal(failedEvent.data.failed, 1);
    assert.ok(Number(failedEvent.data.ok) >= 1, 'the task before the failing one ran');
    assert.match(String(failedEvent.data.message), /make room for the web root/);
    await cloud.until(async () => (await cloud.admin.call('GET', `/api/v1/appliances/${id}`)).status === 404, 'the failed request releasing its appliance', 60_000);
  });
});
