import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { CHECK_STATES, type Perfdata } from '../domain/health-check.ts';
import type { Store } from '../store/store.ts';

/** How often the store-derived gauges are recomputed; a scrape only reads the last result. */
export const STORE_GAUGES_REFRESH_MS = 15_000;

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
  /** Recomputes the store-derived gauges now (two aggregate queries). */
  refresh(): Promise<void>;
  start(): void;
  stop(): void;
}

/**
 * The control plane's Prometheus metrics; one registry per control plane so tests can run several.
 * A scrape costs O(1): the gauges that come from the store (appliances by phase, the outbox's
 * backlog) are aggregated by the database on a timer and the scrape reads the last figures, so
 * however often something scrapes, and however many appliances there are, the store is asked
 * the same three small questions every STORE_GAUGES_REFRESH_MS. The third reads the latest result of
 * every health check (one row per check) for `fleetyard_check_state` and `fleetyard_check_perfdata`.
 */
export function createMetrics(store: Store, log: (msg: string, err?: unknown) => void = () => undefined): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'fleetyard_process_' });
  const httpRequests = new Counter({
    name: 'fleetyard_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'fleetyard_http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry],
  });
  const queries = new Counter({ name: 'fleetyard_store_queries_total', help: 'Queries the store has run', registers: [registry] });
  const appliances = new Gauge({ name: 'fleetyard_appliances', help: 'Appliances by phase', labelNames: ['phase'] as const, registers: [registry] });
  const outbox = new Gauge({ name: 'fleetyard_outbox_pending', help: 'Events committed but not yet published to the bus', registers: [registry] });
  const checkState = new Gauge({
    name: 'fleetyard_check_state',
    help: 'State of each appliance health check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (hard=1 when the state is hard)',
    labelNames: ['appliance', 'check', 'hard'] as const,
    registers: [registry],
  });
  const checkPerfdata = new Gauge({
    name: 'fleetyard_check_perfdata',
    help: "Performance data of the latest result of each appliance health check, by the plugin's label and unit",
    labelNames: ['appliance', 'check', 'label', 'uom'] as const,
    registers: [registry],
  });
  const offQuery = store.onQuery(() => queries.inc());

  const refresh = async (): Promise<void> => {
    const byPhase = await store.db.selectFrom('appliances').select(['phase', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('phase').execute();
    const pending = await store.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).where('published_at', 'is', null).executeTakeFirst();
    appliances.reset();
    for (const row of byPhase) appliances.set({ phase: row.phase }, Number(row.n));
    outbox.set(Number(pending?.n ?? 0));
    const checks = await store.db
      .selectFrom('appliance_checks')
      .innerJoin('appliances', 'appliances.id', 'appliance_checks.appliance_id')
      .select(['appliances.name as appliance', 'appliance_checks.check_name', 'appliance_checks.state', 'appliance_checks.state_type', 'appliance_checks.perfdata'])
      .execute();
    checkState.reset();
    checkPerfdata.reset();
    for (const c of checks) {
      checkState.set({ appliance: c.appliance, check: c.check_name, hard: c.state_type === 'HARD' ? '1' : '0' }, CHECK_STATES.indexOf(c.state));
      for (const p of JSON.parse(c.perfdata) as Perfdata[]) checkPerfdata.set({ appliance: c.appliance, check: c.check_name, label: p.label, uom: p.uom }, p.value);
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const tick = (): void => {
    refresh().catch((e: unknown) => log('refreshing the store metrics failed (the last figures stay)', e));
  };
  return {
    registry,
    httpRequests,
    httpDuration,
    refresh,
    start() {
      tick();
      timer = setInterval(tick, STORE_GAUGES_REFRESH_MS);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      offQuery();
    },
  };
}
