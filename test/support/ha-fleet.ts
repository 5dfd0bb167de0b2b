import type { Appliance } from '../../src/domain/appliance.ts';
import type { Virtualization } from '../../src/domain/meta.ts';
import type { Resource } from '../../src/domain/resource.ts';
import type { Store } from '../../src/store/store.ts';
import { anAppliance, aResource } from './objects.ts';

/**
 * Hosts and the appliances on them written straight into a control plane's store, for the N+1
 * plan's tests: the plan reads the fleet as the store holds it, so these rows are what a fleet of
 * that shape looks like, without agents to run them. The hosts' heartbeat is the clock's now (a
 * fake clock keeps them live); nothing reconciles the appliances, since no event names them.
 */
export class HaFleet {
  constructor(
    private readonly store: Store,
    private readonly imageId: string,
  ) {}

  async host(name: string, memoryMiB: number, virtualizations: Virtualization[] = ['qemu']): Promise<Resource> {
    const r = aResource(name, { type: 'physical', capacity: { cpu: 64, memoryMiB, diskMiB: 100_000 }, virtualizations });
    const host: Resource = { ...r, status: { ...r.status, state: 'active', lastHeartbeatAt: this.store.clock.now().toISOString() } };
    await this.store.transaction((tx) => tx.resources.insert(host));
    return host;
  }

  /** A running appliance on `on`, in a slot of its size. */
  async run(name: string, on: Resource, opts: { ha?: boolean; memoryMiB?: number; virtualization?: Virtualization } = {}): Promise<Appliance> {
    const memoryMiB = opts.memoryMiB ?? 100;
    const virtualization = opts.virtualization ?? 'qemu';
    const base = anAppliance(name, this.imageId, { requirements: { memoryMiB, virtualization } });
    const slot = aResource(`slot-${name}`, { type: virtualization === 'qemu' ? 'vm' : 'container', hostId: on.id, capacity: { cpu: 1, memoryMiB, diskMiB: 0 } });
    const a: Appliance = {
      ...base,
      spec: { ...base.spec, ha: opts.ha ?? true, desiredState: 'running' },
      status: { ...base.status, phase: 'running', hostId: on.id, resourceId: slot.id, virtualization, handle: { cloneHostId: on.id } },
    };
    await this.store.transaction(async (tx) => {
      await tx.resources.insert({ ...slot, status: { ...slot.status, applianceId: a.id, state: 'active' } });
      await tx.appliances.insert(a);
    });
    return a;
  }
}
