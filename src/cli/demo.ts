import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { startControlPlane } from '../control-plane/control-plane.ts';
import { configFromEnv } from '../control-plane/config.ts';
import type { Appliance } from '../domain/appliance.ts';
import type { Image } from '../domain/image.ts';
import { ADMIN_PASSWORD_FILE } from '../identity/bootstrap.ts';
import { installProcessGuard } from './process-guard.ts';

/**
 * The quick start: Fleetyard with its embedded defaults plus a demo appliance that really runs
 * (its own PID and network namespace, reachable from this machine over the bridge). Ctrl-C stops
 * the demo appliance, releasing everything it used, and then Fleetyard.
 */
const imageTar = process.argv[2];
if (!imageTar) {
  console.error('usage: demo.ts IMAGE_TAR');
  process.exit(2);
}
installProcessGuard('fleetyard');
const cfg = configFromEnv();
const cp = await startControlPlane({
  dataDir: cfg.dataDir,
  listen: cfg.listen,
  databaseUrl: cfg.databaseUrl,
  natsUrl: cfg.natsUrl,
  networkBridge: cfg.networkBridge,
  networkCidr: cfg.networkCidr,
});
const api = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
  const res = await fetch(cp.url + path, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      authorization: `Bearer ${cp.adminToken ?? ''}`,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
};

console.log(`Fleetyard is running at ${cp.url} (data in ${cfg.dataDir})`);
const passwordFile = join(cfg.dataDir, ADMIN_PASSWORD_FILE);
const firstPassword = existsSync(passwordFile) ? readFileSync(passwordFile, 'utf8').trim() : undefined;
console.log(`
The web console: ${cp.url}/
  sign in as:  admin
  password:    ${firstPassword ? `${firstPassword}   (kept in ${passwordFile}; \`npx fleetyard user passwd admin\` changes it)` : 'the one you set with `npx fleetyard user passwd admin`'}
`);
let image = (await api<{ items: Image[] }>('GET', '/api/v1/images?name=demo-base')).body.items[0];
if (!image) image = (await api<Image>('POST', '/api/v1/images', { name: 'demo-base' })).body;
if (image.status.state === 'queued') {
  // Uploaded as a stream, as `fleetyard image import` does: the server reads no path of ours.
  const res = await fetch(`${cp.url}/api/v1/images/${image.id}/file`, {
    method: 'PUT',
    headers: { 'content-type': 'application/x-tar', 'content-length': String(statSync(imageTar).size), authorization: `Bearer ${cp.adminToken ?? ''}` },
    body: Readable.toWeb(createReadStream(imageTar)) as ReadableStream<Uint8Array>,
    duplex: 'half',
  } as RequestInit);
  const r = (await res.json()) as Image & { error?: { message: string } };
  if (res.status !== 200) throw new Error(`image upload failed: ${r.error?.message}`);
  image = r;
  console.log(`imported image demo-base (${image.status.sizeBytes} bytes)`);
}
let demo = (await api<{ items: Appliance[] }>('GET', '/api/v1/appliances?name=demo')).body.items[0];
if (!demo) {
  demo = (await api<Appliance>('POST', '/api/v1/appliances', { name: 'demo', imageId: image.id })).body;
} else if (demo.spec.desiredState !== 'running') {
  demo = (await api<Appliance>('POST', `/api/v1/appliances/${demo.id}/start`)).body;
}
const deadline = Date.now() + 60_000;
while (demo.status.phase !== 'running' && Date.now() < deadline) {
  await new Promise((r) => setTimeout(r, 100));
  demo = (await api<Appliance>('GET', `/api/v1/appliances/${demo.id}`)).body;
  if (demo.status.phase === 'failed') break;
}
if (demo.status.phase !== 'running') {
  console.error(`the demo appliance did not start: ${demo.status.phase} ${demo.status.message ?? ''}`);
} else {
  const runcRoot = join(cfg.dataDir, 'run', 'container', 'runc');
  console.log(`
The demo appliance "demo" is running (id ${demo.id}).
  address:  ${demo.status.address} on bridge ${cfg.networkBridge} (link-local, not routed anywhere)
  web page: curl http://${demo.status.address}/
  a shell:  runc --root ${runcRoot} exec -t ${demo.id} /bin/sh
  the CLI:  npx fleetyard appliance list    (in another terminal)
  the API:  ${cp.url}/docs
  console:  ${cp.url}/  (admin, password above)
Press Ctrl-C to stop the demo appliance and Fleetyard.`);
}

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping the demo appliance…');
  await api('POST', `/api/v1/appliances/${demo.id}/stop`);
  const until = Date.now() + 30_000;
  for (;;) {
    const a = (await api<Appliance>('GET', `/api/v1/appliances/${demo.id}`)).body;
    if (a.status.phase === 'stopped' || Date.now() > until) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await cp.stop();
  process.exit(0);
};
const shutdownOrExit = (): void => {
  shutdown().catch((e: unknown) => {
    console.error('stopping the demo failed:', e);
    process.exit(1);
  });
};
process.on('SIGINT', shutdownOrExit);
process.on('SIGTERM', shutdownOrExit);
