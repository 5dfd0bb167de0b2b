import { type Appliance, reachableAddress } from '../domain/appliance.ts';
import { hostPort } from '../network/host-port.ts';

/** The appliance label that names the port Prometheus scrapes on it. */
export const METRICS_PORT_LABEL = 'fleetyard.io/metrics-port';
/** node_exporter's port: what an appliance without the label is scraped on. */
export const DEFAULT_METRICS_PORT = 9100;

/** One target group of Prometheus's HTTP service discovery (docs: prometheus http_sd). */
export interface SdTargetGroup {
  targets: string[];
  labels: Record<string, string>;
}

/** A label name as Prometheus allows it ([a-zA-Z_][a-zA-Z0-9_]*): anything else becomes `_`. */
export function sdLabelName(key: string): string {
  return key.replace(/[^a-zA-Z0-9_]/g, '_');
}

/** The port of an appliance's label, the default without one, null when the label is no port. */
export function metricsPort(labels: Record<string, string>): number | null {
  const v = labels[METRICS_PORT_LABEL];
  if (v === undefined) return DEFAULT_METRICS_PORT;
  if (!/^\d{1,5}$/.test(v)) return null;
  const n = Number(v);
  return n >= 1 && n <= 65535 ? n : null;
}

/**
 * One target group per appliance that has an address and is not being deleted, sorted by id so
 * the answer is stable. Appliance labels come as `__meta_fleetyard_label_<key>`, the key's
 * characters that a label name cannot hold turned into `_` (as Kubernetes discovery does).
 * An appliance whose metrics-port label is not a port is left out: there is nothing to scrape.
 */
export function prometheusTargets(
  appliances: Appliance[],
  names: { host(id: string): string; owner(id: string): string },
): SdTargetGroup[] {
  const groups: SdTargetGroup[] = [];
  for (const a of [...appliances].sort((x, y) => x.id.localeCompare(y.id))) {
    const port = metricsPort(a.spec.labels);
    const address = reachableAddress(a);
    if (address === null || a.deletionRequestedAt !== null || port === null) continue;
    const labels: Record<string, string> = {
      __meta_fleetyard_appliance_id: a.id,
      __meta_fleetyard_appliance_name: a.name,
      __meta_fleetyard_host: a.status.hostId ? names.host(a.status.hostId) : '',
      __meta_fleetyard_owner: a.spec.ownerId ? names.owner(a.spec.ownerId) : '',
      __meta_fleetyard_virtualization: a.status.virtualization ?? '',
      __meta_fleetyard_phase: a.status.phase,
      __meta_fleetyard_network: a.spec.network,
    };
    for (const [k, v] of Object.entries(a.spec.labels)) labels[`__meta_fleetyard_label_${sdLabelName(k)}`] = v;
    groups.push({ targets: [hostPort(address, port)], labels });
  }
  return groups;
}
