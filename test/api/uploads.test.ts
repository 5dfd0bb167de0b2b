import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { v7 as uuidv7 } from 'uuid';
import type { EnsureCommand } from '../../src/agent/protocol.ts';
import { DEFAULT_REQUIREMENTS } from '../../src/domain/appliance.ts';
import type { Image } from '../../src/domain/image.ts';
import type { Kernel } from '../../src/domain/kernel.ts';
import { freshMeta } from '../../src/domain/meta.ts';
import { eventually } from '../support/eventually.ts';
import { fakeBzImage, fakeInitrd } from '../support/kernel-files.ts';
import { startSimControlPlane, type SimControlPlane } from './sim-control-plane.ts';

/**
 * Images and kernels reach Fleetyard as streamed uploads, or by server path from an import
 * directory only; the kernel store holds only files that are kernels and initrds; a refused or
 * oversized upload leaves nothing behind; and the agent boots no kernel file from outside the
 * store. All of it over a real socket, on a real control plane (SQLite, the real agent with the
 * simulated driver), with real files.
 */
const MAX_IMAGE = 512 * 1024;
const MAX_KERNEL_FILE = 64 * 1024;
const V1 = '/api/v1';

interface Answer<T = unknown> {
  status: number;
  body: T & { error?: { code: string; message: string; details?: Record<string, unknown> } };
}

describe('uploads and imports of images and kernels', () => {
  let api: SimControlPlane;
  let importDir: string;
  let work: string;
  let smallTar: Buffer;

  const auth = () => ({ authorization: `Bearer ${api.cp.adminToken}` });
  const json = async <T>(method: string, path: string, body?: unknown): Promise<Answer<T>> => {
    const res = await fetch(api.cp.url + path, {
      method,
      headers: { ...auth(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Answer<T>['body'] };
  };
  /** A body sent with node:http: with its length, or chunked (no Content-Length), as `chunked` says. */
  const upload = <T>(path: string, body: Buffer, opts: { type?: string; chunked?: boolean; contentLength?: number } = {}): Promise<Answer<T>> =>
    new Promise((resolve, reject) => {
      const { hostname, port } = new URL(api.cp.url);
      const headers: Record<string, string> = { ...auth(), 'content-type': opts.type ?? 'application/octet-stream' };
      if (!opts.chunked) headers['content-length'] = String(opts.contentLength ?? body.length);
      const req = http.request({ host: hostname, port, method: 'PUT', path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Answer<T>['body'] }));
        res.on('error', reject);
      });
      // A server that refuses early closes the connection while the rest is still being sent.
      req.on('error', (e) => (req.writableEnded ? undefined : reject(e)));
      for (let i = 0; i < body.length; i += 16 * 1024) req.write(body.subarray(i, i + 16 * 1024));
      req.end();
    });
  const newImage = async (): Promise<Image> => (await json<Image>('POST', `${V1}/images`, { name: `img-${randomBytes(3).toString('hex')}` })).body;
  const newKernel = async (): Promise<Kernel> => (await json<Kernel>('POST', `${V1}/kernels`, { name: `k-${randomBytes(3).toString('hex')}` })).body;
  const kernelDir = (id: string) => join(api.dataDir, 'storage', 'local', 'kernels', id);
  const imagesDir = () => join(api.dataDir, 'storage', 'local', 'images');
  /** Everything under the images directory that belongs to `id`: its dir, or an import's temp dir. */
  const imageLeftovers = async (id: string) => (existsSync(imagesDir()) ? (await readdir(imagesDir())).filter((n) => n.includes(id)) : []);
  const kernelFiles = async (id: string) => (existsSync(kernelDir(id)) ? await readdir(kernelDir(id)) : []);
  const tarOf = (dir: string) => execFileSync('tar', ['-C', dir, '-cf', '-', '.'], { maxBuffer: 64 * 1024 * 1024 });

  before(async () => {
    api = await startSimControlPlane({ maxImageBytes: MAX_IMAGE, maxKernelFileBytes: MAX_KERNEL_FILE });
    importDir = join(api.dataDir, 'import');
    work = join(api.dataDir, 'work');
    await mkdir(join(work, 'rootfs', 'etc'), { recursive: true });
    await writeFile(join(work, 'rootfs', 'etc', 'hostname'), 'uploaded\n');
    smallTar = tarOf(join(work, 'rootfs'));
  });
  after(() => api?.cleanup());

  it('refuses /etc/shadow, or any file outside the import directories, as a kernel or an image, with a field and a code', async () => {
    // The old way, a path on create, is gone: such a body is refused and creates nothing.
    const oldKernel = await json('POST', `${V1}/kernels`, { name: 'shadow', vmlinuzPath: '/etc/shadow' });
    assert.equal(oldKernel.status, 400);
    assert.equal(oldKernel.body.error?.code, 'FY_VALIDATION');
    const oldImage = await json('POST', `${V1}/images`, { name: 'etc', source: '/etc' });
    assert.equal(oldImage.status, 400);
    assert.equal(oldImage.body.error?.code, 'FY_VALIDATION');
    assert.deepEqual((await json<{ items: unknown[] }>('GET', `${V1}/kernels?name=shadow`)).body.items, []);

    // Ways out of the import directory: a plain path, `..`, a symlink, a FIFO, the data directory.
    await symlink('/etc/shadow', join(importDir, 'shadow-link'));
    await symlink('/etc', join(importDir, 'etc-link'));
    execFileSync('mkfifo', [join(importDir, 'fifo')]);
    await mkdir(join(importDir, 'a-directory'));
    const kernel = await newKernel();
    const outside = ['/etc/shadow', `${importDir}/../fleetyard.db`, `${importDir}/../../../../etc/shadow`, join(importDir, 'shadow-link'), join(importDir, 'fifo'), join(importDir, 'a-directory'), join(importDir, 'missing')];
    for (const path of outside) {
      const r = await json('POST', `${V1}/kernels/${kernel.id}/import`, { vmlinuzPath: path });
      assert.equal(r.status, 422, `${path}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error?.code, 'FY_IMPORT_PATH', path);
      assert.equal(r.body.error?.details?.field, 'vmlinuzPath', path);
    }
    // A good vmlinuz with a bad initrd: nothing is copied, the good one included.
    await writeFile(join(importDir, 'vmlinuz'), fakeBzImage());
    const mixed = await json('POST', `${V1}/kernels/${kernel.id}/import`, { vmlinuzPath: join(importDir, 'vmlinuz'), initrdPath: '/etc/shadow' });
    assert.equal(mixed.body.error?.code, 'FY_IMPORT_PATH');
    assert.equal(mixed.body.error?.details?.field, 'initrdPath');

    const image = await newImage();
    for (const path of ['/etc', '/etc/shadow', `${importDir}/..`, join(importDir, 'etc-link'), join(importDir, 'shadow-link'), join(importDir, 'fifo')]) {
      const r = await json('POST', `${V1}/images/${image.id}/import`, { source: path });
      assert.equal(r.status, 422, `${path}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error?.code, 'FY_IMPORT_PATH', path);
      assert.equal(r.body.error?.details?.field, 'source', path);
    }

    const k = (await json<Kernel>('GET', `${V1}/kernels/${kernel.id}`)).body;
    assert.deepEqual([k.status.state, k.spec.vmlinuzPath, k.spec.initrdPath], ['queued', null, null]);
    assert.deepEqual(await kernelFiles(kernel.id), []);
    assert.equal((await json<Image>('GET', `${V1}/images/${image.id}`)).body.status.state, 'queued');
    assert.deepEqual(await imageLeftovers(image.id), []);
  });

  it('refuses a vmlinuz that is no bzImage and an initrd that is no initrd, keeping nothing', async () => {
    const kernel = await newKernel();
    const elf = (await readFile(process.execPath)).subarray(0, 8192);
    const notKernel = await upload(`${V1}/kernels/${kernel.id}/vmlinuz`, elf);
    assert.equal(notKernel.status, 422);
    assert.equal(notKernel.body.error?.code, 'FY_KERNEL_FORMAT');
    assert.equal(notKernel.body.error?.details?.field, 'vmlinuz');
    const notInitrd = await upload(`${V1}/kernels/${kernel.id}/initrd`, Buffer.from('#!/bin/sh\necho not an initramfs\n'));
    assert.equal(notInitrd.body.error?.code, 'FY_KERNEL_FORMAT');
    assert.equal(notInitrd.body.error?.details?.field, 'initrd');
    const empty = await upload(`${V1}/kernels/${kernel.id}/vmlinuz`, Buffer.alloc(0));
    assert.equal(empty.body.error?.code, 'FY_KERNEL_FORMAT');
    // The same check for a file copied from an import directory.
    await writeFile(join(importDir, 'node-binary'), elf);
    const imported = await json('POST', `${V1}/kernels/${kernel.id}/import`, { vmlinuzPath: join(importDir, 'node-binary') });
    assert.equal(imported.body.error?.code, 'FY_KERNEL_FORMAT');
    assert.equal(imported.body.error?.details?.field, 'vmlinuzPath');

    const k = (await json<Kernel>('GET', `${V1}/kernels/${kernel.id}`)).body;
    assert.deepEqual([k.status.state, k.spec.vmlinuzPath, k.spec.initrdPath], ['queued', null, null]);
    assert.deepEqual(await kernelFiles(kernel.id), [], 'no file, not even a temporary one');
  });

  it('refuses an upload over the limit, as sent or unpacked, and keeps nothing of it', async () => {
    const big = join(work, 'big');
    await mkdir(big);
    await writeFile(join(big, 'blob'), randomBytes(MAX_IMAGE * 2));
    const bigTar = tarOf(big);
    const image = await newImage();
    for (const [how, r] of [
      ['chunked', await upload(`${V1}/images/${image.id}/file`, bigTar, { type: 'application/x-tar', chunked: true })],
      ['with its length', await upload(`${V1}/images/${image.id}/file`, bigTar, { type: 'application/x-tar' })],
    ] as const) {
      assert.equal(r.status, 413, `${how}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error?.code, 'FY_UPLOAD_TOO_LARGE', how);
      assert.equal(r.body.error?.details?.field, 'body', how);
      assert.equal(r.body.error?.details?.maxBytes, MAX_IMAGE, how);
    }
    // A few kilobytes of gzip that unpack to far more than the limit.
    const zeros = join(work, 'zeros');
    await mkdir(zeros);
    await writeFile(join(zeros, 'zeros'), Buffer.alloc(MAX_IMAGE * 8));
    const bomb = gzipSync(tarOf(zeros));
    assert.ok(bomb.length < MAX_IMAGE / 10);
    const unpacked = await upload(`${V1}/images/${image.id}/file`, bomb, { type: 'application/gzip', chunked: true });
    assert.equal(unpacked.status, 413);
    assert.equal(unpacked.body.error?.details?.field, 'body (unpacked)');

    const after = (await json<Image>('GET', `${V1}/images/${image.id}`)).body;
    assert.equal(after.status.state, 'queued');
    assert.match(after.status.message ?? '', /maximum/);
    assert.deepEqual(await imageLeftovers(image.id), [], 'no image directory and no temporary one');

    const kernel = await newKernel();
    const tooBig = await upload(`${V1}/kernels/${kernel.id}/vmlinuz`, fakeBzImage(MAX_KERNEL_FILE + 1), { chunked: true });
    assert.equal(tooBig.status, 413);
    assert.equal(tooBig.body.error?.details?.field, 'vmlinuz');
    assert.deepEqual(await kernelFiles(kernel.id), []);
    assert.equal((await json<Kernel>('GET', `${V1}/kernels/${kernel.id}`)).body.status.state, 'queued');
  });

  it('imports an uploaded tarball, plain or gzipped, and shows the bytes received while it arrives', async () => {
    for (const [type, body] of [['application/x-tar', smallTar], ['application/gzip', gzipSync(smallTar)]] as const) {
      const image = await newImage();
      const r = await upload<Image>(`${V1}/images/${image.id}/file`, body, { type });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.status.state, 'ready');
      assert.equal(r.body.status.importedBytes, body.length);
      assert.equal(await readFile(join(r.body.status.path as string, 'etc', 'hostname'), 'utf8'), 'uploaded\n');
      const again = await upload(`${V1}/images/${image.id}/file`, body, { type });
      assert.equal(again.status, 409);
      assert.equal(again.body.error?.code, 'FY_IMAGE_STATE');
      assert.equal((await json('DELETE', `${V1}/images/${image.id}`)).status, 204);
      assert.deepEqual(await imageLeftovers(image.id), []);
    }

    // Half a tarball, then a pause: the image is importing and says how much has arrived.
    const filler = join(work, 'filler');
    await mkdir(filler);
    await writeFile(join(filler, 'data'), randomBytes(256 * 1024));
    const tar = tarOf(filler);
    const image = await newImage();
    const { hostname, port } = new URL(api.cp.url);
    const answer = new Promise<Answer<Image>>((resolve, reject) => {
      const req = http.request(
        { host: hostname, port, method: 'PUT', path: `${V1}/images/${image.id}/file`, headers: { ...auth(), 'content-type': 'application/x-tar', 'content-length': String(tar.length) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Answer<Image>['body'] }));
        },
      );
      req.on('error', reject);
      req.write(tar.subarray(0, 64 * 1024));
      eventually(async () => {
        const cur = (await json<Image>('GET', `${V1}/images/${image.id}`)).body;
        return cur.status.state === 'importing' && cur.status.importedBytes >= 64 * 1024 && cur.status.expectedBytes === tar.length;
      }, 'the image to show 64 KiB received of the upload')
        .then(() => req.end(tar.subarray(64 * 1024)), reject);
    });
    const done = await answer;
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal(done.body.status.importedBytes, tar.length);
  });

  it('takes a client that goes away mid-upload in its stride: the image is queued again, nothing is kept', async () => {
    const filler = join(work, 'gone');
    await mkdir(filler);
    await writeFile(join(filler, 'data'), randomBytes(256 * 1024));
    const tar = tarOf(filler);
    const image = await newImage();
    const kernel = await newKernel();
    const { hostname, port } = new URL(api.cp.url);
    const begin = (path: string, body: Buffer) => {
      const req = http.request({ host: hostname, port, method: 'PUT', path, headers: { ...auth(), 'content-type': 'application/octet-stream', 'content-length': String(body.length) } });
      req.on('error', () => undefined); // it is destroyed on purpose below
      req.write(body.subarray(0, 32 * 1024));
      return req;
    };
    const uploads = [begin(`${V1}/images/${image.id}/file`, tar), begin(`${V1}/kernels/${kernel.id}/vmlinuz`, fakeBzImage(MAX_KERNEL_FILE))];
    await eventually(async () => (await json<Image>('GET', `${V1}/images/${image.id}`)).body.status.importedBytes > 0, 'the upload to be under way');
    uploads.forEach((r) => r.destroy());
    await eventually(async () => (await json<Image>('GET', `${V1}/images/${image.id}`)).body.status.state === 'queued', 'the image to be queued again');
    const after = (await json<Image>('GET', `${V1}/images/${image.id}`)).body;
    assert.match(after.status.message ?? '', /ended before it was complete/);
    assert.deepEqual(await imageLeftovers(image.id), []);
    await eventually(async () => (await kernelFiles(kernel.id)).length === 0, 'the partial kernel file to be removed');
    assert.equal((await json<Kernel>('GET', `${V1}/kernels/${kernel.id}`)).body.status.state, 'queued');
    assert.equal((await fetch(`${api.cp.url}/healthz`)).status, 200);
  });

  it('imports a tarball or a directory from an import directory', async () => {
    await writeFile(join(importDir, 'rootfs.tar.gz'), gzipSync(smallTar));
    execFileSync('cp', ['-a', join(work, 'rootfs'), join(importDir, 'rootfs-dir')]);
    for (const source of [join(importDir, 'rootfs.tar.gz'), join(importDir, 'rootfs-dir')]) {
      const image = await newImage();
      const r = await json<Image>('POST', `${V1}/images/${image.id}/import`, { source });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.status.state, 'ready');
      assert.equal(await readFile(join(r.body.status.path as string, 'etc', 'hostname'), 'utf8'), 'uploaded\n');
    }
  });

  it('keeps kernels in its own store: uploads checked, never replaced, imports copied in', async () => {
    const kernel = await newKernel();
    const initrd = await upload<Kernel>(`${V1}/kernels/${kernel.id}/initrd`, fakeInitrd());
    assert.equal(initrd.status, 200, JSON.stringify(initrd.body));
    assert.equal(initrd.body.status.state, 'queued', 'no vmlinuz yet');
    const vmlinuz = fakeBzImage(8192);
    const ready = await upload<Kernel>(`${V1}/kernels/${kernel.id}/vmlinuz`, vmlinuz);
    assert.equal(ready.status, 200);
    assert.equal(ready.body.status.state, 'ready');
    assert.equal(ready.body.spec.vmlinuzPath, join(kernelDir(kernel.id), 'vmlinuz'));
    assert.equal(ready.body.spec.initrdPath, join(kernelDir(kernel.id), 'initrd'));
    assert.deepEqual(await readFile(join(kernelDir(kernel.id), 'vmlinuz')), vmlinuz);
    assert.deepEqual((await kernelFiles(kernel.id)).sort(), ['initrd', 'vmlinuz']);
    const replace = await upload(`${V1}/kernels/${kernel.id}/vmlinuz`, fakeBzImage());
    assert.equal(replace.status, 409);
    assert.equal(replace.body.error?.code, 'FY_KERNEL_STATE');

    // From an import directory the files are copied: the source can change or go, the store's stays.
    await writeFile(join(importDir, 'k-vmlinuz'), vmlinuz);
    await writeFile(join(importDir, 'k-initrd'), fakeInitrd());
    const copied = await newKernel();
    const r = await json<Kernel>('POST', `${V1}/kernels/${copied.id}/import`, { vmlinuzPath: join(importDir, 'k-vmlinuz'), initrdPath: join(importDir, 'k-initrd') });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.status.state, 'ready');
    assert.equal(r.body.spec.vmlinuzPath, join(kernelDir(copied.id), 'vmlinuz'));
    assert.notEqual(statSync(r.body.spec.vmlinuzPath as string).ino, statSync(join(importDir, 'k-vmlinuz')).ino, 'a copy, not a link');
    await writeFile(join(importDir, 'k-vmlinuz'), 'changed afterwards');
    assert.deepEqual(await readFile(r.body.spec.vmlinuzPath as string), vmlinuz);

    assert.equal((await json('DELETE', `${V1}/kernels/${copied.id}`)).status, 204);
    assert.equal(existsSync(kernelDir(copied.id)), false, 'deleting the kernel removes its files');
  });

  it('refuses to delete an image or a kernel a product names, saying which, until the product points elsewhere', async () => {
    const image = await newImage();
    const other = await newImage();
    const kernel = await newKernel();
    const product = (await json<{ id: string; name: string }>('POST', `${V1}/products`, {
      name: `p-${randomBytes(3).toString('hex')}`,
      imageId: image.id,
      kernelId: kernel.id,
      sizes: [{ name: 's', cpu: 1, memoryMiB: 64, diskMiB: 0 }],
      virtualizations: ['sim'],
    })).body;
    for (const path of [`${V1}/images/${image.id}`, `${V1}/kernels/${kernel.id}`]) {
      const refused = await json('DELETE', path);
      assert.equal(refused.status, 409, path);
      assert.equal(refused.body.error?.code, 'FY_IMAGE_IN_USE');
      assert.match(refused.body.error?.message ?? '', new RegExp(`product ${product.name}`));
      assert.deepEqual(refused.body.error?.details?.products, [product.name]);
    }
    assert.equal((await json('GET', `${V1}/images/${image.id}`)).status, 200, 'still there');
    assert.equal((await json('PATCH', `${V1}/products/${product.id}`, { imageId: other.id, kernelId: null })).status, 200);
    assert.equal((await json('DELETE', `${V1}/images/${image.id}`)).status, 204);
    assert.equal((await json('DELETE', `${V1}/kernels/${kernel.id}`)).status, 204);
  });

  it('turns a kernel from before the store (its paths outside it) ready once its files are uploaded', async () => {
    // What migration 008 leaves of a kernel registered by server path.
    const id = uuidv7();
    await api.cp.store.transaction((tx) =>
      tx.kernels.insert({
        ...freshMeta(id, 'from-before', api.cp.store.clock.now()),
        spec: { vmlinuzPath: '/etc/shadow', initrdPath: '/etc/passwd', cmdline: 'console=ttyS0' },
        status: { state: 'unusable', message: 'registered by a server path', vmlinuzBytes: null, initrdBytes: null },
      }),
    );
    const r = await upload<Kernel>(`${V1}/kernels/${id}/vmlinuz`, fakeBzImage());
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual([r.body.status.state, r.body.spec.vmlinuzPath, r.body.spec.initrdPath], ['ready', join(kernelDir(id), 'vmlinuz'), null]);
  });

  it('has the agent refuse to boot a kernel file outside its kernel store', async () => {
    const hostId = api.cp.agent?.hostId as string;
    const agents = api.cp.agents;
    const stored = (await json<{ items: Kernel[] }>('GET', `${V1}/kernels?name=from-before`)).body.items[0] as Kernel;
    const command = (applianceId: string, kernel: EnsureCommand['kernel']): EnsureCommand => ({
      applianceId,
      virtualization: 'sim',
      desired: 'running',
      name: applianceId,
      hostname: 'k',
      command: ['/bin/true'],
      requirements: DEFAULT_REQUIREMENTS,
      image: { id: uuidv7(), format: 'rootfs-dir' },
      network: { name: 'default', bridge: 'none', address: '169.254.0.10', prefixLength: 24, gateway: '169.254.0.1' },
      env: {},
      kernel,
    });
    for (const [vmlinuzPath, initrdPath, field] of [
      ['/etc/shadow', null, 'vmlinuzPath'],
      [stored.spec.vmlinuzPath as string, '/etc/passwd', 'initrdPath'],
      [join(kernelDir(stored.id), '..', '..', '..', '..', 'fleetyard.db'), null, 'vmlinuzPath'],
    ] as const) {
      await assert.rejects(
        agents.ensure(hostId, command(uuidv7(), { name: 'k', vmlinuzPath, initrdPath, cmdline: '' })),
        (e: { code?: string; details?: { field?: string } }) => e.code === 'FY_KERNEL_NOT_IN_STORE' && e.details?.field === field,
        `${vmlinuzPath} ${initrdPath ?? ''}`,
      );
    }
    const fine = uuidv7();
    const observed = await agents.ensure(hostId, command(fine, { name: 'k', vmlinuzPath: stored.spec.vmlinuzPath as string, initrdPath: null, cmdline: '' }));
    assert.equal(observed.state, 'running');
    await agents.destroy(hostId, { applianceId: fine, virtualization: 'sim' });
  });
});
