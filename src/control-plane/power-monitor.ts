import type { AgentClient } from '../agent/agent-client.ts';
import type { Resource } from '../domain/resource.ts';
import { isFleetyardError } from '../domain/errors.ts';
import type { SecretBox } from '../identity/secret-box.ts';
import { sealForHost } from '../reconcile/host-secrets.ts';
import type { Store } from '../store/store.ts';

type PowerState = Resource['status']['powerState'];

/**
 * Keeps the power state of every physical server with a BMC as its BMC reports it, read through
 * the agent of the host whose network reaches the BMC (the resource's `hostId`). It reads every
 * `intervalMs`, and soon after `kick()` (the control plane kicks it when an appliance or a
 * resource changes, so a boot or a power-off shows within moments). A BMC that does not answer
 * makes the state `unknown`; only a change is written, with a `resource.power` event.
 *
 * Hosts (machines with an agent) are not polled: their agent's heartbeat says they are on.
 */
export class PowerMonitor {
  private timer: NodeJS.Timeout | undefined;
  private kickTimer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly agents: AgentClient,
    private readonly box: SecretBox,
    private readonly opts: { intervalMs: number; kickDelayMs?: number; log: (msg: string, err?: unknown) => void },
  ) {}

  start(): void {
    this.timer = setInterval(() => this.kick(0), this.opts.intervalMs);
    this.timer.unref();
    this.kick(0);
  }

  /** Reads all BMCs again shortly; calls in quick succession make one pass. */
  kick(delayMs = this.opts.kickDelayMs ?? 250): void {
    if (this.stopped || this.kickTimer) return;
    this.kickTimer = setTimeout(() => {
      this.kickTimer = undefined;
      this.refreshAll().catch((e: unknown) => this.opts.log('reading power states failed (the next pass tries again)', e));
    }, delayMs);
    this.kickTimer.unref();
  }

  /** One pass over every physical server with a BMC; a pass asked for during a pass follows it. */
  refreshAll(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        const servers = (await this.store.read.resources.all({ type: 'physical' })).filter((r) => r.spec.bmc && r.spec.mac && r.spec.hostId);
        for (const r of servers) {
          if (this.stopped) return;
          await this.refresh(r).catch((e: unknown) => this.opts.log(`power state of ${r.name}`, e));
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async refresh(server: Resource): Promise<void> {
    const { bmc, mac, hostId } = server.spec;
    if (!bmc || !mac || !hostId) return;
    let power: PowerState;
    try {
      const passwordSealed = await sealForHost(this.store, this.box, hostId, bmc.passwordSealed);
      power = (await this.agents.power(hostId, { machine: { resourceId: server.id, mac, bmc: { ...bmc, passwordSealed } }, action: 'status' })).power;
    } catch (e) {
      power = 'unknown';
      this.opts.log(`the BMC of ${server.name} did not answer: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (power === server.status.powerState) return;
    await this.store
      .transaction(async (tx) => {
        const fresh = await tx.resources.get(server.id);
        if (!fresh || fresh.status.powerState === power) return;
        await tx.resources.update({ ...fresh, status: { ...fresh.status, powerState: power } }, this.store.clock.now());
        await tx.emit({
          type: 'resource.power',
          kind: 'resource',
          objectId: fresh.id,
          message: `server ${fresh.name} is powered ${power === 'unknown' ? '(unknown: its BMC did not answer)' : power}`,
          data: { powerState: power, previous: fresh.status.powerState },
        });
      })
      .catch((e: unknown) => {
        // Somebody else wrote the resource meanwhile: the next pass reads it again.
        if (!(isFleetyardError(e) && e.code === 'FY_VERSION_CONFLICT')) throw e;
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.kickTimer);
    await this.running?.catch(() => undefined);
  }
}
