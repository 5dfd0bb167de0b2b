import type { AgentClient } from '../agent/agent-client.ts';
import type { HostFacts } from '../domain/host.ts';
import { isHost } from '../domain/host.ts';
import type { HostLease } from '../domain/host-lease.ts';
import { hostIsAsleep } from '../domain/host-power.ts';
import type { Resource } from '../domain/resource.ts';
import type { BmcAccess } from '../drivers/physical/ipmi.ts';
import type { SecretBox } from '../identity/secret-box.ts';
import type { Store } from '../store/store.ts';
import type { Fencer } from './fencer.ts';
import { leaseExpiry, leaseOf, transitionLease } from './host-lease-writes.ts';

type Signals = HostLease['signals'];

export interface FailureDetectorOptions {
  leaseMs: number;
  /** How often leases are looked at (default 500 ms). */
  intervalMs?: number;
  /** How often an unresponsive host's signals are asked again (default 2 s). */
  recheckMs?: number;
  /** How often a host that could not be fenced is tried again (default 10 s). */
  refenceMs?: number;
  /** How many other hosts are asked whether they reach a silent one (default 2). */
  peers?: number;
  log: (msg: string, err?: unknown) => void;
  /** A host's lease changed state: its appliances are reconciled. */
  onChange: (hostId: string) => void;
}

/**
 * Declares hosts failed and fences them, never on one signal alone.
 *
 * A host's lease runs out `leaseMs` after its last acknowledged heartbeat (`expired`). Then a
 * second signal is asked for: its BMC's power state (off, or a BMC that does not answer, agree
 * it is gone), and whether other hosts' agents can connect to its probe address (all of them
 * failing agrees). Without agreement the host is `unresponsive`: nothing is fenced or restarted,
 * and a heartbeat makes it `live` again. With agreement it is `fencing`: powered off through its
 * BMC and the power read back; only a confirmed `off` makes it `fenced` (epoch + 1), and only
 * then do its appliances leave it (src/reconcile/appliance-failover.ts). A fence that cannot be
 * confirmed leaves it `fence-failed`, tried again every `refenceMs`, with `waitingFor` saying so,
 * until it works or an admin confirms by hand (fence-confirm.ts).
 *
 * Every step is one versioned write of the host's lease with its event (host-lease-writes.ts), so
 * a heartbeat that arrives meanwhile wins or loses cleanly: a host that merely reconnects late is
 * never fenced.
 */
export class HostFailureDetector {
  private timer: NodeJS.Timeout | undefined;
  /** The examinations under way, by host: one per host at a time; stop() waits for them. */
  private readonly busy = new Map<string, Promise<void>>();
  private readonly lastLook = new Map<string, number>();
  private stopped = false;
  private pass: Promise<void> | null = null;

  constructor(
    private readonly store: Store,
    private readonly agents: AgentClient,
    private readonly box: SecretBox,
    private readonly fencer: Fencer | null,
    private readonly opts: FailureDetectorOptions,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.pass) return;
      this.pass = this.tick()
        .catch((e: unknown) => this.opts.log('looking at host leases failed (the next pass tries again)', e))
        .finally(() => (this.pass = null));
    }, this.opts.intervalMs ?? 500);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.pass;
    await Promise.all(this.busy.values());
  }

  /** One look at every host's lease; a host being examined is left to that examination. */
  async tick(): Promise<void> {
    const now = this.store.clock.now().getTime();
    const hosts = (await this.store.read.resources.all({ type: 'physical' })).filter(isHost);
    for (const host of hosts) {
      if (this.stopped || this.busy.has(host.id) || !this.due(host, now)) continue;
      this.lastLook.set(host.id, now);
      // Handled here, never rejected: a failure is logged and the next pass looks again.
      const examination = this.examine(host.id)
        .catch((e: unknown) => this.opts.log(`examining host ${host.name} failed`, e))
        .finally(() => this.busy.delete(host.id));
      this.busy.set(host.id, examination);
    }
  }

  private due(host: Resource, now: number): boolean {
    // Asleep by the power manager's plan: its silence is expected, not a failure.
    if (hostIsAsleep(host)) return false;
    const lease = leaseOf(host, this.opts.leaseMs);
    const since = now - (this.lastLook.get(host.id) ?? 0);
    switch (lease.state) {
      case 'live': {
        const expiry = leaseExpiry(host, this.opts.leaseMs);
        return expiry !== null && now >= expiry;
      }
      case 'expired':
      case 'unresponsive':
        return since >= (this.opts.recheckMs ?? 2_000);
      case 'fence-failed':
        return since >= (this.opts.refenceMs ?? 10_000);
      case 'fencing':
        // A control plane that stopped while fencing leaves this state: another one takes over.
        return now - Date.parse(lease.since) >= 60_000 && since >= (this.opts.refenceMs ?? 10_000);
      case 'fenced':
        return false;
    }
  }

  private async examine(hostId: string): Promise<void> {
    const ms = this.opts.leaseMs;
    let host: Resource | null = (await this.store.read.resources.get(hostId)) ?? null;
    if (!host) return;
    let lease = leaseOf(host, ms);
    if (lease.state === 'live') {
      const expiresAt = new Date(leaseExpiry(host, ms) ?? 0).toISOString();
      host = await transitionLease(this.store, hostId, ms, {
        from: ['live'],
        patch: () => ({ state: 'expired', expiresAt, waitingFor: `asking for a second signal: the lease ran out at ${expiresAt}` }),
        event: (h) => ({ type: 'host.lease-expired', message: `host ${h.name}: its lease ran out at ${expiresAt}; asking its BMC and other hosts`, data: { expiresAt } }),
      });
      if (!host) return;
      this.opts.onChange(hostId);
      lease = leaseOf(host, ms);
    }
    if (lease.state === 'expired' || lease.state === 'unresponsive') {
      const signals = await this.signals(host);
      const verdict = judge(signals);
      if (!verdict.failed) {
        const wasUnresponsive = lease.state === 'unresponsive';
        await transitionLease(this.store, hostId, ms, {
          from: ['expired', 'unresponsive'],
          patch: () => ({ state: 'unresponsive', signals, waitingFor: `not failed: ${verdict.why}; waiting for its heartbeats, or for a signal that it is gone` }),
          event: wasUnresponsive ? undefined : (h) => ({
            type: 'host.unresponsive',
            message: `host ${h.name} sends no heartbeats, but ${verdict.why}: it is not declared failed, nothing is restarted`,
            data: { bmc: signals.bmc ?? 'none', peersReachable: signals.peers.filter((p) => p.reachable).length, peersAsked: signals.peers.length },
          }),
        });
        if (!wasUnresponsive) this.opts.onChange(hostId);
        return;
      }
      host = await transitionLease(this.store, hostId, ms, {
        from: ['expired', 'unresponsive'],
        patch: () => ({ state: 'fencing', signals, waitingFor: `being fenced: ${verdict.why}` }),
        event: (h) => ({
          type: 'host.failed',
          message: `host ${h.name} failed: its lease ran out and ${verdict.why}; fencing it`,
          data: { bmc: signals.bmc ?? 'none', peersReachable: signals.peers.filter((p) => p.reachable).length, peersAsked: signals.peers.length },
        }),
      });
      if (!host) return;
      this.opts.onChange(hostId);
    } else if (lease.state === 'fence-failed' || lease.state === 'fencing') {
      host = await transitionLease(this.store, hostId, ms, { from: [lease.state], patch: () => ({ state: 'fencing' }) });
      if (!host) return;
    } else {
      return;
    }
    await this.fence(host);
  }

  /** Powers the host off through its BMC and reads the power back; only `off` counts. */
  private async fence(host: Resource): Promise<void> {
    const ms = this.opts.leaseMs;
    const bmc = this.bmcOf(host);
    const failed = async (reason: string) => {
      await transitionLease(this.store, host.id, ms, {
        from: ['fencing'],
        patch: () => ({
          state: 'fence-failed',
          waitingFor: `fencing of host ${host.name}: ${reason}. Its HA appliances wait; once it is off for sure, confirm with \`fleetyard host fence-confirm ${host.name}\``,
        }),
        // Tried again and again: an event when the reason is new, not at every attempt.
        event: (h, l) =>
          h.status.lease?.waitingFor === l.waitingFor
            ? undefined
            : { type: 'host.fence-failed', message: `host ${h.name} could not be fenced: ${reason}; its appliances wait`, data: { reason, method: this.fencer?.method ?? 'none' } },
      });
      this.opts.onChange(host.id);
    };
    if (!bmc) return failed('it has no BMC to fence it with');
    if (!this.fencer) return failed('no fencing method is configured');
    try {
      await this.fencer.off(bmc);
      const power = await this.fencer.status(bmc);
      if (power !== 'off') return failed(`its BMC still reports power ${power} after the power-off`);
    } catch (e) {
      return failed(`its BMC did not confirm (${e instanceof Error ? e.message : String(e)})`);
    }
    const method = this.fencer.method;
    await transitionLease(this.store, host.id, ms, {
      from: ['fencing'],
      patch: (l) => ({ state: 'fenced', epoch: l.epoch + 1, fencedBy: 'bmc', waitingFor: null, signals: { ...l.signals, bmc: 'off', checkedAt: this.store.clock.now().toISOString() } }),
      event: (h, l) => ({ type: 'host.fenced', message: `host ${h.name} is fenced: powered off through its BMC (${method}) and confirmed off; fencing epoch ${l.epoch}`, data: { epoch: l.epoch, by: 'bmc', method } }),
    });
    this.opts.onChange(host.id);
  }

  /** The second signals: the BMC's power, and whether other hosts reach this one's probe address. */
  private async signals(host: Resource): Promise<Signals> {
    const bmc = this.bmcOf(host);
    const [power, peers] = await Promise.all([
      bmc && this.fencer ? this.fencer.status(bmc).catch(() => 'unreachable' as const) : Promise.resolve('none' as const),
      this.peerChecks(host),
    ]);
    return { bmc: power, peers, checkedAt: this.store.clock.now().toISOString() };
  }

  private async peerChecks(host: Resource): Promise<Signals['peers']> {
    const probe = (host.status.facts as Partial<HostFacts>).probe;
    if (!probe || typeof probe.address !== 'string' || typeof probe.port !== 'number') return [];
    const now = this.store.clock.now().getTime();
    const peers = (await this.store.read.resources.all({ type: 'physical' }))
      .filter((r) => isHost(r) && r.id !== host.id && (r.status.lease?.state ?? 'live') === 'live' && (leaseExpiry(r, this.opts.leaseMs) ?? 0) > now)
      .slice(0, this.opts.peers ?? 2);
    const answers = await Promise.all(
      peers.map(async (p) => {
        try {
          const r = await this.agents.probe(p.id, { address: probe.address, port: probe.port });
          return { hostId: p.id, reachable: r.reachable };
        } catch {
          return null; // that peer's own agent did not answer: it says nothing of this host
        }
      }),
    );
    return answers.filter((a): a is { hostId: string; reachable: boolean } => a !== null);
  }

  private bmcOf(host: Resource): BmcAccess | null {
    const b = host.spec.bmc;
    if (!b) return null;
    return { address: b.address, port: b.port, user: b.user, password: this.box.open(b.passwordSealed) };
  }
}

/** Whether the second signals agree the host is gone, and why (in words for its status). */
export function judge(s: Signals): { failed: boolean; why: string } {
  if (s.bmc === 'off') return { failed: true, why: 'its BMC reports power off' };
  if (s.bmc === 'unreachable') return { failed: true, why: 'its BMC does not answer' };
  if (s.peers.length > 0 && s.peers.every((p) => !p.reachable)) return { failed: true, why: `no other host can reach it (${s.peers.length} asked)` };
  const said: string[] = [];
  if (s.bmc === 'on') said.push('its BMC reports power on');
  if (s.peers.some((p) => p.reachable)) said.push('another host reaches it');
  if (said.length === 0) said.push(s.bmc === 'none' ? 'it has no BMC and no other host could be asked' : 'no second signal agrees');
  return { failed: false, why: said.join(' and ') };
}
