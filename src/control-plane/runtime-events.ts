import { subjects, type RuntimeEventNotice } from '../agent/protocol.ts';
import type { Bus, Subscription } from '../bus/bus.ts';
import { REQUEST_LABEL } from '../domain/cloud-request.ts';
import type { EventType } from '../domain/event-types.ts';
import type { Store } from '../store/store.ts';
import type { AgentMessages } from './agent-messages.ts';

/** The runtime events Fleetyard records, by the runtime's own name (QEMU's, see qemu-events.ts). */
const RECORDED = {
  SHUTDOWN: 'appliance.runtime.shutdown',
  POWERDOWN: 'appliance.runtime.powerdown',
  RESET: 'appliance.runtime.reset',
  STOP: 'appliance.runtime.stop',
} as const satisfies Record<string, EventType>;
type RecordedEvent = keyof typeof RECORDED;
const isRecorded = (event: string): event is RecordedEvent => Object.hasOwn(RECORDED, event);

/**
 * Runtime events (a guest powering off, a reset, a pause), reported by the agent of the host an
 * appliance runs on, become Fleetyard events of that appliance: `appliance.runtime.<event>`, in
 * the event log, the SSE stream and the bus like any other. Being appliance events, they also wake
 * the appliance reconciler, which compares with the desired state as always: a VM that powered
 * itself off while it should run is started again, one that stops because it was told to is not.
 *
 * Only an enrolled host is heard (the report is verified against its identity key), and a
 * report about an appliance that is not (or no longer) on the reporting host is dropped, as is an
 * event Fleetyard has no type for. Of what the runtime says about it, only `guest` and `reason`
 * are kept, and only when they are what they claim to be: the report comes from outside.
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
    if (typeof n?.applianceId !== 'string' || typeof n.hostId !== 'string' || typeof n.event !== 'string' || typeof n.at !== 'string' || n.at.length > 64) {
      this.log('dropped a malformed runtime event');
      return;
    }
    const event = n.event;
    if (!isRecorded(event)) {
      this.log(`dropped runtime event ${event.slice(0, 32)}: Fleetyard has no event type for it`);
      return;
    }
    const data: Record<string, unknown> = n.data !== null && typeof n.data === 'object' ? n.data : {};
    const said = {
      ...(typeof data.guest === 'boolean' ? { guest: data.guest } : {}),
      ...(typeof data.reason === 'string' ? { reason: data.reason.slice(0, 200) } : {}),
    };
    await this.store.transaction(async (tx) => {
      const a = await tx.appliances.get(n.applianceId);
      if (!a || a.status.hostId !== n.hostId) return;
      const reason = said.reason !== undefined ? ` (${said.reason})` : '';
      await tx.emit({
        type: RECORDED[event],
        kind: 'appliance',
        objectId: a.id,
        ownerId: a.spec.ownerId,
        message: `appliance ${a.name}: ${event}${reason}, reported by its ${n.virtualization} runtime`,
        data: { ...said, event, at: n.at, hostId: n.hostId, requestId: a.spec.labels[REQUEST_LABEL] ?? null },
      });
    });
  }
}
