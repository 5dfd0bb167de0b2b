import { subjects, type CheckResultNotice } from '../agent/protocol.ts';
import type { Bus, Subscription } from '../bus/bus.ts';
import type { Appliance } from '../domain/appliance.ts';
import { REQUEST_LABEL } from '../domain/cloud-request.ts';
import { checkResultSchema, type CheckResult } from '../domain/health-check.ts';
import { decideRestart, DEFAULT_RESTART_LIMITS, type RestartLimits } from '../domain/restart-policy.ts';
import type { Repos, Store } from '../store/store.ts';
import { retryOnVersionConflict } from '../store/version-retry.ts';
import type { AgentMessages } from './agent-messages.ts';

/**
 * Health check results, reported by the agent of the host an appliance runs on (signed, verified
 * like every agent message), become the appliance's check rows (`appliance_checks`, the latest
 * result of each check) and, when a check's state or state type changes, an
 * `appliance.check.changed` event owned by the appliance's owner.
 *
 * The restart policy of HA appliances lives here too: a check of an HA appliance that turns hard
 * CRITICAL asks for a restart (`spec.restart`, in place first, elsewhere the next time within the
 * window), which the appliance reconciler carries out once; past the limits an
 * `appliance.restart-limited` event says it stays. A report about an appliance that is not on the
 * reporting host, or about a check it does not have, is dropped.
 */
export class CheckResultRecorder {
  private sub: Subscription | undefined;

  constructor(
    private readonly store: Store,
    private readonly bus: Bus,
    private readonly log: (msg: string, err?: unknown) => void,
    private readonly messages: AgentMessages,
    private readonly limits: RestartLimits = DEFAULT_RESTART_LIMITS,
  ) {}

  async start(): Promise<void> {
    this.sub = await this.bus.listen(subjects.checkResult, async (raw) => {
      const m = await this.messages.open(subjects.checkResult, raw);
      if (m.ok) await this.record({ ...(m.body as CheckResultNotice), hostId: m.hostId });
    });
  }

  async stop(): Promise<void> {
    await this.sub?.close();
  }

  async record(n: CheckResultNotice): Promise<void> {
    const parsed = checkResultSchema.safeParse(n?.result);
    if (typeof n?.applianceId !== 'string' || typeof n.hostId !== 'string' || !parsed.success) {
      this.log('dropped a malformed check result');
      return;
    }
    const r = parsed.data;
    await retryOnVersionConflict(() =>
      this.store.transaction(async (tx) => {
        const a = await tx.appliances.get(n.applianceId);
        if (!a || a.status.hostId !== n.hostId || !(a.spec.checks ?? []).some((c) => c.name === r.check)) return;
        const prev = await tx.checks.get(a.id, r.check);
        const changed = !prev || prev.state !== r.state || prev.type !== r.type;
        const now = this.store.clock.now().toISOString();
        await tx.checks.put(a.id, n.hostId, r, changed || !prev ? now : prev.changedAt);
        if (!changed) return;
        const requestId = a.spec.labels[REQUEST_LABEL] ?? null;
        await tx.emit({
          type: 'appliance.check.changed',
          kind: 'appliance',
          objectId: a.id,
          ownerId: a.spec.ownerId,
          message: `appliance ${a.name}: check ${r.check} is ${r.state} (${r.type}, attempt ${r.attempt}/${r.maxCheckAttempts}): ${r.output.split('\n')[0]}`,
          data: { check: r.check, state: r.state, type: r.type, attempt: r.attempt, output: r.output, hostId: n.hostId, requestId },
        });
        if (r.state === 'CRITICAL' && r.type === 'HARD') await this.applyRestartPolicy(tx, a, r);
      }),
    );
  }

  private async applyRestartPolicy(tx: Repos, a: Appliance, r: CheckResult): Promise<void> {
    if (!a.spec.ha || a.spec.desiredState !== 'running' || a.deletionRequestedAt) return;
    // One restart at a time: one asked for and not yet carried out covers this one too.
    if (a.spec.restart && a.status.lastRestart?.id !== a.spec.restart.id) return;
    const now = this.store.clock.now();
    const requestId = a.spec.labels[REQUEST_LABEL] ?? null;
    const decision = decideRestart(a.status.restarts ?? [], now, this.limits);
    if (decision.action === 'none') {
      await tx.emit({
        type: 'appliance.restart-limited',
        kind: 'appliance',
        objectId: a.id,
        ownerId: a.spec.ownerId,
        message: `appliance ${a.name}: check ${r.check} is hard CRITICAL, but it is not restarted: ${decision.reason}`,
        data: { check: r.check, reason: decision.reason, requestId },
      });
      return;
    }
    const elsewhere = decision.action === 'elsewhere';
    const reason = `check ${r.check} is hard CRITICAL: ${r.output.split('\n')[0] ?? ''}`.slice(0, 300);
    const restart = { id: this.store.ids.next(), elsewhere, reason, requestedAt: now.toISOString() };
    await tx.appliances.update({ ...a, spec: { ...a.spec, restart } }, now, true);
    await tx.emit({
      type: 'appliance.restart-requested',
      kind: 'appliance',
      objectId: a.id,
      ownerId: a.spec.ownerId,
      message: `appliance ${a.name}: ${reason}; restarting it ${elsewhere ? 'on another host' : 'in place'}`,
      data: { restartId: restart.id, elsewhere, check: r.check, reason, requestId },
    });
  }
}
