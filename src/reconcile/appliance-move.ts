import type { AgentClient } from '../agent/agent-client.ts';
import type { EnsureCommand } from '../agent/protocol.ts';
import { type Appliance, type ApplianceStatus, reachableAddress } from '../domain/appliance.ts';
import { FleetyardError } from '../domain/errors.ts';
import type { ApplianceStatusEventType } from '../domain/event-types.ts';
import { TerminalError } from './controller.ts';
import type { Virtualization } from '../domain/meta.ts';
import type { Store } from '../store/store.ts';
import type { PlacementPlanner } from './placement-planner.ts';

type WriteStatus = (a: Appliance, patch: Partial<ApplianceStatus>, eventType?: ApplianceStatusEventType, message?: string) => Promise<Appliance>;
type CommandFor = (a: Appliance, desired: 'running' | 'stopped') => Promise<EnsureCommand>;

/**
 * Moves an appliance to another virtualization type as one observable operation: stop it where
 * it is, turn its data into the target's form (overlay directory ⇄ disk) on the host that keeps
 * it, place and start it there — same id, address and hostname. If the target does not come up,
 * the move is rolled back: the data is turned back and the appliance started where it was.
 *
 * Each step is idempotent and the phase is `moving` throughout, so a crash in the middle is
 * healed by running the move again (`spec.move.id` not yet in `status.lastMove`).
 */
export class ApplianceMover {
  constructor(
    private readonly store: Store,
    private readonly agents: AgentClient,
    private readonly planner: PlacementPlanner,
    private readonly writeStatus: WriteStatus,
    private readonly commandFor: CommandFor,
  ) {}

  async move(a: Appliance): Promise<void> {
    const m = a.spec.move;
    if (!m) return;
    const from = a.status.virtualization;
    if (from === null || from === m.to) {
      await this.writeStatus(a, { lastMove: { id: m.id, from, to: m.to, outcome: 'moved', reason: null } }, 'appliance.moved', `appliance ${a.name} is on ${m.to}`);
      return;
    }
    let cur = await this.writeStatus(a, { phase: 'moving', message: `moving from ${from} to ${m.to}` }, 'appliance.moving', `appliance ${a.name}: moving from ${from} to ${m.to}`);
    cur = await this.stopHere(cur);
    await this.convert(cur, from, m.to);
    if (cur.spec.desiredState === 'stopped') {
      // Converted and left stopped: the next start places it on the new type.
      await this.writeStatus(
        cur,
        { phase: 'stopped', message: null, virtualization: m.to, lastMove: { id: m.id, from, to: m.to, outcome: 'moved', reason: null } },
        'appliance.moved',
        `appliance ${a.name} moved from ${from} to ${m.to} (stopped)`,
      );
      return;
    }
    try {
      cur = await this.startOn(cur, m.to);
      await this.writeStatus(
        cur,
        { phase: 'running', message: null, observedGeneration: cur.generation, lastMove: { id: m.id, from, to: m.to, outcome: 'moved', reason: null } },
        'appliance.moved',
        `appliance ${a.name} moved from ${from} to ${m.to}, at ${reachableAddress(cur) ?? '?'}`,
      );
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      try {
        cur = await this.stopHere(await this.store.read.appliances.require(a.id));
        await this.convert(cur, m.to, from);
        cur = await this.startOn(cur, from);
      } catch (rollbackError) {
        // Said as it is, and the move is over: retrying it would start the target over data
        // that may already be back in the source's form. The appliance waits for an admin (a
        // new move, or a stop and start); whatever starts it converts its data to fit first.
        const why = rollbackError instanceof Error ? rollbackError.message : String(rollbackError);
        const message = `the move to ${m.to} failed (${reason}), and so did the rollback to ${from} (${why})`;
        await this.writeStatus(
          await this.store.read.appliances.require(a.id),
          { phase: 'failed', message, lastMove: { id: m.id, from, to: m.to, outcome: 'rollback-failed', reason: `${reason}; rollback: ${why}` } },
          'appliance.move-rollback-failed',
          `appliance ${a.name}: ${message}`,
        );
        throw new TerminalError(message);
      }
      await this.writeStatus(
        cur,
        {
          phase: 'running',
          observedGeneration: cur.generation,
          message: `the move to ${m.to} failed and was rolled back: ${reason}`,
          lastMove: { id: m.id, from, to: m.to, outcome: 'rolled-back', reason },
        },
        'appliance.move-rolled-back',
        `appliance ${a.name}: the move to ${m.to} failed (${reason}); it runs on ${from} again`,
      );
    }
  }

  /** Stops the runtime wherever it is and gives the slot back; the data stays on its host. */
  private async stopHere(a: Appliance): Promise<Appliance> {
    const hostId = a.status.hostId;
    if (!hostId) return a;
    const obs = await this.agents.ensure(hostId, await this.commandFor(a, 'stopped'));
    if (obs.state === 'running') throw new FleetyardError('FY_DRIVER_FAILED', 'the appliance did not stop');
    await this.planner.release(a, { phase: 'moving', startedAt: null, handle: { cloneHostId: hostId } });
    return this.store.read.appliances.require(a.id);
  }

  private async convert(a: Appliance, from: Virtualization, to: Virtualization): Promise<void> {
    const host = a.status.handle.cloneHostId;
    if (typeof host !== 'string') return; // never started anywhere: nothing to convert
    const image = await this.store.read.images.require(a.spec.imageId);
    await this.agents.convert(host, { applianceId: a.id, image: { id: image.id, format: image.spec.format }, from, to });
  }

  /** Places the appliance for `v` (whatever its requirements say) and starts it there. */
  private async startOn(a: Appliance, v: Virtualization): Promise<Appliance> {
    const forV: Appliance = { ...a, spec: { ...a.spec, requirements: { ...a.spec.requirements, virtualization: v } } };
    const placed = await this.planner.place(forV);
    if (!placed.ok) throw new FleetyardError('FY_NO_CAPACITY', placed.reason);
    const obs = await this.agents.ensure(placed.appliance.status.hostId as string, await this.commandFor(placed.appliance, 'running'));
    if (obs.state !== 'running') throw new FleetyardError('FY_DRIVER_FAILED', obs.message ?? `the ${v} driver reports ${obs.state}`);
    return this.writeStatus(placed.appliance, { startedAt: obs.startedAt, handle: { ...obs.handle, cloneHostId: placed.appliance.status.hostId } });
  }
}
