import { freshMeta } from '../domain/meta.ts';
import type { DiscoveredNotice, Heartbeat, RegisterReply, RegisterRequest } from '../agent/protocol.ts';
import { subjects } from '../agent/protocol.ts';
import type { Bus, Subscription } from '../bus/bus.ts';
import { FleetyardError } from '../domain/errors.ts';
import type { HostFacts } from '../domain/host.ts';
import { toHostname } from '../domain/names.ts';
import type { Resource } from '../domain/resource.ts';
import type { Store } from '../store/store.ts';

/**
 * The control plane's side of registration and heartbeats: turns an agent's report into the host
 * resource row. A host is found again by its machine id, so a restarted agent keeps its host id.
 * Heartbeats renew the lease silently; only a change of state emits an event.
 */
export class HostRegistry {
  private subs: Subscription[] = [];

  constructor(
    private readonly store: Store,
    private readonly bus: Bus,
    private readonly onChange: (hostId: string) => void,
  ) {}

  async start(): Promise<void> {
    this.subs = [
      await this.bus.handle(subjects.register, (p) => this.register(p as RegisterRequest)),
      await this.bus.listen(subjects.heartbeat, (p) => this.heartbeat(p as Heartbeat)),
      await this.bus.listen(subjects.discovered, (p) => this.discovered(p as DiscoveredNotice)),
    ];
  }

  async stop(): Promise<void> {
    await Promise.all(this.subs.map((s) => s.close()));
  }

  private capacity(f: HostFacts): Resource['spec']['capacity'] {
    return { cpu: f.cpu, memoryMiB: f.memoryMiB, diskMiB: f.diskMiB };
  }

  async register(req: RegisterRequest): Promise<RegisterReply> {
    if (typeof req?.machineId !== 'string' || typeof req.facts?.hostname !== 'string') {
      throw new FleetyardError('FY_VALIDATION', 'malformed registration');
    }
    const now = this.store.clock.now();
    const hostId = await this.store.transaction(async (tx) => {
      const existing = (await tx.resources.all({ type: 'physical' })).find((r) => r.status.facts.machineId === req.machineId);
      const status: Resource['status'] = {
        state: 'active',
        powerState: 'on',
        applianceId: null,
        address: '127.0.0.1',
        lastHeartbeatAt: now.toISOString(),
        facts: { ...req.facts, machineId: req.machineId },
      };
      if (existing) {
        await tx.resources.update(
          {
            ...existing,
            spec: { ...existing.spec, capacity: this.capacity(req.facts), virtualizations: req.facts.virtualizations },
            status,
          },
          now,
          true,
        );
        await tx.emit({ type: 'host.registered', kind: 'resource', objectId: existing.id, message: `host ${existing.name} registered again`, data: {} });
        return existing.id;
      }
      const id = this.store.ids.next();
      const base = toHostname(req.facts.hostname);
      const name = (await tx.resources.getByName(base)) ? `${base}-${id.slice(-6)}` : base;
      await tx.resources.insert({
        ...freshMeta(id, name, now),
        spec: {
          type: 'physical',
          hostId: null,
          capacity: this.capacity(req.facts),
          virtualizations: req.facts.virtualizations,
          labels: {},
        },
        status,
      });
      await tx.emit({ type: 'host.registered', kind: 'resource', objectId: id, message: `host ${name} registered`, data: { virtualizations: req.facts.virtualizations } });
      return id;
    });
    this.onChange(hostId);
    return { hostId };
  }

  /**
   * A machine network-booted that nobody registered: it becomes an idle physical resource of the
   * host that saw it, with what is known of it. An admin adds its BMC (and real capacity) before
   * appliances can be placed on it. A MAC already known is left alone, so repeats are harmless.
   */
  async discovered(n: DiscoveredNotice): Promise<void> {
    const mac = typeof n?.mac === 'string' ? n.mac.toLowerCase() : '';
    if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(mac) || typeof n.hostId !== 'string') return;
    const now = this.store.clock.now();
    await this.store.transaction(async (tx) => {
      if ((await tx.resources.all({ type: 'physical' })).some((r) => r.spec.mac === mac)) return;
      const id = this.store.ids.next();
      const name = `discovered-${mac.replace(/:/g, '')}`;
      await tx.resources.insert({
        ...freshMeta(id, name, now),
        spec: { type: 'physical', hostId: n.hostId, capacity: { cpu: 0, memoryMiB: 0, diskMiB: 0 }, virtualizations: [], labels: {}, mac, bmc: null },
        status: { state: 'idle', powerState: 'on', applianceId: null, address: null, lastHeartbeatAt: null, facts: { discoveredAt: now.toISOString(), network: n.network, bootAddress: n.ip, dhcpHostname: n.hostname } },
      });
      await tx.emit({ type: 'resource.discovered', kind: 'resource', objectId: id, message: `unknown machine ${mac} network-booted on ${n.network}; registered as idle resource ${name}`, data: { mac, hostId: n.hostId } });
    });
  }

  async heartbeat(hb: Heartbeat): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const host = await this.store.read.resources.get(hb.hostId);
      if (!host) return;
      const now = this.store.clock.now();
      const wasActive = host.status.state === 'active';
      try {
        await this.store.transaction(async (tx) => {
          await tx.resources.update(
            { ...host, status: { ...host.status, state: 'active', powerState: 'on', lastHeartbeatAt: now.toISOString() } },
            now,
          );
          if (!wasActive) {
            await tx.emit({ type: 'host.active', kind: 'resource', objectId: host.id, message: `host ${host.name} is active again`, data: {} });
          }
        });
        if (!wasActive) this.onChange(host.id);
        return;
      } catch (e) {
        if (!(e instanceof FleetyardError && e.code === 'FY_VERSION_CONFLICT')) throw e;
      }
    }
  }
}
