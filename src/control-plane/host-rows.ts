import type { HostFacts } from '../domain/host.ts';
import { freshMeta } from '../domain/meta.ts';
import { toHostname } from '../domain/names.ts';
import type { Resource } from '../domain/resource.ts';
import type { Repos } from '../store/store.ts';

/**
 * Writes a host's resource row from what its agent reported, inside the caller's transaction.
 * `transitKey` is always the enrolled one (host_keys), never what the report says, so the key
 * secrets are sealed to changes only by enrolment.
 */
export async function writeHostRow(
  tx: Repos,
  opts: { id: string; existing: Resource | undefined; machineId: string; facts: HostFacts; transitKey: string; now: Date; lease?: Resource['status']['lease'] },
): Promise<{ name: string; created: boolean }> {
  const { facts, now } = opts;
  const capacity = { cpu: facts.cpu, memoryMiB: facts.memoryMiB, diskMiB: facts.diskMiB };
  const status: Resource['status'] = {
    state: 'active',
    powerState: 'on',
    applianceId: null,
    address: '127.0.0.1',
    lastHeartbeatAt: now.toISOString(),
    facts: { ...facts, machineId: opts.machineId, transitKey: opts.transitKey },
    ...(opts.lease ? { lease: opts.lease } : {}),
    // The power manager's state outlives a registration: a woken host is awake at its heartbeat.
    ...(opts.existing?.status.power ? { power: opts.existing.status.power } : {}),
  };
  if (opts.existing) {
    const e = opts.existing;
    await tx.resources.update({ ...e, spec: { ...e.spec, capacity, virtualizations: facts.virtualizations }, status }, now, true);
    return { name: e.name, created: false };
  }
  const base = toHostname(facts.hostname);
  const name = (await tx.resources.getByName(base)) ? `${base}-${opts.id.slice(-6)}` : base;
  await tx.resources.insert({
    ...freshMeta(opts.id, name, now),
    spec: { type: 'physical', hostId: null, capacity, virtualizations: facts.virtualizations, labels: {} },
    status,
  });
  return { name, created: true };
}

/** The host a machine id belongs to (only hosts' facts carry a machine id). */
export async function hostByMachineId(tx: Repos, machineId: string): Promise<Resource | undefined> {
  return (await tx.resources.all({ type: 'physical' })).find((r) => r.status.facts.machineId === machineId);
}

/** What an agent's report must look like before any of it is written. */
export function validFacts(f: unknown): f is HostFacts {
  const x = f as Partial<HostFacts> | null;
  return (
    x !== null &&
    typeof x === 'object' &&
    typeof x.hostname === 'string' &&
    x.hostname.length <= 253 &&
    [x.cpu, x.memoryMiB, x.diskMiB].every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0) &&
    Array.isArray(x.virtualizations) &&
    x.virtualizations.every((v) => typeof v === 'string')
  );
}
