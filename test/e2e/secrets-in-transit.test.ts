import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { TransitKey } from '../../src/agent/transit-key.ts';
import { startControlPlane, type ControlPlane } from '../../src/control-plane/control-plane.ts';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { Resource } from '../../src/domain/resource.ts';
import type { Driver, MachinePowerAction, Observation, PowerCapability, RuntimeMachine, RuntimeSpec } from '../../src/drivers/driver.ts';
import { SimDriver } from '../../src/drivers/sim/sim-driver.ts';
import { ConfigSshKey } from '../../src/identity/config-ssh-key.ts';
import { SecretBox } from '../../src/identity/secret-box.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { eventually } from '../support/eventually.ts';

/**
 * Secrets reach the agent that uses them sealed to that agent's key, never in plain on the bus
 * (the embedded agent enrols itself at start, so its transit key is the one it enrolled with):
 * a user's generated login password on its way into an appliance, and a server's BMC password on
 * its way to the host that powers it. Every command the control plane sends is recorded as it
 * enters the bus; neither password may appear in any of them, while the drivers behind the agent
 * get what they need (the login in plain, the BMC password sealed to the agent, which opens it).
 *
 * The drivers are fakes at the driver boundary (sim, and a power-only stand-in for physical):
 * what is under test is the control plane, the bus and the agent between them.
 */
class RecordingSim extends SimDriver {
  readonly specs: RuntimeSpec[] = [];
  override ensure(spec: RuntimeSpec, desired: 'running' | 'stopped'): Promise<Observation> {
    this.specs.push(spec);
    return super.ensure(spec, desired);
  }
}

/** Answers power questions only; records the machines it was asked about. */
class PowerOnly implements Driver, PowerCapability {
  readonly virtualization = 'physical' as const;
  readonly asked: RuntimeMachine[] = [];
  async probe() {
    return { available: true, reason: null };
  }
  async ensure(): Promise<Observation> {
    throw new Error('not used here');
  }
  async inspect(): Promise<Observation> {
    return { state: 'absent', pid: null, message: null, startedAt: null, handle: {} };
  }
  async destroy(): Promise<void> {}
  async list(): Promise<string[]> {
    return [];
  }
  async machinePower(machine: RuntimeMachine, _action: MachinePowerAction): Promise<'on' | 'off'> {
    this.asked.push(machine);
    return 'off';
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'fy-transit-e2e-'));
const sim = new RecordingSim();
const metal = new PowerOnly();
const sent: string[] = [];
let cp: ControlPlane;
let api: TestApi;

before(async () => {
  cp = await startControlPlane({ dataDir, listen: '127.0.0.1:0', drivers: [sim, metal], powerPollMs: 60_000 });
  const request = cp.bus.request.bind(cp.bus);
  cp.bus.request = (subject, payload, timeoutMs, opts) => {
    sent.push(`${subject} ${JSON.stringify(payload)}`);
    return request(subject, payload, timeoutMs, opts);
  };
  api = new TestApi(cp.url, cp.adminToken);
});

after(async () => {
  await cp?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('a login password and a BMC password cross the bus sealed for the agent', async () => {
  const loginPassword = 'login-Secret-4711-horse';
  const bmcPassword = 'bmc-Secret-0815';

  // A BMC password: registered, sealed at rest, then sent to the host to read the power state.
  const [host] = (await api.ok<{ items: Resource[] }>('GET', '/api/v1/resources?type=physical')).items;
  assert.ok(host);
  const server = await api.ok<Resource>('POST', '/api/v1/resources', {
    name: 'pm-transit',
    hostId: host.id,
    mac: '52:54:00:aa:bb:01',
    bmc: { address: '127.0.0.1', port: 6230, user: 'admin', password: bmcPassword },
    capacity: { cpu: 1, memoryMiB: 256, diskMiB: 0 },
  });
  await eventually(() => metal.asked.length > 0, 'the power monitor to ask the host', 15_000);
  const machine = metal.asked[0] as RuntimeMachine;
  assert.equal(machine.resourceId, server.id);
  assert.equal(TransitKey.forDataDir(dataDir).open(machine.bmc.passwordSealed), bmcPassword, 'the agent opens it');
  assert.throws(() => SecretBox.forDataDir(dataDir).open(machine.bmc.passwordSealed), 'not the at-rest form');
  await eventually(async () => (await api.ok<Resource>('GET', `/api/v1/resources/${server.id}`)).status.powerState === 'off', 'the power state', 15_000, 50);

  // A login password: sealed at rest in the appliance's spec, as the cloud writes it.
  const image = await api.uploadImage('base', baseImageTar());
  const created = await api.ok<Appliance>('POST', '/api/v1/appliances', {
    name: 'transit',
    imageId: image.id,
    requirements: { virtualization: 'sim' },
    start: false,
  });
  await cp.store.transaction(async (tx) => {
    const a = await tx.appliances.require(created.id);
    const login = { user: 'carol', sshPublicKey: null, passwordSealed: SecretBox.forDataDir(dataDir).seal(loginPassword) };
    await tx.appliances.update({ ...a, spec: { ...a.spec, login } }, cp.store.clock.now(), true);
  });
  await api.ok('POST', `/api/v1/appliances/${created.id}/start`);
  await api.waitAppliances([created.id], (a) => a?.status.phase === 'running', 'the appliance running', 30_000);
  const spec = sim.specs.find((s) => s.applianceId === created.id);
  assert.deepEqual(spec?.login, { user: 'carol', sshPublicKey: null, password: loginPassword }, 'the driver gets the login in plain');

  // Each whole command is sealed for the agent; opened with its key, the secret inside is sealed too.
  const agentKey = TransitKey.forDataDir(dataDir);
  const opened = (verb: string) =>
    sent
      .filter((s) => s.includes(`.${verb} `))
      .map((s) => {
        const env = JSON.parse(s.slice(s.indexOf(' ') + 1)) as { payload: string };
        const { sealed } = JSON.parse(env.payload) as { sealed: string };
        assert.match(sealed, /^t1\./, `the ${verb} command travels sealed`);
        return agentKey.open(sealed);
      });
  assert.ok(opened('ensure').some((s) => s.includes('"passwordSealed":"t1.')), 'the login went sealed for the agent');
  assert.ok(opened('power').some((s) => s.includes('"passwordSealed":"t1.')), 'the BMC password went sealed for the agent');
  assert.ok(!sent.some((s) => s.includes('passwordSealed')), 'no command shows its fields on the bus');
  for (const s of sent) {
    assert.ok(!s.includes(loginPassword), `the login password on the bus: ${s.slice(0, 120)}`);
    assert.ok(!s.includes(bmcPassword), `the BMC password on the bus: ${s.slice(0, 120)}`);
  }
});

test('the configuration-management private key crosses the bus sealed for the agent', async () => {
  await api.ok('POST', '/api/v1/config-groups', { name: 'motd', ansible: { playbook: '- hosts: all\n  tasks:\n    - raw: echo hi\n' } });
  const image = (await api.ok<{ items: Array<{ id: string }> }>('GET', '/api/v1/images?name=base')).items[0] as { id: string };
  const created = await api.ok<Appliance>('POST', '/api/v1/appliances', { name: 'configured', imageId: image.id, requirements: { virtualization: 'sim' }, configGroups: ['motd'] });
  // The simulated driver has no console to learn a host key from: the run is recorded as failed.
  await api.waitAppliances([created.id], (a) => a?.status.config?.[0]?.state === 'failed', 'the configuration run recorded', 30_000);
  const box = SecretBox.forDataDir(dataDir);
  const key = ConfigSshKey.forDataDir(dataDir, box);
  const privateKey = box.open(key.privateKeySealed);
  assert.match(privateKey, /BEGIN OPENSSH PRIVATE KEY/);
  const secretLine = privateKey.split('\n')[1] as string;
  const spec = sim.specs.find((s) => s.applianceId === created.id);
  assert.equal(spec?.configSshKey, key.publicKey, 'the seed gets the public key');
  const agentKey = TransitKey.forDataDir(dataDir);
  const commands = sent
    .filter((s) => s.includes('.configure '))
    .map((s) => JSON.parse(agentKey.open((JSON.parse((JSON.parse(s.slice(s.indexOf(' ') + 1)) as { payload: string }).payload) as { sealed: string }).sealed)) as { body: { privateKeySealed: string } });
  assert.ok(commands.length > 0, 'a configure command was sent');
  for (const c of commands) assert.equal(agentKey.open(c.body.privateKeySealed), privateKey, 'sealed for the agent, which opens it');
  for (const s of sent) assert.ok(!s.includes(secretLine) && !s.includes('privateKeySealed'), `the private key on the bus: ${s.slice(0, 120)}`);
});
