import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { daemonPid } from '../../src/boot/daemon.ts';
import { authDnsmasqDaemon, zonePaths, type EmbeddedZone } from '../../src/dns/dnsmasq-auth.ts';
import { EmbeddedDnsServer } from '../../src/dns/embedded-server.ts';
import { ensureBridge } from '../../src/network/bridge.ts';
import { isAlive } from '../../src/host/processes.ts';
import { execAllowFail } from '../../src/host/exec.ts';
import { dig } from '../support/dig.ts';
import { eventually } from '../support/eventually.ts';
import { makeTestNetwork, type TestNetwork } from '../support/host-leaks.ts';

/** The embedded backend's server on a real bridge: a real dnsmasq, asked by a real dig. */
let net: TestNetwork;
let dir: string;
let server: EmbeddedDnsServer;

const zone = (records: EmbeddedZone['records']): EmbeddedZone => ({ network: 'default', bridge: net.bridge, gateway: net.gateway, zone: 'fleetyard.internal', cidrs: [net.cidr], records });

before(async () => {
  net = await makeTestNetwork();
  dir = mkdtempSync(join(tmpdir(), 'fy-dns-'));
  server = new EmbeddedDnsServer(dir);
});

after(async () => {
  await server.stopAll();
  await net.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('the embedded DNS server', () => {
  it('keeps the records without serving while the host has no bridge of the network', async () => {
    const r = await server.apply(zone([{ name: 'web.fleetyard.internal', type: 'A', value: net.address(1) }]));
    assert.equal(r.serving, false);
    assert.equal(await daemonPid(authDnsmasqDaemon(zone([]), zonePaths(dir, 'default'))), null);
  });

  it('answers on the gateway with A and PTR records, authoritatively, and follows a change without restarting', async () => {
    await ensureBridge({ name: net.bridge, gateway: net.gateway, prefixLength: net.prefixLength });
    const r = await server.apply(zone([{ name: 'web.fleetyard.internal', type: 'A', value: net.address(1) }]));
    assert.equal(r.serving, true);
    const pid = await daemonPid(authDnsmasqDaemon(zone([]), zonePaths(dir, 'default')));
    assert.ok(pid);
    const a = await dig(net.gateway, 53, 'web.fleetyard.internal', 'A');
    assert.deepEqual([a.status, a.values, a.authoritative], ['NOERROR', [net.address(1)], true]);
    const ptr = await dig(net.gateway, 53, net.address(1), 'PTR');
    assert.deepEqual([ptr.status, ptr.values], ['NOERROR', ['web.fleetyard.internal']]);

    await server.apply(zone([{ name: 'db.fleetyard.internal', type: 'A', value: net.address(2) }]));
    await eventually(async () => (await dig(net.gateway, 53, 'web.fleetyard.internal', 'A')).status === 'NXDOMAIN', 'web is gone');
    assert.deepEqual((await dig(net.gateway, 53, 'db.fleetyard.internal', 'A')).values, [net.address(2)]);
    assert.equal((await dig(net.gateway, 53, net.address(1), 'PTR')).status, 'NXDOMAIN');
    assert.equal(await daemonPid(authDnsmasqDaemon(zone([]), zonePaths(dir, 'default'))), pid, 'the same dnsmasq');
    assert.equal((await dig(net.gateway, 53, 'example.com', 'A')).status, 'REFUSED', 'it resolves nothing outside its zone');
  });

  it('answers AAAA and its ip6.arpa PTR for a network with an IPv6 pool', async () => {
    const v6 = { ...zone([{ name: 'web.fleetyard.internal', type: 'A', value: net.address(1) }]), cidrs: [net.cidr, 'fd00:41::/64'] };
    v6.records.push({ name: 'web.fleetyard.internal', type: 'AAAA', value: 'fd00:41::5' });
    assert.equal((await server.apply(v6)).serving, true);
    await eventually(async () => (await dig(net.gateway, 53, 'web.fleetyard.internal', 'AAAA')).status === 'NOERROR', 'the AAAA record answers');
    const aaaa = await dig(net.gateway, 53, 'web.fleetyard.internal', 'AAAA');
    assert.deepEqual([aaaa.values, aaaa.authoritative], [['fd00:41::5'], true]);
    const ptr = await dig(net.gateway, 53, 'fd00:41::5', 'PTR');
    assert.deepEqual([ptr.status, ptr.values, ptr.authoritative], ['NOERROR', ['web.fleetyard.internal'], true]);
    assert.deepEqual((await dig(net.gateway, 53, 'web.fleetyard.internal', 'A')).values, [net.address(1)], 'the A record beside it');
  });

  it('stops its dnsmasq when the bridge goes and when it is stopped', async () => {
    const spec = authDnsmasqDaemon(zone([]), zonePaths(dir, 'default'));
    const pid = await daemonPid(spec);
    assert.ok(pid);
    await net.cleanup();
    assert.equal((await server.apply(zone([]))).serving, false);
    assert.equal(await isAlive(pid), false);
    await ensureBridge({ name: net.bridge, gateway: net.gateway, prefixLength: net.prefixLength });
    await server.apply(zone([]));
    const again = await daemonPid(spec);
    assert.ok(again);
    await server.stopAll();
    assert.equal(await isAlive(again), false);
  });

  it('takes twenty changes sent at once with one dnsmasq, and frees the gateway the moment it stops', async () => {
    await ensureBridge({ name: net.bridge, gateway: net.gateway, prefixLength: net.prefixLength });
    const records = (n: number): EmbeddedZone['records'] => Array.from({ length: n }, (_, i) => ({ name: `app${i}.fleetyard.internal`, type: 'A' as const, value: net.address(i + 1) }));
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => server.apply(zone(records(i + 1)))));
    assert.deepEqual(results.map((r) => (r.status === 'fulfilled' ? r.value.serving : String(r.reason))), Array.from({ length: 20 }, () => true));
    const dnsmasqs = async (d: string) => {
      const pids = (await execAllowFail('pgrep', ['-f', `hostsdir=${d}`])).stdout.split('\n').filter((l) => l !== '');
      const comms = await Promise.all(pids.map((p) => readFile(`/proc/${p}/comm`, 'utf8').catch(() => '')));
      return pids.filter((_, i) => comms[i]?.trim() === 'dnsmasq');
    };
    assert.equal((await dnsmasqs(dir)).length, 1, 'one dnsmasq serves the network');
    await eventually(async () => (await dig(net.gateway, 53, 'app19.fleetyard.internal', 'A')).values[0] === net.address(20), 'the last change is served');

    await server.stopAll();
    assert.deepEqual(await dnsmasqs(dir), [], 'stopped means gone, not going');
    const otherDir = mkdtempSync(join(tmpdir(), 'fy-dns-next-'));
    const next = new EmbeddedDnsServer(otherDir);
    try {
      assert.equal((await next.apply(zone(records(1)))).serving, true, 'the next server gets the gateway at once');
    } finally {
      await next.stopAll();
      rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it('ends with its agent, even one killed with SIGKILL', async (t) => {
    await ensureBridge({ name: net.bridge, gateway: net.gateway, prefixLength: net.prefixLength });
    const childDir = mkdtempSync(join(tmpdir(), 'fy-dns-killed-'));
    t.after(() => rmSync(childDir, { recursive: true, force: true }));
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'embedded-server-child.ts'), childDir, net.bridge, net.gateway, net.cidr], { stdio: ['ignore', 'pipe', 'inherit'] });
    t.after(() => child.kill('SIGKILL'));
    const [line] = (await once(child.stdout, 'data')) as [Buffer];
    assert.equal(line.toString(), 'serving\n');
    const dnsmasqs = async () => (await execAllowFail('pgrep', ['-f', `hostsdir=${childDir}`])).stdout.trim();
    assert.notEqual(await dnsmasqs(), '', 'the killed agent had a dnsmasq');
    assert.equal((await dig(net.gateway, 53, 'nothing.fleetyard.internal', 'A')).status, 'NXDOMAIN', 'it answers for its zone');
    child.kill('SIGKILL');
    await once(child, 'exit');
    await eventually(async () => (await dnsmasqs()) === '', 'no dnsmasq outlives its killed agent');
  });
});
