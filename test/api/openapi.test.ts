import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { registeredRoutes } from './registered-routes.ts';
import { startSimControlPlane, type SimControlPlane } from './sim-control-plane.ts';

/**
 * /openapi.json is what clients generate code from, so every route a client can call must be in
 * it with each of its methods. The list below is the API's surface written out once more on
 * purpose: a route that vanished from both the router and the document would otherwise pass.
 */
const EXPECTED = [
  'GET /healthz',
  'GET /metrics',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/logout',
  'GET /api/v1/auth/me',
  'GET /api/v1/users',
  'POST /api/v1/users',
  'GET /api/v1/users/{id}',
  'PATCH /api/v1/users/{id}',
  'PUT /api/v1/users/{id}/password',
  'POST /api/v1/users/{id}/verify-email',
  'GET /api/v1/tokens',
  'POST /api/v1/tokens',
  'DELETE /api/v1/tokens/{id}',
  'GET /api/v1/groups',
  'POST /api/v1/groups',
  'GET /api/v1/groups/{id}',
  'GET /api/v1/resources',
  'GET /api/v1/resources/{id}',
  'POST /api/v1/resources',
  'DELETE /api/v1/resources/{id}',
  'POST /api/v1/hosts/join-tokens',
  'GET /api/v1/hosts/join-tokens',
  'DELETE /api/v1/hosts/join-tokens/{id}',
  'PUT /api/v1/hosts/{id}/bmc',
  'PUT /api/v1/hosts/{id}/wake-on-lan',
  'POST /api/v1/hosts/{id}/fence-confirm',
  'PUT /api/v1/hosts/{id}/labels',
  'GET /api/v1/storages',
  'GET /api/v1/storages/{id}',
  'GET /api/v1/networks',
  'GET /api/v1/networks/{id}',
  'POST /api/v1/networks',
  'PATCH /api/v1/networks/{id}',
  'DELETE /api/v1/networks/{id}',
  'GET /api/v1/networks/{id}/addresses',
  'GET /api/v1/networks/{id}/dns',
  'GET /api/v1/kernels',
  'POST /api/v1/kernels',
  'GET /api/v1/kernels/{id}',
  'DELETE /api/v1/kernels/{id}',
  'PUT /api/v1/kernels/{id}/vmlinuz',
  'PUT /api/v1/kernels/{id}/initrd',
  'POST /api/v1/kernels/{id}/import',
  'GET /api/v1/images',
  'POST /api/v1/images',
  'GET /api/v1/images/{id}',
  'DELETE /api/v1/images/{id}',
  'PUT /api/v1/images/{id}/file',
  'POST /api/v1/images/{id}/import',
  'GET /api/v1/appliances',
  'POST /api/v1/appliances',
  'GET /api/v1/appliances/{id}',
  'DELETE /api/v1/appliances/{id}',
  'POST /api/v1/appliances/{id}/start',
  'POST /api/v1/appliances/{id}/stop',
  'POST /api/v1/appliances/{id}/move',
  'GET /api/v1/appliances/{id}/logs',
  'GET /api/v1/appliances/{id}/placement',
  'GET /api/v1/appliances/{id}/checks',
  'GET /api/v1/appliances/{id}/dns',
  'PUT /api/v1/appliances/{id}/checks',
  'GET /api/v1/monitoring/nagios',
  'GET /api/v1/events',
  'GET /api/v1/events/stream',
  'GET /api/v1/products',
  'POST /api/v1/products',
  'GET /api/v1/products/{id}',
  'PATCH /api/v1/products/{id}',
  'GET /api/v1/config-groups',
  'POST /api/v1/config-groups',
  'GET /api/v1/config-groups/{id}',
  'GET /api/v1/config-groups/{id}/usage',
  'PATCH /api/v1/config-groups/{id}',
  'DELETE /api/v1/config-groups/{id}',
  'GET /api/v1/config/puppet/enc/{certname}',
  'GET /api/v1/appliances/{id}/configuration',
  'GET /api/v1/config/ansible/inventory',
  'POST /api/v1/cloud/quote',
  'POST /api/v1/cloud/requests',
  'GET /api/v1/cloud/requests',
  'GET /api/v1/cloud/requests/counts',
  'GET /api/v1/cloud/requests/{id}',
  'GET /api/v1/cloud/requests/{id}/appliances',
  'POST /api/v1/cloud/requests/{id}/approve',
  'POST /api/v1/cloud/requests/{id}/deny',
  'POST /api/v1/cloud/requests/{id}/pause',
  'POST /api/v1/cloud/requests/{id}/resume',
  'POST /api/v1/cloud/requests/{id}/cancel',
  'POST /api/v1/cloud/requests/{id}/extend',
  'POST /api/v1/stacks/plan',
  'POST /api/v1/stacks/apply',
  'GET /api/v1/stacks',
  'GET /api/v1/stacks/{name}',
  'PUT /api/v1/stacks/{name}',
  'DELETE /api/v1/stacks/{name}',
  'GET /api/v1/quotas/{kind}/{id}',
  'PUT /api/v1/quotas/{kind}/{id}',
  'GET /api/v1/ccu/price-list',
  'PUT /api/v1/ccu/price-list',
  'GET /api/v1/ccu/balance',
  'GET /api/v1/ccu/ledger',
  'GET /api/v1/ccu/statement.csv',
  'GET /api/v1/ccu/usage',
  'POST /api/v1/ccu/grants',
  'POST /api/v1/ccu/rebuild',
  'GET /api/v1/mails',
  'POST /api/v1/mails/{id}/retry',
  'GET /api/v1/dashboard',
  'GET /api/v1/monitoring/prometheus-sd',
  'GET /api/v1/ha/plan',
  'GET /api/v1/power/plan',
  'GET /api/v1/cloud/requests/{id}/placement',
];

/** Served by the framework, not part of the API: the document itself and its viewer. */
const isFrameworkRoute = (route: string): boolean => /^[A-Z]+ \/(docs|openapi\.json)\b/.test(route);

interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, { summary?: string; responses?: Record<string, unknown> }>>;
}

describe('OpenAPI document', () => {
  let api: SimControlPlane;
  let doc: OpenApiDoc;
  let documented: Set<string>;

  before(async () => {
    api = await startSimControlPlane();
    const res = await fetch(`${api.cp.url}/openapi.json`);
    assert.equal(res.status, 200);
    doc = (await res.json()) as OpenApiDoc;
    documented = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)),
    );
  });
  after(() => api?.cleanup());

  it('is OpenAPI 3.1', () => {
    assert.equal(doc.openapi, '3.1.0');
  });

  it('describes every route of the API surface', () => {
    const missing = EXPECTED.filter((r) => !documented.has(r));
    assert.deepEqual(missing, [], `not in /openapi.json: ${missing.join(', ')}`);
  });

  it('describes every route Fastify serves (HEAD aside), and nothing else', () => {
    const served = [...registeredRoutes(api.cp.app)].filter((r) => !r.startsWith('HEAD ') && !isFrameworkRoute(r));
    const undocumented = served.filter((r) => !documented.has(r));
    assert.deepEqual(undocumented, [], `served but not documented: ${undocumented.join(', ')}`);
    const phantom = [...documented].filter((r) => !served.includes(r));
    assert.deepEqual(phantom, [], `documented but not served: ${phantom.join(', ')}`);
    assert.deepEqual([...documented].sort(), [...EXPECTED].sort(), 'the surface changed: update EXPECTED');
  });

  it('gives every operation a summary and a success response', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        assert.ok(op.summary, `${method} ${path} has no summary`);
        const codes = Object.keys(op.responses ?? {});
        assert.ok(codes.some((c) => /^2\d\d$/.test(c)), `${method} ${path} has no 2xx response`);
      }
    }
  });

  it('documents the error answers of every /api/v1 operation', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api/v1/')) continue;
      for (const [method, op] of Object.entries(ops)) {
        assert.ok(op.responses?.['400'], `${method} ${path} does not document its 400 answer`);
      }
    }
  });

  it('documents the file bodies of the upload routes as binary, under each media type they take', () => {
    const uploads = ['/api/v1/images/{id}/file', '/api/v1/kernels/{id}/vmlinuz', '/api/v1/kernels/{id}/initrd'];
    for (const path of uploads) {
      const op = doc.paths[path]?.put as { requestBody?: { content?: Record<string, { schema?: { type?: string; format?: string } }> } } | undefined;
      const content = op?.requestBody?.content ?? {};
      assert.deepEqual(Object.keys(content).sort(), ['application/gzip', 'application/octet-stream', 'application/x-tar'], path);
      for (const [type, media] of Object.entries(content)) assert.deepEqual([media.schema?.type, media.schema?.format], ['string', 'binary'], `${path} ${type}`);
      assert.ok(op && (op as { responses?: Record<string, unknown> }).responses?.['413'], `${path} documents 413`);
    }
  });

  it('serves the interactive docs as HTML at /docs', async () => {
    const res = await fetch(`${api.cp.url}/docs`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await res.text(), /<html/i);
  });
});
