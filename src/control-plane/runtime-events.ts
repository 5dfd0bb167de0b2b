import { subjects, type RuntimeEventNotice } from '../agent/protocol.ts';
import type { Bus, Subscription } from '../bus/bus.ts';
import { REQUEST_LABEL } from '../domain/cloud-request.ts';
import type { Store } from '../store/store.ts';
import type { AgentMessages } from './agent-messages.ts';

/**
 * Runtime events (a guest powering off, a reset, a pause), reported by the agent of the host an
 * appliance runs on, become Fleetyard events of that appliance: `appliance.runtime.<event>`, in
 * the event log, the SSE stream and the bus like any other. Being appliance events, they also wake
 * the appliance reconciler, which compares with the desired state as always: a VM that powered
 * itself off while it should run is started again, one that stops because it was told to is not.
 *
 * Only an enrolled host is heard (the report is verified against its identity key), and a
 * report about an appliance that is not (or no longer) on the reporting host is dropped.
 */
export class RuntimeEventRecorder {
  private sub: Subscription | undefined;

  constructor(
    private readonly store: Store,
    private readonly bus: Bus,
    private readonly log: (msg: string, err?: unknown) => void,
    private readonly messages: AgentMessages,
  ) {}

  async start(): Promise<void> {
    this.sub = await this.bus.listen(subjects.runtimeEvent, async (raw) => {
      const m = await this.messages.open(subjects.runtimeEvent, raw);
      if (m.ok) await this.record({ ...(m.body as RuntimeEventNotice), hostId: m.hostId });
    });
  }

  async stop(): Promise<void> {
    await this.sub?.close();
  }

  async record(n: RuntimeEventNotice): Promise<void> {
    if (typeof n?.applianceId !== 'string' || typeof n.hostId !== 'string' || typeof n.event !== 'string' || !/^[A-Z_]{1,32}$/.test(n.event)) {
      this.log('dropped a malformed runtime event');
      return;
    }
    const data = n.data !== null && typeof n.data === 'object' ? n.data : {};
    await this.store.transaction(async (tx) => {
      const a = await tx.appliances.get(n.applianceId);
      if (!a || a.status.hostId !== n.hostId) return;
      const reason = typeof data.reason === 'string' ? ` (${data.reason})` : '';
      await tx.emit({
        type: `appliance.runtime.${n.event.toLowerCase().replaceAll('_', '-')}`,
        kind: 'appliance',
        objectId: a.id,
        message: `appliance ${a.name}: ${n.event}${reason}, reported by its ${n.virtualization} runtime`,
        data: { ...data, event: n.event, at: n.at, hostId: n.hostId, requestId: a.spec.labels[REQUEST_LABEL] ?? null },
      });
    });
  }
}
