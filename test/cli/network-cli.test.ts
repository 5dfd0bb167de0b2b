import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { Network } from '../../src/domain/network.ts';
import { startSimControlPlane, type SimControlPlane } from '../api/sim-control-plane.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';

/**
 * `fleetyard network …` as admins run it, a child process against a real control plane (SQLite,
 * the simulated driver): make, list, show, change, address use, a refusal with its reason, and a
 * TSIG secret that comes from stdin and is never printed.
 */
const BIN = fileURLToPath(new URL('../../bin/fleetyard.js', import.meta.url));
let sim: SimControlPlane;
let admin: TestApi;
let cidr: string;

function run(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, FLEETYARD_API: sim.cp.url, FLEETYARD_TOKEN: sim.cp.adminToken ?? '', FORCE_COLOR: '0' }, timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

before(async () => {
  sim = await startSimControlPlane();
  admin = new TestApi(sim.cp.url, sim.cp.adminToken);
  const def = (await admin.ok<{ items: Network[] }>('GET', '/api/v1/networks?name=default')).items[0] as Network;
  const third = Number((def.spec.cidr as string).split('.')[2]);
  cidr = `169.254.${third === 200 ? 201 : 200}.0/24`;
});

after(async () => {
  await sim?.cleanup();
});

describe('fleetyard network', () => {
  it('creates a network with an IPv6 pool that spans hosts, lists and shows it', async () => {
    const r = await run(['network', 'create', 'backend', '--bridge', 'fyclinet', '--cidr', cidr, '--ipv6', 'fd00:c1::/64', '--dns-zone', 'backend.internal', '--spans-hosts']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`network backend ${cidr.replace(/\./g, '\\.')} fd00:c1::/64 on fyclinet \\(VNI \\d+\\)`));
    const list = await run(['network', 'list']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /NAME\s+BRIDGE\s+CIDR\s+GATEWAY\s+IPV6\s+MTU\s+VNI\s+DNS\s+USED\s+FROM/);
    assert.match(list.stdout, /backend\s+fyclinet\s+\S+\s+\S+\s+fd00:c1::\/64\s+1450\s+\d+\s+backend\.internal \(embedded\)\s+0\/253 0\/18446744073709551614\s+admin/);
    assert.match(list.stdout, /default\s+.*configuration/);
    const show = await run(['network', 'show', 'backend', '--json']);
    assert.equal((JSON.parse(show.stdout) as Network).spec.ipv6?.gateway, 'fd00:c1::1');
  });

  it('creates an IPv6-only network, lists it with its IPv6 use alone, and refuses a network with no pool', async () => {
    const r = await run(['network', 'create', 'sixonly', '--bridge', 'fyclisix', '--ipv6', 'fd00:c6::/64']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^network sixonly fd00:c6::\/64 on fyclisix\n$/);
    const list = await run(['network', 'list']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /sixonly\s+fyclisix\s+-\s+-\s+fd00:c6::\/64\s+1500\s+-\s+-\s+0\/18446744073709551614\s+admin/);
    const use = await run(['network', 'addresses', 'sixonly']);
    assert.equal(use.code, 0, use.stderr);
    assert.doesNotMatch(use.stdout, /ipv4/);
    assert.match(use.stdout, /ipv6/);
    const none = await run(['network', 'create', 'nopool', '--bridge', 'fyclinone']);
    assert.notEqual(none.code, 0);
    assert.match(none.stderr, /FY_VALIDATION.*cidr is required unless the network has an IPv6 pool/s);
    assert.equal((await run(['network', 'rm', 'sixonly'])).code, 0);
  });

  it('changes a network with the version it read, and takes a TSIG secret only from stdin', async () => {
    const secret = 'Y2xpLXRzaWctc2VjcmV0LWZvci10ZXN0cw==';
    const r = await run(['network', 'set', 'backend', '--mtu', '1400', '--dns-zone', 'b.internal', '--dns-server', '127.0.0.1', '--dns-port', '5353', '--dns-key-name', 'fy', '--dns-key-algorithm', 'hmac-sha256', '--dns-key-secret-stdin'], `${secret}\n`);
    assert.equal(r.code, 0, r.stderr);
    const show = await run(['network', 'show', 'backend']);
    assert.match(show.stdout, /spec\.mtu\s+1400/);
    assert.match(show.stdout, /spec\.dns\.backend\s+rfc2136/);
    assert.match(show.stdout, /spec\.dns\.port\s+5353/);
    assert.ok(!show.stdout.includes(secret) && !show.stdout.includes('keySecret'));
    const local = await run(['network', 'set', 'backend', '--local', '--no-dns']);
    assert.equal(local.code, 0, local.stderr);
    const n = JSON.parse((await run(['network', 'show', 'backend', '--json'])).stdout) as Network;
    assert.equal(n.spec.vxlan, null);
    assert.equal(n.spec.dns, null);
    const nothing = await run(['network', 'set', 'backend']);
    assert.notEqual(nothing.code, 0);
    assert.match(nothing.stderr, /nothing to change/);
  });

  it('shows address use, and refuses to delete a network in use with the reason', async () => {
    const image = await admin.uploadImage('base', baseImageTar());
    const a = await admin.ok<Appliance>('POST', '/api/v1/appliances', { name: 'web-1', imageId: image.id, network: 'backend', requirements: { virtualization: 'sim' } });
    try {
      await admin.waitAppliances([a.id], (x) => x?.status.phase === 'running', 'running');
      const use = await run(['network', 'addresses', 'backend']);
      assert.equal(use.code, 0, use.stderr);
      assert.match(use.stdout, /ipv4\s+253\s+1\s+252/);
      assert.match(use.stdout, /ipv6\s+18446744073709551614\s+1\s+18446744073709551613/);
      assert.match(use.stdout, /fd00:c1::2\s+ipv6\s+web-1/);
      const rm = await run(['network', 'rm', 'backend']);
      assert.notEqual(rm.code, 0);
      assert.match(rm.stderr, /FY_NETWORK_IN_USE.*used by 1 appliance: web-1/);
    } finally {
      await admin.deleteAppliancesQuietly([a.id]);
    }
    const refused = await run(['network', 'rm', 'default']);
    assert.match(refused.stderr, /FY_NETWORK_IN_USE.*configuration/);
    const rm = await run(['network', 'rm', 'backend']);
    assert.equal(rm.code, 0, rm.stderr);
    assert.match((await run(['network', 'list'])).stdout, /^(?![\s\S]*backend)/);
  });
});
