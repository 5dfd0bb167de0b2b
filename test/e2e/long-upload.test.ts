import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import type { Image } from '../../src/domain/image.ts';
import { startSimControlPlane, type SimControlPlane } from '../api/sim-control-plane.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';

/**
 * An image import that takes longer than a minute (a slow link, a big image) is not cut off:
 * imports used to run `tar` under exec's 60 s default and died there. The base image is sent in
 * CHUNKS pieces, one a second, and all along the image's status shows the bytes received so far.
 * This test lasts over a minute on purpose; the minute is what it is about, not a speed target.
 */
const CHUNKS = 66;
let api: SimControlPlane;
before(async () => {
  api = await startSimControlPlane();
});
after(() => api?.cleanup());

test('an upload lasting over a minute completes, and reports its progress as it goes', { timeout: 180_000 }, async () => {
  const client = new TestApi(api.cp.url, api.cp.adminToken);
  const tar = readFileSync(baseImageTar());
  const image = await client.ok<Image>('POST', '/api/v1/images', { name: 'slow' });
  const { hostname, port } = new URL(api.cp.url);
  const started = Date.now();
  const answer = new Promise<{ status: number; body: Image }>((resolve, reject) => {
    const req = http.request(
      {
        host: hostname,
        port,
        method: 'PUT',
        path: `/api/v1/images/${image.id}/file`,
        headers: { authorization: `Bearer ${api.cp.adminToken}`, 'content-type': 'application/x-tar', 'content-length': String(tar.length) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Image }));
      },
    );
    req.on('error', reject);
    const size = Math.ceil(tar.length / CHUNKS);
    void (async () => {
      for (let i = 0; i < CHUNKS; i++) {
        req.write(tar.subarray(i * size, (i + 1) * size));
        await sleep(1_000);
      }
      req.end();
    })().catch(reject);
  });

  // Read the progress while the upload goes on (bounded: one read a second, at most CHUNKS + 30).
  const seen: number[] = [];
  let done: { status: number; body: Image } | undefined;
  void answer.then((a) => (done = a), () => undefined);
  for (let i = 0; i < CHUNKS + 30 && done === undefined; i++) {
    const cur = await client.ok<Image>('GET', `/api/v1/images/${image.id}`);
    if (cur.status.state === 'importing') seen.push(cur.status.importedBytes);
    await sleep(1_000);
  }
  const result = await answer;
  assert.ok(Date.now() - started > 60_000, 'the upload did last over a minute');
  assert.equal(result.status, 200, JSON.stringify(result.body));
  assert.equal(result.body.status.state, 'ready');
  assert.equal(result.body.status.importedBytes, tar.length);
  // The first reading may come before the first bytes: 0 is allowed, then only more.
  const distinct = [...new Set(seen)].filter((b) => b > 0);
  assert.ok(distinct.length >= CHUNKS / 2, `progress moved as the bytes came: ${distinct.length} distinct readings`);
  assert.deepEqual(distinct, [...distinct].sort((a, b) => a - b), 'progress never goes back');
  assert.ok(distinct.every((b) => b <= tar.length), 'never more than was sent');
});
