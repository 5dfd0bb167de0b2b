import type { AgentClient } from '../agent/agent-client.ts';
import type { ConfigureReply } from '../agent/protocol.ts';
import { FleetyardError, type ErrorCode } from '../domain/errors.ts';
import { type Appliance, reachableAddress } from '../domain/appliance.ts';
import { REQUEST_LABEL } from '../domain/cloud-request.ts';
import type { AppliedConfig, ConfigGroup } from '../domain/config-group.ts';
import { configProgress, mergeApplied } from '../domain/config-progress.ts';
import type { ConfigSshKey } from '../identity/config-ssh-key.ts';
import type { SecretBox } from '../identity/secret-box.ts';
import type { Store } from '../store/store.ts';
import { retryOnVersionConflict } from '../store/version-retry.ts';
import { sealForHost } from './host-secrets.ts';

/** What the agent answers when it cannot run a playbook against the appliance at all. */
const CANNOT_RUN = new Set<ErrorCode>(['FY_DRIVER_FAILED', 'FY_DRIVER_UNAVAILABLE']);

/**
 * Applies a running appliance's configuration groups (their Ansible part) through the agent of
 * its host, which alone reaches the appliance's bridge, and records what each run did in
 * `status.config` with an `appliance.config-applied` or `appliance.config-failed` event.
 *
 * A group is run when the appliance has not got its current revision yet (never, or an older
 * one): a change of the group (its revision goes up) is what applies it again. A group whose
 * current revision failed is not run again by itself, and the groups after it wait with it.
 */
export class ApplianceConfigurer {
  constructor(
    private readonly store: Store,
    private readonly agents: AgentClient,
    private readonly box: SecretBox,
    private readonly key: ConfigSshKey | null,
  ) {}

  /** The groups the appliance names, as they are now. */
  async groupsOf(a: Appliance): Promise<ConfigGroup[]> {
    const out: ConfigGroup[] = [];
    for (const name of a.spec.configGroups ?? []) {
      const g = await this.store.read.configGroups.getByName(name);
      if (g) out.push(g);
    }
    return out;
  }

  /**
   * The agent's runs. When the host cannot run them at all (its driver has no console to learn
   * the host key from, the appliance's SSH server never took the key), that is the first group's
   * failure, recorded like a failed play; an agent that does not answer is retried as usual.
   */
  private async configure(a: Appliance, hostId: string, todo: ConfigGroup[]): Promise<ConfigureReply> {
    if (!this.key) throw new Error('this control plane has no configuration-management key');
    try {
      return await this.agents.configure(hostId, {
        applianceId: a.id,
        virtualization: a.status.virtualization ?? 'container',
        name: a.name,
        address: reachableAddress(a) ?? '',
        privateKeySealed: await sealForHost(this.store, this.box, hostId, this.key.privateKeySealed),
        groups: todo.map((g) => ({ name: g.name, revision: g.spec.revision, playbook: g.spec.ansible?.playbook ?? '' })),
      });
    } catch (e) {
      if (!(e instanceof FleetyardError && CANNOT_RUN.has(e.code))) throw e;
      const first = todo[0] as ConfigGroup;
      return { results: [{ group: first.name, revision: first.spec.revision, state: 'failed', ok: 0, changed: 0, failed: 1, message: e.message, output: '' }] };
    }
  }

  /** Runs what is due on a running appliance; nothing when every group has its current revision. */
  async apply(a: Appliance): Promise<void> {
    if (!a.spec.configGroups?.length) return;
    const { todo } = configProgress(a, await this.groupsOf(a));
    if (todo.length === 0) return;
    const hostId = a.status.hostId;
    if (!hostId || !reachableAddress(a) || !a.status.virtualization) return;
    const reply = await this.configure(a, hostId, todo);
    const at = this.store.clock.now().toISOString();
    const results: AppliedConfig[] = reply.results.map((r) => ({ group: r.group, revision: r.revision, state: r.state, ok: r.ok, changed: r.changed, failed: r.failed, message: r.message, at }));
    await retryOnVersionConflict(() =>
      this.store.transaction(async (tx) => {
        const fresh = await tx.appliances.require(a.id);
        await tx.appliances.update({ ...fresh, status: { ...fresh.status, config: mergeApplied(fresh, results) } }, this.store.clock.now());
        for (const r of reply.results) {
          const ok = r.state === 'applied';
          await tx.emit({
            type: ok ? 'appliance.config-applied' : 'appliance.config-failed',
            kind: 'appliance',
            objectId: a.id,
            ownerId: a.spec.ownerId,
            message: ok
              ? `configuration group ${r.group} (revision ${r.revision}) applied to ${a.name}: ${r.message}`
              : `configuration group ${r.group} (revision ${r.revision}) failed on ${a.name}: ${r.message}`,
            data: { group: r.group, revision: r.revision, ok: r.ok, changed: r.changed, failed: r.failed, message: r.message, output: r.output, requestId: a.spec.labels[REQUEST_LABEL] ?? null },
          });
        }
      }),
    );
  }
}
