import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import net from 'node:net';
import { startControlPlane } from '../src/control-plane/control-plane.ts';
import { SimDriver } from '../src/drivers/sim/sim-driver.ts';
const dir = mkdtempSync(join(tmpdir(), 'fy-probe-'));
const cp = await startControlPlane({ dataDir: dir, listen: '127.0.0.1:0', drivers: [new SimDriver()], networkBridge: 'fytabcdef', networkCidr: '169.254.77.0/24' });
const u = new URL(cp.url);
function req(method: string, path: string, body?: Buffer | string, headers: Record<string, string> = {}): Promise<[number, string]> {
  return new Promise((res, rej) => {
    const r = http.request({ host: '127.0.0.1', port: Number(u.port), method, path, headers, agent: false }, (resp) => {
      const chunks: Buffer[] = [];
      resp.on('data', (c) => chunks.push(c));
      resp.on('end', () => res([resp.statusCode ?? 0, Buffer.concat(chunks).toString('utf8').slice(0, 200)]));
    });
    r.on('error', rej);
    if (body !== undefined) r.end(body); else r.end();
  });
}
function raw(text: string): Promise<string> {
  return new Promise((res) => {
    const s = net.connect(Number(u.port), '127.0.0.1', () => s.write(text));
    let out = '';
    s.on('data', (d) => (out += d.toString('latin1')));
    s.on('end', () => res(out.slice(0, 300)));
    s.on('error', (e) => res('ERR ' + e.message));
  });
}
const J = { 'content-type': 'application/json' };
const cases: Array<[string, string, (Buffer | string)?, Record<string, string>?]> = [
  ['FOO', '/api/v1/kernels'],
  ['PROPFIND', '/api/v1/kernels'],
  ['OPTIONS', '/api/v1/kernels'],
  ['DELETE', '/healthz'],
  ['GET', '/api/v1/appliances/%FF'],
  ['GET', '/api/v1/appliances/%'],
  ['GET', '/api/v1/appliances?name=%FF'],
  ['GET', '/api/v1/appliances?cursor=%FF%FE'],
  ['GET', '/api/v1/%FF'],
  ['GET', '/%FF%FE'],
  ['GET', '/api/v1/appliances/' + 'a'.repeat(300)],
  ['GET', '/api/v1/appliances/' + 'a'.repeat(150)],
  ['GET', '/api/v1/appliances/' + '%2e%2e%2f'.repeat(20)],
  ['GET', '/api/v1/appliances/../../etc/passwd'],
  ['GET', '/docs/../../etc/passwd'],
  ['GET', '/docs/%2e%2e/%2e%2e/etc/passwd'],
  ['GET', '/docs/static/%2e%2e%2f%2e%2e%2fpackage.json'],
  ['GET', '/docs/%FF'],
  ['GET', '/docs/' + 'x'.repeat(500)],
  ['GET', '/api/v1/appliances', undefined, { 'x-big': 'a'.repeat(14000) }],
  ['GET', '/api/v1/appliances', undefined, { 'x-big': 'a'.repeat(20000) }],
  ['POST', '/api/v1/kernels', 'abc', { 'content-type': 'text/plain' }],
  ['POST', '/api/v1/kernels', 'abc', { 'content-type': 'application/x-www-form-urlencoded' }],
  ['POST', '/api/v1/kernels', 'abc', { 'content-type': 'multipart/form-data; boundary=x' }],
  ['POST', '/api/v1/kernels', 'abc', {}],
  ['POST', '/api/v1/kernels', '{}', { 'content-type': 'application/json', 'content-encoding': 'gzip' }],
  ['POST', '/api/v1/kernels', '{}', { 'content-type': 'application/json;;;' }],
  ['POST', '/api/v1/kernels', '{}', { 'content-type': '' }],
  ['POST', '/api/v1/kernels', undefined, { 'content-type': 'application/json', 'content-length': '0' }],
  ['POST', '/api/v1/kernels', undefined, {}],
  ['POST', '/api/v1/kernels', Buffer.from('{"name":"\xff"}', 'latin1'), J],
  ['POST', '/api/v1/kernels', Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), J],
  ['POST', '/api/v1/kernels', '{"a":' .repeat(5000) + '1' + '}'.repeat(5000), J],
  ['POST', '/api/v1/kernels', JSON.stringify({ name: 'k', vmlinuzPath: '/nonexistent' }), J],
  ['POST', '/api/v1/kernels', JSON.stringify({ name: 'k', vmlinuzPath: 'relative' }), J],
  ['POST', '/api/v1/kernels', JSON.stringify({ name: 'k', vmlinuzPath: '/a\u0000b' }), J],
  ['POST', '/api/v1/kernels', JSON.stringify({ name: 'k', vmlinuzPath: '/' + 'a'.repeat(5000) }), J],
  ['POST', '/api/v1/kernels', JSON.stringify({ name: 'k', vmlinuzPath: '/' + 'a'.repeat(4000) }), J],
  ['POST', '/api/v1/kernels', JSON.stringify({ name: 'k', vmlinuzPath: '/' + 'a/'.repeat(2000) }), J],
  ['POST', '/api/v1/images', JSON.stringify({ name: 'i', source: '/nonexistent.tar' }), J],
  ['POST', '/api/v1/images', JSON.stringify({ name: 'i', source: '/etc/passwd' }), J],
  ['POST', '/api/v1/images', JSON.stringify({ name: 'i', source: '/proc' }), J],
  ['POST', '/api/v1/images', JSON.stringify({ name: 'i2', source: '/' + 'a'.repeat(4000) }), J],
  ['POST', '/api/v1/appliances', JSON.stringify({ name: 'a', imageId: '0190b2e4-6a6a-7c00-8000-000000000000', labels: { 'A': 'b' } }), J],
  ['POST', '/api/v1/appliances', JSON.stringify({ name: 'a', imageId: '0190b2e4-6a6a-7c00-8000-000000000000', requirements: { cpu: -1 } }), J],
  ['POST', '/api/v1/appliances', JSON.stringify({ name: 'a', imageId: '0190b2e4-6a6a-7c00-8000-000000000000', requirements: { cpu: 1e308 } }), J],
  ['GET', '/api/v1/appliances?limit=1e3'],
  ['GET', '/api/v1/appliances?limit=0x10'],
  ['GET', '/api/v1/appliances?limit=99999999999999999999999'],
  ['GET', '/api/v1/appliances?cursor=' + 'a'.repeat(299)],
  ['GET', '/api/v1/appliances?cursor=' + Buffer.from('{"a":1}').toString('base64url')],
  ['GET', '/api/v1/appliances?cursor=' + Buffer.from('["x","y"]').toString('base64url')],
  ['GET', '/api/v1/appliances?cursor=' + Buffer.from('[1,2,3]').toString('base64url')],
  ['GET', '/api/v1/appliances?cursor=' + Buffer.from('null').toString('base64url')],
  ['GET', '/api/v1/appliances?cursor=' + Buffer.from('"\\u0000"').toString('base64url')],
  ['GET', '/api/v1/events?afterSeq=1e400'],
  ['GET', '/api/v1/events?afterSeq=9007199254740993'],
  ['GET', '/api/v1/events?objectId=%00'],
  ['GET', '/api/v1/appliances?name=%00'],
  ['GET', '/api/v1/appliances?phase=' + 'x'.repeat(200)],
  ['GET', '/api/v1/appliances?__proto__=1'],
  ['GET', '/api/v1/appliances?constructor=1'],
  ['GET', '/api/v1/appliances?limit[]=1'],
  ['GET', '/api/v1/appliances?' + 'a=1&'.repeat(2000)],
  ['GET', '/api/v1/appliances/0190b2e4-6a6a-7c00-8000-000000000000/logs?bytes=abc'],
  ['GET', '/api/v1/events/stream', undefined, { 'last-event-id': '9'.repeat(20) }],
  ['HEAD', '/api/v1/appliances/xyz'],
  ['GET', '/metrics?x=1'],
  ['GET', '/healthz?x=1'],
  ['GET', '/api/v1/appliances;x=1'],
  ['GET', '//api/v1/appliances'],
  ['GET', '/api/v1//appliances'],
  ['GET', '/api/v1/appliances/'],
  ['GET', '/API/V1/APPLIANCES'],
];
for (const [m, p, b, h] of cases) {
  try { const [s, t] = await req(m, p, b, h); console.log(m, p.slice(0, 70), '=>', s, t.slice(0, 160)); }
  catch (e) { console.log(m, p.slice(0, 70), 'ERR', String(e)); }
}
console.log('RAW1', await raw('GET /api/v1/appliances HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\nConnection: close\r\n\r\n'));
console.log('RAW2', await raw('GET /api/v1/\xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
console.log('RAW3', await raw('POST /api/v1/kernels HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\n{"a\r\n0\r\n\r\n'));
console.log('RAW4', await raw('GET http://evil/api/v1/appliances HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
console.log('RAW5', await raw('GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
console.log('RAW6', await raw('GET /api/v1/appliances HTTP/1.0\r\n\r\n'));
console.log('RAW7', await raw('GET /api/v1/appliances?name=\xff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
await cp.stop();
