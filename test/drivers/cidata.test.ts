import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cloudInitPlan } from '../../src/config/cloud-init-plan.ts';
import { DEFAULT_REQUIREMENTS } from '../../src/domain/appliance.ts';
import type { RuntimeSpec } from '../../src/drivers/driver.ts';
import { noCloudSeedOf } from '../../src/drivers/nocloud-seed.ts';
import { writeCidataImage } from '../../src/drivers/qemu/cidata.ts';
import { exec } from '../../src/host/exec.ts';
import { cloudInitSchema } from '../support/cloud-init.ts';
import { aConfigGroup, aNetwork } from '../support/objects.ts';

/**
 * The NoCloud seed volume as the qemu driver makes it, read back the way cloud-init finds it: a
 * vfat file system labelled CIDATA (blkid) holding the three files (mtools, nothing mounted).
 */
const dir = await mkdtemp(join(tmpdir(), 'fy-cidata-'));
after(() => rm(dir, { recursive: true, force: true }));

const network = { ...aNetwork('lab'), spec: { bridge: 'fybr1', cidr: '169.254.7.0/24', gateway: '169.254.7.1', excluded: [], dns: { backend: 'embedded' as const, zone: 'lab.internal' } } };
const spec: RuntimeSpec = {
  applianceId: 'app-1',
  name: 'app-1',
  hostname: 'web-1',
  command: [],
  requirements: DEFAULT_REQUIREMENTS,
  root: { format: 'qcow2', imagePath: '/i', clonePath: '/c' },
  network: { name: 'lab', bridge: 'fybr1', address: '169.254.7.5', prefixLength: 24, gateway: '169.254.7.1' },
  env: {},
  login: { user: 'alice', sshPublicKey: null, password: 'a password' },
  cloudInit: cloudInitPlan('web-1', [aConfigGroup('base', { cloudInit: { cloudConfig: { packages: ['curl'] } } })], [
    { network, address: '169.254.7.5', address6: null },
  ]),
};

const mtype = async (image: string, name: string) => (await exec('mtype', ['-i', image, `::${name}`])).stdout;

describe('NoCloud seed volume', () => {
  it('is a vfat volume labelled CIDATA with user-data, meta-data and network-config, root-only', async () => {
    const image = join(dir, 'cidata.img');
    const seed = noCloudSeedOf(spec, ['52:54:00:aa:bb:cc']);
    await writeCidataImage(image, seed);
    const probe = (await exec('blkid', ['-o', 'export', image])).stdout;
    assert.match(probe, /^LABEL=CIDATA$/m);
    assert.match(probe, /^TYPE=vfat$/m);
    assert.equal((await stat(image)).mode & 0o777, 0o600);
    const listing = (await exec('mdir', ['-i', image, '-b', '::'])).stdout.split('\n').filter(Boolean).sort();
    assert.deepEqual(listing, ['::/meta-data', '::/network-config', '::/user-data']);
    assert.equal(await mtype(image, 'user-data'), seed.userData);
    assert.equal(await mtype(image, 'meta-data'), seed.metaData);
    assert.equal(await mtype(image, 'network-config'), seed.networkConfig);
    const userData = await mtype(image, 'user-data');
    const verdict = await cloudInitSchema(userData);
    assert.ok(verdict.valid, verdict.output);
    assert.match(userData, /hashed_passwd: \$6\$/);
    assert.doesNotMatch(userData, /a password/);
    assert.match(userData, /fqdn: web-1\.lab\.internal/);
    assert.match(await mtype(image, 'network-config'), /macaddress: "?52:54:00:aa:bb:cc/);
  });

  it('replaces the image of an earlier boot whole', async () => {
    const image = join(dir, 'again.img');
    await writeCidataImage(image, noCloudSeedOf(spec, []));
    await writeCidataImage(image, noCloudSeedOf({ ...spec, hostname: 'web-2', cloudInit: null, login: null }, []));
    assert.match(await mtype(image, 'meta-data'), /local-hostname: web-2/);
    assert.doesNotMatch(await mtype(image, 'user-data'), /curl|hashed_passwd/);
    await assert.rejects(stat(`${image}.tmp`), { code: 'ENOENT' });
  });
});
