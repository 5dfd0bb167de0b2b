import http from 'node:http';
import type { Registry } from 'prom-client';
import { parseListen } from './config.ts';
import { hostPort } from '../network/host-port.ts';

/**
 * /metrics on an address of its own (FLEETYARD_METRICS_LISTEN), for a management network a
 * Prometheus server scrapes without credentials. It answers GET /metrics and nothing else, from
 * the same aggregated figures as the API's /metrics, so it costs the same O(1) per scrape.
 */
export async function startMetricsListener(listen: string, registry: Registry): Promise<{ url: string; close(): Promise<void> }> {
  const { host, port } = parseListen(listen);
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as { address: string; port: number };
  return {
    url: `http://${hostPort(address.address, address.port)}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
