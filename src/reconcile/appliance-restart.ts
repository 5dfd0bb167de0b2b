import type { AgentClient } from '../agent/agent-client.ts';
import type { EnsureCommand } from '../agent/protocol.ts';
import type { Appliance, ApplianceStatus } from '../domain/appliance.ts';
import { FleetyardError } from '../domain/errors.ts';
import type { ApplianceStatusEventType } from '../domain/event-types.ts';
import type { Store } from '../store/store.ts';
import type { PlacementPlanner } from './placement-planner.ts';

type WriteStatus = (a: Appliance, patch: Partial<ApplianceStatus>, eventType?: ApplianceStatusEventType, message?: string) => Promise<Appliance>;
type CommandFor = (a: Appliance, desired: 'running' | 'stopped') => Promise<EnsureCommand>;
type Outcome = NonNullable<ApplianceStatus['lastRestart']>['outcome'];

/**
 * Carries out `spec.restart`, which the restart policy of HA appliances asks for when a health
 * check turns hard CRITICAL (control-plane/check-results.ts): in place, the appliance is stopped
 * and started again on its host; elsewhere, it is stopped, its slot given back, and it is placed
 * avoiding that host (on the same one if no other can take it: outcome `stayed`). The outcome
 * goes to `status.lastRestart`, which makes each restart happen once, and `status.restarts`,
 * which the policy's limits count. A crash midway runs it again: every step is idempotent.
 */
export class ApplianceRestarter {
  constructor(
    private readonly store: Store,
    private readonly agents: AgentClient,
    private readonly planner: PlacementPlanner,
    private readonly writeStatus: WriteStatus,
    private readonly commandFor: CommandFor,
  ) {}

  /** Whether a restart is asked for and not yet carried out. */
  static pending(a: Appliance): boolean {
    return !!a.spec.restart && a.status.lastRestart?.id !== a.spec.restart.id;
  }

  /** Carries the restart out; false when there was nothing to restart (it is not running now). */
  async restart(a: Appliance): Promise<boolean> {
    const r = a.spec.restart;
    if (!r) return false;
    const from = a.status.hostId;
    if (!from || a.spec.desiredState !== 'running' || !['running', 'starting'].includes(a.status.phase)) {
      await this.writeStatus(a, { lastRestart: this.outcome(r, 'stayed', null, null, 'it was not running when the restart came due') });
      return false;
    }
    let cur = await this.writeStatus(a, { phase: 'starting', message: `restarting ${r.elsewhere ? 'elsewhere' : 'in place'}: ${r.reason}` }, 'appliance.restarting', `appliance ${a.name}: restarting ${r.elsewhere ? 'on another host' : 'in place'} (${r.reason})`);
    const stopped = await this.agents.ensure(from, await this.commandFor(cur, 'stopped'));
    if (stopped.state === 'running') throw new FleetyardError('FY_DRIVER_FAILED', 'the appliance did not stop for its restart');
    let outcome: Outcome = 'restarted';
    let why = r.reason;
    if (r.elsewhere) {
      await this.planner.release(cur, { phase: 'starting', startedAt: null, handle: { cloneHostId: from } });
      cur = await this.store.read.appliances.require(a.id);
      let placed = await this.planner.place(cur, { avoidHostIds: [from] });
      outcome = 'relocated';
      if (!placed.ok) {
        why = `${r.reason}; no other host could take it (${placed.reason}), so it restarted where it was`;
        outcome = 'stayed';
        placed = await this.planner.place(cur);
        if (!placed.ok) throw new FleetyardError('FY_NO_CAPACITY', placed.reason);
      }
      cur = placed.appliance;
    }
    const hostId = cur.status.hostId as string;
    const obs = await this.agents.ensure(hostId, await this.commandFor(cur, 'running'));
    if (obs.state !== 'running') throw new FleetyardError('FY_DRIVER_FAILED', obs.message ?? `the driver reports ${obs.state}`);
    const now = this.store.clock.now().toISOString();
    const where = outcome === 'relocated' ? `on another host (${hostId})` : 'on the same host';
    await this.writeStatus(
      cur,
      {
        phase: 'running',
        message: null,
        startedAt: obs.startedAt,
        handle: { ...obs.handle, cloneHostId: hostId },
        observedGeneration: cur.generation,
        retry: null,
        lastRestart: this.outcome(r, outcome, from, hostId, why),
        restarts: [...(cur.status.restarts ?? []), { at: now, elsewhere: r.elsewhere }].slice(-10),
      },
      'appliance.restarted',
      `appliance ${a.name} restarted ${where}: ${why}`,
    );
    return true;
  }

  private outcome(r: NonNullable<Appliance['spec']['restart']>, outcome: Outcome, fromHostId: string | null, hostId: string | null, reason: string): NonNullable<ApplianceStatus['lastRestart']> {
    return { id: r.id, elsewhere: r.elsewhere, outcome, fromHostId, hostId, reason, at: this.store.clock.now().toISOString() };
  }
}
