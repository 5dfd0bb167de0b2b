import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startControlPlane, type ControlPlane } from '../../src/control-plane/control-plane.ts';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { NetworkDns } from '../../src/domain/network.ts';
import { reverseZone } from '../../src/dns/records.ts';
import { SecretBox } from '../../src/identity/secret-box.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { dig } from '../support/dig.ts';
import { makeTestNetwork, type TestNetwork } from '../support/host-leaks.ts';
import { startNamed, type Named } from '../support/named.ts';

/**
 * The rfc2136 backend end to end: the `default` network publishes to Debian's BIND 9 (a named of
 * the test's own with a TSIG key), and an appliance's A and PTR records appear there before it
 * is reported running, stay through a move, and are gone after its deletion. A wrong key keeps
 * the appliance from being reported running, with the server's refusal in its status.
 */
let cp: ControlPlane;
let api: TestApi;
let net: TestNetwork;
let named: Named;
let dataDir: string;
let app: Appliance | undefined;
let box: SecretBox;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'fy-dns-bind-'));
  net = await makeTestNetwork();
  // The test network is a /24: its PTR records live in the reverse zone of its three octets.
  named = await startNamed(['fy.test', reverseZone(net.cidr)]);
  cp = await startControlPlane({ dataDir, listen: '127.0.0.1:0', networkBridge: net.bridge, networkCidr: net.cidr });
  api = new TestApi(cp.url, cp.adminToken);
  box = SecretBox.forDataDir(dataDir);
});

after(async () => {
  if (app) await api.deleteAppliancesQuietly([app.id]);
  await cp.stop();
  await named.stop();
  await net.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

/** What an admin would set through the networks API: here written to the store directly. */
async function setDns(secret: string): Promise<void> {
  const dns: NetworkDns = { backend: 'rfc2136', zone: 'fy.test', server: named.address, port: named.port, keyName: named.key.name, keyAlgorithm: named.key.algorithm, keySecretSealed: box.seal(secret) };
  const network = await cp.store.read.networks.getByName('default');
  assert.ok(network);
  await cp.store.transaction((tx) => tx.networks.update({ ...network, spec: { ...network.spec, dns } }, cp.store.clock.now(), true));
}

describe('names of appliances on BIND 9 through RFC 2136', () => {
  it('are refused with a wrong key, and the appliance is not reported running', async () => {
    await setDns(Buffer.alloc(32, 9).toString('base64'));
    const image = await api.uploadImage('base', baseImageTar());
    app = await api.ok<Appliance>('POST', '/api/v1/appliances', { name: 'db', imageId: image.id, requirements: { virtualization: 'sim' } });
    let seen: Appliance | undefined;
    await api.waitAppliances([app.id], (a) => {
      seen = a;
      return a?.status.retry?.lastError !== undefined;
    }, 'the refusal');
    assert.notEqual(seen?.status.phase, 'running');
    assert.match(seen?.status.retry?.lastError ?? '', /NOTAUTH, TSIG BADSIG: the key fleetyard-test-key/);
    assert.equal((await dig(named.address, named.port, 'db.fy.test', 'A')).status, 'NXDOMAIN');
  });

  it('appear with the right key before the appliance is running, A and PTR', async () => {
    assert.ok(app);
    await setDns(named.key.secret);
    // The reconciler tries again on its own (a refusal is retried like any failure).
    await api.waitAppliances([app.id], (a) => a?.status.phase === 'running', 'running', 120_000);
    app = await api.ok<Appliance>('GET', `/api/v1/appliances/${app.id}`);
    const address = app.status.address as string;
    assert.deepEqual((await dig(named.address, named.port, 'db.fy.test', 'A')).values, [address]);
    assert.deepEqual((await dig(named.address, named.port, address, 'PTR')).values, ['db.fy.test']);
  });

  it('follow a move and are gone after the delete', async () => {
    assert.ok(app);
    const address = app.status.address as string;
    const moved = await api.moveAppliance(app.id, 'container');
    assert.equal(moved.status.lastMove?.outcome, 'moved');
    assert.deepEqual((await dig(named.address, named.port, 'db.fy.test', 'A')).values, [moved.status.address]);
    await api.ok('DELETE', `/api/v1/appliances/${app.id}`);
    await api.waitAppliances([app.id], (a) => a === undefined, 'deleted');
    app = undefined;
    assert.equal((await dig(named.address, named.port, 'db.fy.test', 'A')).status, 'NXDOMAIN');
    assert.equal((await dig(named.address, named.port, address, 'PTR')).status, 'NXDOMAIN');
  });
});
