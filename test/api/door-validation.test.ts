import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Image } from '../../src/domain/image.ts';
import type { Resource } from '../../src/domain/resource.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { startSimControlPlane, type SimControlPlane } from './sim-control-plane.ts';

/**
 * What a driver or a tool would refuse later is refused at the API, with the field and a code.
 * Before, each of these was accepted and then failed for ever: a BMC user or password longer
 * than IPMI allows, a kernel command line with a line break or `${` (iPXE commands), an SSH key
 * whose comment holds a TAB, a command argument with NUL, a label or token name with a newline.
 */
const V1 = '/api/v1';
let s: SimControlPlane;
let api: TestApi;
let hostId: string;
let image: Image;

before(async () => {
  s = await startSimControlPlane();
  api = new TestApi(s.cp.url, s.cp.adminToken);
  hostId = ((await api.ok<{ items: Resource[] }>('GET', `${V1}/resources`)).items[0] as Resource).id;
  image = await api.uploadImage('base', baseImageTar());
});

after(async () => {
  await s?.cleanup();
});

/** The call is refused with FY_VALIDATION, and an issue names `field` (a JSON pointer). */
async function refusedAt(method: string, path: string, body: unknown, field: string): Promise<void> {
  const r = await api.call<{ error: { code: string; details?: { issues?: Array<{ path: string }> } } }>(method, path, body);
  assert.equal(r.status, 400, `${path} ${JSON.stringify(body).slice(0, 120)} answered ${r.status}`);
  assert.equal(r.body.error.code, 'FY_VALIDATION');
  const paths = (r.body.error.details?.issues ?? []).map((i) => i.path);
  assert.ok(paths.includes(field), `the issues name ${field}: ${JSON.stringify(paths)}`);
}

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';

describe('the API refuses at the door', () => {
  it('BMC credentials and addresses IPMI cannot take', async () => {
    const server = (bmc: Record<string, unknown>) => ({
      name: 'srv',
      hostId,
      mac: '52:54:00:12:34:56',
      bmc: { address: '169.254.9.9', user: 'admin', password: 'secret', ...bmc },
      capacity: { cpu: 1, memoryMiB: 512, diskMiB: 0 },
    });
    await refusedAt('POST', `${V1}/resources`, server({ user: 'u'.repeat(17) }), '/bmc/user');
    await refusedAt('POST', `${V1}/resources`, server({ password: 'p'.repeat(21) }), '/bmc/password');
    await refusedAt('POST', `${V1}/resources`, server({ password: 'line\nbreak' }), '/bmc/password');
    await refusedAt('POST', `${V1}/resources`, server({ address: 'not a host!' }), '/bmc/address');
  });

  it('kernel command lines that would change an iPXE script or overflow the kernel', async () => {
    await refusedAt('POST', `${V1}/kernels`, { name: 'k1', cmdline: 'console=ttyS0\nshell' }, '/cmdline');
    await refusedAt('POST', `${V1}/kernels`, { name: 'k2', cmdline: 'console=${net0/ip}' }, '/cmdline');
    await refusedAt('POST', `${V1}/kernels`, { name: 'k3', cmdline: 'x'.repeat(1025) }, '/cmdline');
    assert.equal((await api.call('POST', `${V1}/kernels`, { name: 'k4', cmdline: 'console=ttyS0 quiet panic=-1' })).status, 201, 'a good one is taken');
  });

  it('SSH keys OpenSSH cannot read, or with a TAB in the comment', async () => {
    const user = (sshPublicKey: string) => ({ name: `u${Math.random().toString(36).slice(2, 8)}`, email: 'u@example.test', sshPublicKey });
    await refusedAt('POST', `${V1}/users`, user(`${KEY} alice\tlaptop`), '/sshPublicKey');
    await refusedAt('POST', `${V1}/users`, user('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 short'), '/sshPublicKey');
    assert.equal((await api.call('POST', `${V1}/users`, user(`${KEY} alice@laptop`))).status, 201, 'a good one is taken');
  });

  it('command arguments with NUL, and labels and token names with line breaks', async () => {
    await refusedAt('POST', `${V1}/appliances`, { name: 'a1', imageId: image.id, command: ['/bin/sh', 'x\u0000y'] }, '/command/1');
    await refusedAt('POST', `${V1}/appliances`, { name: 'a2', imageId: image.id, labels: { team: 'a\nb' } }, '/labels/team');
    await refusedAt('POST', `${V1}/tokens`, { name: 'ci\nadmin' }, '/name');
  });
});
