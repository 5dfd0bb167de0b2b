import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Image } from '../../src/domain/image.ts';
import type { Kernel } from '../../src/domain/kernel.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { eventually } from '../support/eventually.ts';
import { makeTestNetwork } from '../support/host-leaks.ts';
import { freePort, ServerProcess } from '../support/server-process.ts';
import { testKernel } from '../support/test-kernel.ts';

/**
 * A real `fleetyard server` is killed (SIGKILL) while an image tarball and a kernel are being
 * uploaded, with part of each already on disk. Started again on the same data directory, it has
 * left nothing of them: the image is `queued` again (not `importing` for ever) and says why, the
 * kernel has no file, and no temporary directory or file remains. Both uploads then succeed.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'fy-interrupted-'));
const images = join(dataDir, 'storage', 'local', 'images');
const kernels = join(dataDir, 'storage', 'local', 'kernels');
const net = await makeTestNetwork();
let server: ServerProcess | undefined;

after(async () => {
  try {
    await server?.kill('SIGTERM');
  } finally {
    await net.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

/** Starts a PUT of `body` with its full length declared, sends only `first` bytes, and leaves it open. */
function startUpload(url: string, token: string, path: string, body: Buffer, first: number, type: string): http.ClientRequest {
  const { hostname, port } = new URL(url);
  const req = http.request({
    host: hostname,
    port,
    method: 'PUT',
    path,
    headers: { authorization: `Bearer ${token}`, 'content-type': type, 'content-length': String(body.length) },
  });
  req.on('error', () => undefined); // the server is about to die under it
  req.write(body.subarray(0, first));
  return req;
}

/** Files and directories of imports in progress: `.import-*` beside the images, `.vmlinuz-*` beside a kernel's files. */
const temporaries = () => [
  ...(existsSync(images) ? readdirSync(images).filter((n) => n.startsWith('.')) : []),
  ...(existsSync(kernels) ? readdirSync(kernels).flatMap((k) => readdirSync(join(kernels, k)).filter((f) => f.startsWith('.')).map((f) => `${k}/${f}`)) : []),
];

test('a server killed mid-upload leaves nothing of the uploads after a restart', async () => {
  const env = {
    FLEETYARD_DATA_DIR: dataDir,
    FLEETYARD_LISTEN: `127.0.0.1:${await freePort()}`,
    FLEETYARD_NETWORK_BRIDGE: net.bridge,
    FLEETYARD_NETWORK_CIDR: net.cidr,
  };
  server = new ServerProcess(env);
  await server.start();
  let api = new TestApi(server.url, server.token);
  const tar = readFileSync(baseImageTar());
  const k = testKernel();
  const vmlinuz = readFileSync(k.vmlinuz);
  const image = await api.ok<Image>('POST', '/api/v1/images', { name: 'base' });
  const kernel = await api.ok<Kernel>('POST', '/api/v1/kernels', { name: 'default', cmdline: k.cmdline });

  const pending = [
    startUpload(server.url, server.token, `/api/v1/images/${image.id}/file`, tar, 1024 * 1024, 'application/x-tar'),
    startUpload(server.url, server.token, `/api/v1/kernels/${kernel.id}/vmlinuz`, vmlinuz, 1024 * 1024, 'application/octet-stream'),
  ];
  await eventually(async () => {
    const cur = await api.ok<Image>('GET', `/api/v1/images/${image.id}`);
    return cur.status.state === 'importing' && cur.status.importedBytes > 0 && temporaries().length === 2;
  }, 'both uploads to be under way, each with a temporary file or directory on disk', 30_000, 50);
  const left = temporaries();
  await server.kill('SIGKILL');
  pending.forEach((r) => r.destroy());
  assert.equal(temporaries().length, 2, `the crash left its temporaries (${left.join(', ')}), which the restart must remove`);

  server = new ServerProcess(env);
  await server.start();
  api = new TestApi(server.url, server.token);
  const healed = await api.ok<Image>('GET', `/api/v1/images/${image.id}`);
  assert.equal(healed.status.state, 'queued', 'not importing for ever');
  assert.match(healed.status.message ?? '', /interrupted by a restart/);
  assert.equal(healed.status.importedBytes, 0);
  assert.equal(existsSync(join(images, image.id)), false, 'no half image under its own name');
  const k2 = await api.ok<Kernel>('GET', `/api/v1/kernels/${kernel.id}`);
  assert.deepEqual([k2.status.state, k2.spec.vmlinuzPath], ['queued', null]);
  assert.deepEqual(temporaries(), [], 'no temporary directory or file is left');
  assert.deepEqual(readdirSync(join(kernels, kernel.id)), [], 'and no kernel file either');
  const events = await api.ok<{ items: Array<{ type: string; objectId: string }> }>('GET', `/api/v1/events?objectId=${image.id}`);
  assert.ok(events.items.some((e) => e.type === 'image.import-failed'), 'the interruption is in the image events');

  // The same objects take their data once it is sent again.
  const ready = await api.put<Image>(`/api/v1/images/${image.id}/file`, baseImageTar(), 'application/x-tar');
  assert.equal(ready.status, 200, JSON.stringify(ready.body));
  assert.equal(ready.body.status.state, 'ready');
  const booted = await api.put<Kernel>(`/api/v1/kernels/${kernel.id}/vmlinuz`, k.vmlinuz);
  assert.equal(booted.status, 200, JSON.stringify(booted.body));
  assert.equal(booted.body.status.state, 'ready');
});
