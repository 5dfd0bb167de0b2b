import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { ERROR_CODES, type ErrorCode } from '../../src/domain/errors.ts';
import { fakeBzImage } from '../support/kernel-files.ts';
import { readErrorDoc } from './error-doc.ts';
import { generateCases, type MalformedCase } from './malformed-cases.ts';
import { chooseSeed, seededRandom } from './seeded-random.ts';
import { sendRequest, type TestResponse } from './send-request.ts';
import { startSimControlPlane, type SimControlPlane } from './sim-control-plane.ts';

/**
 * 1,000 malformed requests against a real control plane on a socket. Each must get a 4xx (never a
 * 5xx, never a dropped connection) with the `{ error: { code } }` body, a code that
 * docs/errors.md documents, and the status the registry gives that code. Afterwards the server
 * must still be healthy and still accept a valid request, and nothing may have been created.
 *
 * The cases come from a seeded generator; the seed is printed. Replay a failure with
 * FLEETYARD_TEST_SEED=<seed>.
 */
const COUNT = 1_000;
const IN_FLIGHT = 8;

const seed = chooseSeed();

/** What is wrong with one answer, or null if it is right. */
function judge(c: MalformedCase, res: TestResponse, documented: ReadonlySet<string>): string | null {
  if (res.status < 400 || res.status > 499) return `status ${res.status}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.body.toString('utf8'));
  } catch {
    return `status ${res.status} with a body that is not JSON: ${JSON.stringify(res.body.toString('utf8').slice(0, 120))}`;
  }
  const code = (parsed as { error?: { code?: unknown } } | null)?.error?.code;
  if (typeof code !== 'string') return `no error.code in ${JSON.stringify(parsed).slice(0, 160)}`;
  if (!documented.has(code)) return `code ${code} is not in docs/errors.md`;
  const registered = ERROR_CODES[code as ErrorCode];
  if (!registered || registered.status !== res.status) return `code ${code} came with status ${res.status}, the registry says ${registered?.status}`;
  if (!/^application\/json\b/.test(res.contentType)) return `content type "${res.contentType}"`;
  if (c.expect && !c.expect.includes(code as ErrorCode)) return `code ${code}, expected one of ${c.expect.join(', ')}`;
  return null;
}

describe(`malformed requests (seed ${seed}; replay with FLEETYARD_TEST_SEED=${seed})`, () => {
  let api: SimControlPlane;
  const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });

  before(async () => {
    api = await startSimControlPlane();
  });
  after(async () => {
    agent.destroy();
    await api?.cleanup();
  });

  it(`answers ${COUNT} of them with a documented 4xx code`, { timeout: 300_000 }, async (t) => {
    t.diagnostic(`seed ${seed}`);
    const documented = new Set(readErrorDoc().rows.keys());
    const cases = generateCases(seededRandom(seed), COUNT);
    const failures: string[] = [];
    const seenCodes = new Map<string, number>();
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < cases.length; i = next++) {
        const generated = cases[i] as MalformedCase;
        // Authenticated as the admin, so every request reaches the validation it is meant to hit.
        const c = { ...generated, headers: { authorization: `Bearer ${api.cp.adminToken}`, ...generated.headers } };
        try {
          const res = await sendRequest(api.cp.app, api.cp.url, c, agent);
          const wrong = judge(c, res, documented);
          if (wrong) failures.push(`${c.label} [${c.transport} ${c.method} ${c.path.slice(0, 100)}]: ${wrong}`);
          const code = /"code":"(FY_[A-Z_]+)"/.exec(res.body.toString('utf8'))?.[1] ?? `HTTP ${res.status}`;
          seenCodes.set(code, (seenCodes.get(code) ?? 0) + 1);
        } catch (e) {
          failures.push(`${c.label} [${c.transport} ${c.method} ${c.path.slice(0, 100)}]: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    t.diagnostic(`codes seen: ${[...seenCodes].sort().map(([k, n]) => `${k}×${n}`).join(' ')}`);
    assert.deepEqual(failures.slice(0, 25), [], `${failures.length} of ${COUNT} answers were wrong (seed ${seed})`);
  });

  it('is still healthy, created nothing, and still serves valid requests', async () => {
    const base = api.cp.url;
    const auth = { authorization: `Bearer ${api.cp.adminToken}` };
    const health = await fetch(`${base}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string }).status, 'ok');

    for (const collection of ['kernels', 'images', 'appliances', 'stacks']) {
      const res = await fetch(`${base}/api/v1/${collection}`, { headers: auth });
      assert.equal(res.status, 200);
      const page = (await res.json()) as { items: unknown[] };
      assert.deepEqual(page.items, [], `a malformed request created a ${collection.slice(0, -1)}`);
    }

    const created = await fetch(`${base}/api/v1/kernels`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ name: 'after-the-storm' }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    const kernel = (await created.json()) as { id: string; name: string };
    assert.equal(kernel.name, 'after-the-storm');
    const uploaded = await fetch(`${base}/api/v1/kernels/${kernel.id}/vmlinuz`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', ...auth },
      body: new Uint8Array(fakeBzImage()),
    });
    assert.equal(uploaded.status, 200, await uploaded.clone().text());
    assert.equal(((await uploaded.json()) as { status: { state: string } }).status.state, 'ready');
    const read = await fetch(`${base}/api/v1/kernels/${kernel.id}`, { headers: auth });
    assert.equal(read.status, 200);
  });
});
