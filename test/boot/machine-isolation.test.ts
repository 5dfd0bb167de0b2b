import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BootService } from '../../src/boot/boot-service.ts';
import { machineScript } from '../../src/boot/ipxe.ts';
import { exec, execAllowFail } from '../../src/host/exec.ts';
import { isAlive } from '../../src/host/processes.ts';
import { eventually } from '../support/eventually.ts';
import { createPxeLab, type PxeLab } from '../support/physical/pxe-lab.ts';

/**
 * Machines on one boot network are kept apart by the boot service's HTTP file server, proven
 * with the real boot service (dnsmasq and the file server in a network namespace this test
 * makes) and real HTTP clients bound to addresses on that network, without booting anything:
 *
 * - a machine's iPXE script and its export (kernel, initrd, root tarball) are served only to
 *   the address reserved for its MAC; any other address on the network (another tenant's
 *   machine with a reservation of its own, or one with none) gets the same 404 as for a file
 *   that does not exist;
 * - the root tarball is served once: after that first GET the export is gone;
 * - an export whose boot window closed is served to nobody;
 * - once the machine has booted, its script points at nothing.
 *
 * The clients are curl processes inside the namespace, each bound to its own address with
 * `--interface`, so the file server sees the same source addresses machines would use.
 * Namespace, daemons and files go in `after`, pass or fail.
 */

let lab: PxeLab;
let service: BootService;
const dir = mkdtempSync(join(tmpdir(), 'fy-boot-isolation-'));

const TENANT_A = { mac: '52:54:00:f3:00:01', id: 'tenant-a-appliance' };
const TENANT_B = { mac: '52:54:00:f3:00:02', id: 'tenant-b-appliance' };
/** Addresses on the boot network: a = TENANT_A's reservation, b = TENANT_B's, stranger = nobody's. */
const addr = { a: '', b: '', stranger: '' };

before(async () => {
  lab = await createPxeLab();
  addr.a = lab.address(1);
  addr.b = lab.address(2);
  addr.stranger = lab.address(3);
  for (const a of Object.values(addr)) await exec('ip', ['-n', lab.netns, 'addr', 'add', `${a}/32`, 'dev', lab.bridge]);
  service = new BootService({ network: lab.network, dir: join(dir, 'boot') });
  await service.start();
});

after(async () => {
  await service?.stop().catch(() => undefined);
  await lab?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

/** GET (or HEAD) `path` on the boot network's file server from `from`; the status and body. */
async function fetchFrom(from: string, path: string, method: 'GET' | 'HEAD' = 'GET'): Promise<{ status: number; body: string }> {
  const url = `http://${lab.network.serverAddress}:${lab.network.httpPort}${path}`;
  const curl = ['curl', '-s', '--noproxy', '*', '-m', '5', '--interface', from, '-w', '\n%{http_code}'];
  if (method === 'HEAD') curl.push('-I');
  const r = await execAllowFail('ip', ['netns', 'exec', lab.netns, ...curl, url]);
  assert.equal(r.exitCode, 0, `curl from ${from}: ${r.stderr}`);
  const cut = r.stdout.lastIndexOf('\n');
  return { status: Number(r.stdout.slice(cut + 1)), body: r.stdout.slice(0, cut) };
}

/** Gives `tenant` an entry at `address` booting an export of three small files. */
async function assignBoot(tenant: { mac: string; id: string }, address: string, until: Date) {
  const exp = await service.newExport(tenant.id);
  const files = { vmlinuz: `kernel of ${tenant.id}`, initrd: `initrd of ${tenant.id}`, 'root.tar.gz': `root of ${tenant.id}` };
  for (const [name, text] of Object.entries(files)) await writeFile(join(exp.dir, name), text);
  const script = machineScript({
    applianceId: tenant.id,
    kernelUrl: `${exp.url}/vmlinuz`,
    initrdUrl: `${exp.url}/initrd`,
    cmdline: `fy.root=${exp.url}/root.tar.gz`,
  });
  await service.assign(tenant.mac, { address, script, export: { of: exp, until } });
  const base = new URL(exp.url).pathname;
  return {
    exp,
    script,
    files,
    paths: {
      script: `/machines/${tenant.mac.replaceAll(':', '-')}.ipxe`,
      vmlinuz: `${base}/vmlinuz`,
      initrd: `${base}/initrd`,
      root: `${base}/root.tar.gz`,
    },
  };
}

describe('the boot network file server', () => {
  const soon = () => new Date(Date.now() + 120_000);
  let a: Awaited<ReturnType<typeof assignBoot>>;

  before(async () => {
    a = await assignBoot(TENANT_A, addr.a, soon());
    // Another tenant's machine, on the same boot network with a reservation of its own.
    await assignBoot(TENANT_B, addr.b, soon());
  });

  it('serves the generic first script to anyone on the network', async () => {
    for (const from of [addr.stranger, addr.b, lab.network.serverAddress]) {
      const r = await fetchFrom(from, '/boot.ipxe');
      assert.equal(r.status, 200, from);
      assert.match(r.body, /^#!ipxe/);
    }
  });

  it("answers another machine's script and export with the 404 of a missing file", async () => {
    const missing = await fetchFrom(addr.stranger, '/machines/00-00-00-00-00-00.ipxe');
    assert.equal(missing.status, 404);
    for (const from of [addr.b, addr.stranger, lab.network.serverAddress]) {
      for (const [what, path] of Object.entries(a.paths)) {
        for (const method of ['GET', 'HEAD'] as const) {
          const r = await fetchFrom(from, path, method);
          assert.equal(r.status, 404, `${method} ${what} from ${from}`);
          if (method === 'GET') assert.equal(r.body, missing.body, `${what} from ${from}: the answer tells nothing`);
        }
        assert.ok(!(await fetchFrom(from, path)).body.includes(TENANT_A.id), `${what} from ${from}`);
      }
    }
  });

  it('serves the machine its own script, kernel and initrd', async () => {
    const script = await fetchFrom(addr.a, a.paths.script);
    assert.deepEqual(script, { status: 200, body: a.script });
    assert.deepEqual(await fetchFrom(addr.a, a.paths.vmlinuz), { status: 200, body: a.files.vmlinuz });
    assert.deepEqual(await fetchFrom(addr.a, a.paths.initrd), { status: 200, body: a.files.initrd });
    assert.equal((await fetchFrom(addr.a, a.paths.root, 'HEAD')).status, 200, 'a HEAD does not use the root up');
    // Nothing else in the export directory (a temporary file, say) is served, not even to it.
    await writeFile(join(a.exp.dir, 'root.tar.gz.tmp'), 'half a tarball');
    assert.equal((await fetchFrom(addr.a, `${new URL(a.exp.url).pathname}/root.tar.gz.tmp`)).status, 404);
  });

  it('serves the root tarball once: after that GET the export is gone, even for its machine', async () => {
    assert.deepEqual(await fetchFrom(addr.a, a.paths.root), { status: 200, body: a.files['root.tar.gz'] });
    for (const path of [a.paths.root, a.paths.vmlinuz, a.paths.initrd]) assert.equal((await fetchFrom(addr.a, path)).status, 404, path);
    assert.equal(existsSync(a.exp.dir), false, 'the export directory is removed');
  });

  it('serves an export whose boot window has closed to nobody, and removes it at the next start', async () => {
    const late = await assignBoot(TENANT_B, addr.b, new Date(Date.now() - 1));
    assert.equal((await fetchFrom(addr.b, late.paths.script)).status, 200, 'the script itself is still its own');
    for (const path of [late.paths.vmlinuz, late.paths.root]) assert.equal((await fetchFrom(addr.b, path)).status, 404, path);
    await service.start();
    assert.equal(existsSync(late.exp.dir), false);
  });

  it('once the machine has booted, its script points at nothing and the export is gone', async () => {
    const b = await assignBoot(TENANT_B, addr.b, soon());
    await service.booted(TENANT_B.mac, TENANT_B.id);
    const script = await fetchFrom(addr.b, b.paths.script);
    assert.equal(script.status, 200);
    assert.ok(!script.body.includes('/exports/') && !script.body.includes('kernel '), script.body);
    assert.equal(await service.entryOwner(TENANT_B.mac), TENANT_B.id, 'the entry still says whose it is');
    assert.equal(existsSync(b.exp.dir), false);
    assert.equal((await fetchFrom(addr.b, b.paths.vmlinuz)).status, 404);
  });
});

describe('the file server process', () => {
  it('replaces a file server of an earlier build instead of adopting it', async () => {
    const paths = service.paths;
    await service.stop();
    // A stand-in for a file server started by an earlier build: its command line names the
    // service's ready file (what that build was recognised by) but not the access flag.
    const old = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)', paths.fileServerReady], { stdio: 'ignore' });
    const exited = new Promise((resolve) => old.once('exit', resolve));
    after(() => {
      if (old.exitCode === null && old.signalCode === null) old.kill('SIGKILL');
    });
    await writeFile(paths.fileServerPid, `${old.pid}\n`);
    await service.start();
    await exited;
    const pid = Number((await readFile(paths.fileServerPid, 'utf8')).trim());
    assert.notEqual(pid, old.pid);
    await eventually(() => isAlive(pid), 'the new file server to run', 5_000, 20);
    assert.equal((await fetchFrom(addr.stranger, '/boot.ipxe')).status, 200);
  });
});
