import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Store } from '../store/store.ts';

/** The control plane's Prometheus metrics; one registry per control plane so tests can run several. */
export function createMetrics(store: Store) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'fleetyard_process_' });
  const httpRequests = new Counter({
    name: 'fleetyard_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'fleetyard_http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'fleetyard_appliances',
    help: 'Appliances by phase',
    labelNames: ['phase'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const a of await store.read.appliances.all()) this.inc({ phase: a.status.phase });
    },
  });
  new Gauge({
    name: 'fleetyard_outbox_pending',
    help: 'Events committed but not yet published to the bus',
    registers: [registry],
    async collect() {
      this.set((await store.read.events.unpublished(10_000)).length);
    },
  });
  return { registry, httpRequests, httpDuration };
}
