import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startControlPlane } from '../src/control-plane/control-plane.ts';
import { SimDriver } from '../src/drivers/sim/sim-driver.ts';
const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
await admin.connect();
await admin.query('CREATE DATABASE fy_probe_x1');
const dir = mkdtempSync(join(tmpdir(), 'fy-probe-'));
const cp = await startControlPlane({ dataDir: dir, databaseUrl: 'postgres://postgres@127.0.0.1:5432/fy_probe_x1', listen: '127.0.0.1:0', drivers: [new SimDriver()], networkBridge: 'fytabcdef', networkCidr: '169.254.77.0/24' });
const J = { 'content-type': 'application/json' };
for (const [method, url, payload] of [
  ['GET', '/api/v1/appliances?name=%00'],
  ['GET', '/api/v1/events?objectId=%00'],
  ['GET', '/api/v1/events?type=a%00'],
  ['GET', '/api/v1/appliances?cursor=' + Buffer.from('c1:\0').toString('base64url')],
  ['GET', '/api/v1/appliances?cursor=' + Buffer.from([0x63, 0x31, 0x3a, 0xff]).toString('base64url')],
  ['POST', '/api/v1/kernels', JSON.stringify({ name: 'k', vmlinuzPath: '/etc/hostname', cmdline: 'a\u0000b' })],
  ['POST', '/api/v1/kernels', JSON.stringify({ name: 'k2', vmlinuzPath: '/etc/hostname', cmdline: '\ud800' })],
] as const) {
  const r = await cp.app.inject({ method: method as 'GET', url, payload, headers: payload ? J : {} });
  console.log(method, url, r.statusCode, r.body.slice(0, 200));
}
await cp.stop();
await admin.query('DROP DATABASE fy_probe_x1 WITH (FORCE)');
await admin.end();
