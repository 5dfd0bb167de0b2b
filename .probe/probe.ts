import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startControlPlane } from '/work/main/src/control-plane/control-plane.ts';
import { SimDriver } from '/work/main/src/drivers/sim/sim-driver.ts';
const dir = mkdtempSync(join(tmpdir(), 'fy-probe-'));
const cp = await startControlPlane({ dataDir: dir, listen: '127.0.0.1:0', drivers: [new SimDriver()], networkBridge: 'fytabcdef', networkCidr: '169.254.77.0/24' });
console.log(cp.url);
console.log(cp.app.printRoutes({ commonPrefix: false }));
const spec = cp.app.swagger() as any;
console.log(Object.entries(spec.paths).map(([p, v]: any) => p + ' ' + Object.keys(v).join(',')).join('\n'));
const tries: Array<[string, string, any?, any?]> = [
  ['GET', '/api/v1/appliances?cursor=zzz'],
  ['GET', '/api/v1/appliances?limit=abc'],
  ['GET', '/api/v1/appliances?limit=1&limit=2'],
  ['GET', '/api/v1/appliances?name='],
  ['GET', '/api/v1/appliances?foo=1'],
  ['GET', '/api/v1/appliances/..%2F..%2Fetc'],
  ['GET', '/api/v1/appliances/%FF'],
  ['GET', '/api/v1/appliances/' + 'a'.repeat(300)],
  ['GET', '/api/v1/events?afterSeq=-1'],
  ['GET', '/api/v1/events/stream?kind=zzz'],
  ['GET', '/api/v1/events/stream', undefined, { 'last-event-id': 'abc' }],
  ['POST', '/api/v1/kernels', '[]', { 'content-type': 'application/json' }],
  ['POST', '/api/v1/kernels', 'null', { 'content-type': 'application/json' }],
  ['POST', '/api/v1/kernels', '', { 'content-type': 'application/json' }],
  ['POST', '/api/v1/kernels', '{"a":1}', { 'content-type': 'text/plain' }],
  ['POST', '/api/v1/kernels', '{"a":1}', { 'content-type': 'application/json; charset=latin1' }],
  ['POST', '/api/v1/kernels', Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), { 'content-type': 'application/json' }],
  ['POST', '/api/v1/kernels', '['.repeat(100000) + ']'.repeat(100000), { 'content-type': 'application/json' }],
  ['POST', '/api/v1/kernels', JSON.stringify({ name: 'x'.repeat(10000), vmlinuzPath: '/x' }), { 'content-type': 'application/json' }],
  ['POST', '/api/v1/kernels', 'x'.repeat(2_000_000), { 'content-type': 'application/json' }],
  ['POST', '/api/v1/kernels', '{"__proto__":{"a":1}}', { 'content-type': 'application/json' }],
  ['POST', '/api/v1/kernels', '{"constructor":{"prototype":{}}}', { 'content-type': 'application/json' }],
  ['POST', '/api/v1/appliances', JSON.stringify({ name: 'a', imageId: 'nope' }), { 'content-type': 'application/json' }],
  ['POST', '/api/v1/appliances', JSON.stringify({ name: 'a', imageId: '0190b2e4-6a6a-7c00-8000-000000000000', kernelId: 'x' }), { 'content-type': 'application/json' }],
  ['PUT', '/api/v1/appliances'],
  ['PATCH', '/api/v1/kernels/x'],
  ['FOO', '/api/v1/kernels'],
  ['DELETE', '/healthz'],
  ['OPTIONS', '/api/v1/kernels'],
  ['GET', '/api/v1/appliances/0190b2e4-6a6a-7c00-8000-000000000000/logs?bytes=0'],
  ['GET', '/api/v1/appliances/0190b2e4-6a6a-7c00-8000-000000000000/logs'],
  ['POST', '/api/v1/appliances/0190b2e4-6a6a-7c00-8000-000000000000/start'],
  ['POST', '/api/v1/appliances/0190b2e4-6a6a-7c00-8000-000000000000/start', '{}', { 'content-type': 'application/json' }],
  ['POST', '/api/v1/appliances/0190b2e4-6a6a-7c00-8000-000000000000/start', 'abc', { 'content-type': 'text/plain' }],
  ['DELETE', '/api/v1/kernels/0190b2e4-6a6a-7c00-8000-000000000000', '{}', { 'content-type': 'application/json' }],
  ['GET', '/api/v1/appliances', 'x', { 'content-type': 'application/json' }],
  ['GET', '/api/v1/appliances', undefined, { 'content-length': 'abc' }],
];
for (const [method, url, payload, headers] of tries) {
  const r = await cp.app.inject({ method: method as any, url, payload, headers });
  console.log(method, url.slice(0, 80), r.statusCode, r.body.slice(0, 200));
}
await cp.stop();
