import type { AgentClient } from '../agent/agent-client.ts';
import { fabricPlan } from '../reconcile/fabric-plan.ts';
import type { Store } from '../store/store.ts';

export interface NetworkFabricOptions {
  /** How long a burst of changes is gathered into one pass (default 300 ms). */
  debounceMs?: number;
  /** A pass also runs this often: a lease running out changes the peers without an event. */
  intervalMs?: number;
  log: (msg: string, err?: unknown) => void;
}

/**
 * Keeps every host's VXLAN fabric current: after appliances or hosts change (`kick()`), each live
 * host with an underlay address is sent the spanning networks it carries with their current peers
 * (reconcile/fabric-plan.ts), so the hosts already on a network flood to a host that joins it,
 * and a host whose last appliance of a network went removes that network's uplink. Level-based:
 * every pass sends the whole desired state, and the agent's answer to the same state is a no-op.
 *
 * The debounce and the interval are real timers: they pace work, they decide nothing.
 */
export class NetworkFabric {
  private kickTimer: NodeJS.Timeout | undefined;
  private interval: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly agents: AgentClient,
    private readonly opts: NetworkFabricOptions,
  ) {}

  start(): void {
    this.interval = setInterval(() => this.kick(0), this.opts.intervalMs ?? 30_000);
    this.interval.unref();
    this.kick(0);
  }

  kick(delayMs = this.opts.debounceMs ?? 300): void {
    if (this.stopped || this.kickTimer) return;
    this.kickTimer = setTimeout(() => {
      this.kickTimer = undefined;
      this.refresh().catch((e: unknown) => this.opts.log('the network fabric pass failed (the next one tries again)', e));
    }, delayMs);
    this.kickTimer.unref();
  }

  /** One pass; one asked for meanwhile follows it. */
  async refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.pass();
      } while (this.again && !this.stopped);
    })().finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<void> {
    const read = this.store.read;
    const networks = (await read.networks.all()).filter((n) => n.spec.vxlan);
    if (networks.length === 0) return;
    const [hosts, appliances] = await Promise.all([read.resources.all({ type: 'physical' }), read.appliances.all()]);
    const plan = fabricPlan(networks, hosts, appliances, this.store.clock.now());
    await Promise.all(
      [...plan].map(async ([hostId, nets]) => {
        try {
          await this.agents.fabric(hostId, { networks: nets });
        } catch (e) {
          this.opts.log(`host ${hostId}'s network fabric could not be brought up to date`, e);
        }
      }),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.kickTimer);
    clearInterval(this.interval);
    await this.running?.catch(() => undefined);
  }
}
