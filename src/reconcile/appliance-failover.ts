import type { Appliance, ApplianceStatus } from '../domain/appliance.ts';
import type { ApplianceStatusEventType } from '../domain/event-types.ts';
import type { Store } from '../store/store.ts';
import type { ReconcileResult } from './controller.ts';
import type { Resource } from '../domain/resource.ts';
import { failoverOrder } from '../ha/failover-plan.ts';
import type { PlacementPlanner } from './placement-planner.ts';

const WAIT_RECHECK_MS = 2_000;

type WriteStatus = (a: Appliance, patch: Partial<ApplianceStatus>, type?: ApplianceStatusEventType, message?: string) => Promise<Appliance>;

/**
 * What the appliance reconciler does with an appliance whose host lost its lease
 * (src/ha/failure-detector.ts), before anything else:
 *
 * - the host was fenced since the appliance was placed there (its epoch moved past
 *   `status.hostEpoch`): the appliance no longer runs there. An HA appliance that should run is
 *   released from the host (slot freed; id, name, address and data kept, the data on the storage
 *   every host reaches) and placed again like a new one; any other is `lost`, with the reason,
 *   until its spec changes (a start places it afresh) or it is deleted;
 * - the host's lease ran out but it is not (yet) confirmed fenced: nothing is sent to it and
 *   nothing is started anywhere; the status says what it waits for;
 * - otherwise: nothing to do here.
 */
export class ApplianceFailover {
  /** One evacuation at a time per fenced host, whichever of its appliances asked first. */
  private readonly evacuations = new Map<string, Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly planner: PlacementPlanner,
    private readonly writeStatus: WriteStatus,
  ) {}

  /** Handles the appliance if its host's lease concerns it; undefined when it does not. */
  async handle(a: Appliance): Promise<{ result: ReconcileResult | void } | undefined> {
    const hostId = a.status.hostId;
    if (!hostId) return undefined;
    const host = await this.store.read.resources.get(hostId);
    const lease = host?.status.lease;
    if (!host || !lease) return undefined;
    if (lease.epoch > (a.status.hostEpoch ?? 0)) {
      await this.evacuate(host);
      return { result: undefined };
    }
    if (lease.state === 'live') return undefined;
    const message = `waiting for host ${host.name} (${lease.state}): ${lease.waitingFor ?? 'its lease ran out'}`;
    if (a.status.message !== message) {
      const first = !a.status.message?.startsWith(`waiting for host ${host.name}`);
      await this.writeStatus(a, { message }, first ? 'appliance.waiting-for-host' : undefined, `appliance ${a.name}: ${message}`);
    }
    return { result: { requeueAfterMs: WAIT_RECHECK_MS } };
  }

  /**
   * Every appliance still on the fenced host leaves it, and the HA ones are placed again one by
   * one in the N+1 plan's order (failoverOrder), each placement counted before the next: this is
   * what makes `fleetyard ha plan --fail HOST` come true. Their starts follow as usual.
   */
  private evacuate(host: Resource): Promise<void> {
    const running = this.evacuations.get(host.id);
    if (running) return running;
    const work = (async () => {
      const onHost = (await this.store.read.appliances.all()).filter((x) => x.status.hostId === host.id).sort(failoverOrder);
      for (const stale of onHost) {
        const a = await this.store.read.appliances.get(stale.id);
        const lease = host.status.lease;
        if (!a || a.status.hostId !== host.id || !lease || lease.epoch <= (a.status.hostEpoch ?? 0)) continue;
        const released = await this.release(a, host);
        if (released?.status.phase === 'pending') await this.planner.place(released);
      }
    })().finally(() => this.evacuations.delete(host.id));
    this.evacuations.set(host.id, work);
    return work;
  }

  /** Off the fenced host: an HA appliance that should run waits to be placed again, any other is lost. */
  private async release(a: Appliance, host: Resource): Promise<Appliance | undefined> {
    const how = host.status.lease?.fencedBy === 'admin' ? 'confirmed fenced by an admin' : 'fenced through its BMC';
    if (a.spec.ha && a.spec.desiredState === 'running' && !a.deletionRequestedAt) {
      const message = `host ${host.name} failed and was ${how}: restarting elsewhere with the same address and data`;
      await this.planner.releaseFromLostHost(a, { phase: 'pending', startedAt: null, handle: {}, message, retry: null }, { type: 'appliance.failover', message: `appliance ${a.name}: ${message}` });
    } else {
      const lost = a.spec.desiredState === 'running' && !a.deletionRequestedAt;
      const message = lost ? `lost: host ${host.name} failed and was ${how}; the appliance is not HA, so it is not restarted (start it again to place it anew)` : `host ${host.name} failed and was ${how}`;
      await this.planner.releaseFromLostHost(
        a,
        { phase: lost ? 'lost' : 'stopped', startedAt: null, handle: {}, message, observedGeneration: a.generation, retry: null },
        { type: 'appliance.lost', message: `appliance ${a.name}: ${message}` },
      );
    }
    return this.store.read.appliances.get(a.id);
  }
}
