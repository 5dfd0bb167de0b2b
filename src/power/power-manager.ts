import { FleetyardError } from '../domain/errors.ts';
import { isHost } from '../domain/host.ts';
import { AWAKE, type HostPower, type HostPowerState } from '../domain/host-power.ts';
import type { Virtualization } from '../domain/meta.ts';
import { virtualizationSchema } from '../domain/meta.ts';
import type { Resource } from '../domain/resource.ts';
import type { SecretBox } from '../identity/secret-box.ts';
import type { Store } from '../store/store.ts';
import { planPower, type PowerSettings, type PowerVerdict } from './power-plan.ts';
import type { PowerSwitch } from './power-switch.ts';
import { sendMagicPacket } from './wake-on-lan.ts';
import type { AgentClient } from '../agent/agent-client.ts';

export interface PowerManagerOptions extends PowerSettings {
  /** A host's lease: one shut down by its agent counts as off once it has been silent this long. */
  leaseMs: number;
  /** How often the plan is made and carried out (default 5 s). */
  intervalMs?: number;
  /** The first wait after a BMC error; it doubles up to `maxRetryMs` (defaults 5 s and 5 min). */
  retryMs?: number;
  maxRetryMs?: number;
  log: (msg: string, err?: unknown) => void;
  /** A host's power state changed (it sleeps or is awake again): its appliances and waiting ones are looked at. */
  onChange?: (hostId: string) => void;
}

/** The plan as the API shows it: every host's verdict, and the energy saved so far. */
export interface PowerReport {
  enabled: boolean;
  settings: PowerSettings;
  at: string;
  hosts: Array<PowerVerdict & { since: string | null; bootMs: number | null; offHours: number; failures: number; nextTryAt: string | null; lastError: string | null }>;
  /** Host-hours spent asleep, in all (the manager's energy saving). */
  hostHoursOff: number;
}

/**
 * Green IT: keeps only as many hosts powered as the work needs (power-plan.ts decides, this
 * carries it out). Every change of a host's power state is one versioned write of its
 * `status.power` with its event, so a placement racing a power-off conflicts on the host's
 * version; after the write that takes a host out of service, it is checked again for
 * appliances before its BMC is touched. A power-off counts only when the BMC reads back `off`;
 * a BMC that errs or reads anything else leaves the host `powering-off` (out of service, still
 * on), retried with backoff; a state it cannot read is never taken for off.
 */
export class PowerManager {
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | null = null;
  private stopped = false;
  private readonly idleSince = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    private readonly power: PowerSwitch,
    private readonly agents: Pick<AgentClient, 'shutdown'>,
    private readonly opts: PowerManagerOptions,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.pass || this.stopped) return;
      this.pass = this.runOnce()
        .then(() => undefined)
        .catch((e: unknown) => this.opts.log('the power plan failed (the next pass tries again)', e))
        .finally(() => (this.pass = null));
    }, this.opts.intervalMs ?? 5_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.pass;
  }

  /** The plan now, without acting on it. */
  async report(enabled = true): Promise<PowerReport> {
    const now = this.store.clock.now();
    const { hosts, verdicts } = await this.plan(now);
    const byId = new Map(hosts.map((h) => [h.id, h]));
    let offMs = 0;
    const rows = verdicts.map((v) => {
      const p = byId.get(v.hostId)?.status.power;
      const ms = offTime(p, now);
      offMs += ms;
      return { ...v, since: p?.since ?? null, bootMs: p?.bootMs ?? null, offHours: ms / 3_600_000, failures: p?.failures ?? 0, nextTryAt: p?.nextTryAt ?? null, lastError: p?.lastError ?? null };
    });
    return { enabled, settings: this.settings(), at: now.toISOString(), hosts: rows, hostHoursOff: offMs / 3_600_000 };
  }

  /** One plan, carried out; each host's action runs on its own, a failure stays with its host. */
  async runOnce(): Promise<PowerVerdict[]> {
    const now = this.store.clock.now();
    const { hosts, verdicts } = await this.plan(now);
    const byId = new Map(hosts.map((h) => [h.id, h]));
    await Promise.all(
      verdicts
        .filter((v) => v.action !== 'none')
        .map((v) => {
          const host = byId.get(v.hostId);
          if (!host) return Promise.resolve();
          return this.act(host, v).catch((e: unknown) => this.opts.log(`power action ${v.action} on host ${v.host}`, e));
        }),
    );
    return verdicts;
  }

  private settings(): PowerSettings {
    const { idleMs, spareHosts, leadMs, defaultBootMs, bootTimeoutMs } = this.opts;
    return { idleMs, spareHosts, leadMs, defaultBootMs, bootTimeoutMs };
  }

  private async plan(now: Date): Promise<{ hosts: Resource[]; verdicts: PowerVerdict[] }> {
    const [resources, appliances, reservations] = await Promise.all([this.store.read.resources.all(), this.store.read.appliances.all(), this.store.read.cloud.reservations()]);
    const hosts = resources.filter(isHost);
    const inUse = new Map<string, number>();
    const bump = (id: string | null | undefined) => id && inUse.set(id, (inUse.get(id) ?? 0) + 1);
    const waiting: Array<{ virtualization: Virtualization; memoryMiB: number }> = [];
    for (const a of appliances) {
      bump(a.status.hostId);
      if (a.spec.desiredState === 'running' && a.status.phase === 'pending' && !a.status.hostId && a.status.message) {
        const v = a.spec.requirements.virtualization;
        for (const x of v === 'any' ? virtualizationSchema.options : [v]) waiting.push({ virtualization: x, memoryMiB: a.spec.requirements.memoryMiB });
      }
    }
    // A physical server in use keeps the host whose network boots it awake.
    for (const r of resources) if (!isHost(r) && r.spec.type === 'physical' && r.status.applianceId) bump(r.spec.hostId);
    const t = now.getTime();
    for (const h of hosts) {
      const awake = (h.status.power?.state ?? 'awake') === 'awake';
      if (awake && (inUse.get(h.id) ?? 0) === 0) {
        // A host just woken is idle from its wake, not from before its sleep.
        const seen = this.idleSince.get(h.id) ?? t;
        this.idleSince.set(h.id, h.status.power ? Math.max(seen, Math.min(Date.parse(h.status.power.since), t)) : seen);
      } else {
        this.idleSince.delete(h.id);
      }
    }
    const verdicts = planPower({ now, hosts, inUse, reservations, waiting, idleSince: this.idleSince, powerable: (h) => Boolean(h.spec.bmc || h.spec.wakeOnLan), settings: this.settings() });
    return { hosts, verdicts };
  }

  private async act(host: Resource, v: PowerVerdict): Promise<void> {
    const now = this.store.clock.now();
    const p = host.status.power;
    if (p?.nextTryAt && Date.parse(p.nextTryAt) > now.getTime() && v.action !== 'take-back') return;
    if (v.action === 'take-back' && p?.shutdownAt) {
      // Its agent is shutting it down: it cannot be taken back; it is woken once it is off.
      return;
    }
    if (v.action === 'take-back') {
      await this.write(host.id, ['powering-off'], () => ({ state: 'awake', reason: v.reason, failures: 0, nextTryAt: null, lastError: null }), (h) => ({
        type: 'host.power-off-cancelled',
        message: `host ${h.name} is taken back into service before its power-off was confirmed: ${v.reason}`,
        data: { reason: v.reason },
      }));
      return;
    }
    if (v.action === 'off') return this.powerOff(host, v);
    if (v.action === 'on') return this.powerOn(host, v);
  }

  private async powerOff(host: Resource, v: PowerVerdict): Promise<void> {
    if ((host.status.power?.state ?? 'awake') === 'awake') {
      const taken = await this.write(host.id, ['awake'], () => ({ state: 'powering-off', reason: v.reason }), (h) => ({
        type: 'host.powering-off',
        message: `host ${h.name} is taken out of service to be powered off: ${v.reason}`,
        data: { reason: v.reason },
      }));
      if (!taken) return;
      this.opts.onChange?.(host.id);
      // Placed on in the meantime (a placement that read the host before this write)? Then it stays.
      const onIt = (await this.store.read.appliances.all()).filter((a) => a.status.hostId === host.id).length;
      if (onIt > 0) {
        await this.write(host.id, ['powering-off'], () => ({ state: 'awake', reason: `an appliance was placed on it meanwhile` }), (h) => ({
          type: 'host.power-off-cancelled',
          message: `host ${h.name} stays on: an appliance was placed on it while it was taken out of service`,
          data: { reason: 'an appliance was placed on it' },
        }));
        this.opts.onChange?.(host.id);
        return;
      }
    }
    const bmc = this.bmcOf(host);
    if (!bmc) return this.shutDownByAgent(host, v);
    try {
      await this.power.off(bmc);
      const read = await this.power.status(bmc);
      if (read !== 'off') throw new Error(`its BMC reads power ${read} after the power-off`);
    } catch (e) {
      return this.failed(host.id, 'powering-off', 'off', e);
    }
    await this.write(host.id, ['powering-off'], () => ({ state: 'off', reason: v.reason, failures: 0, nextTryAt: null, lastError: null }), (h) => ({
      type: 'host.powered-off',
      message: `host ${h.name} is powered off (its BMC confirms): ${v.reason}`,
      data: { reason: v.reason },
    }));
  }

  private async powerOn(host: Resource, v: PowerVerdict): Promise<void> {
    const state = host.status.power?.state;
    if (state === 'off') {
      const now = this.store.clock.now();
      const woken = await this.write(host.id, ['off'], (p) => ({ state: 'powering-on', reason: v.reason, offMs: p.offMs + Math.max(0, now.getTime() - Date.parse(p.since)) }), (h) => ({
        type: 'host.powering-on',
        message: `host ${h.name} is being powered on: ${v.reason}`,
        data: { reason: v.reason },
      }));
      if (!woken) return;
    } else if (state !== 'powering-on') {
      return;
    }
    const bmc = this.bmcOf(host);
    const wol = host.spec.wakeOnLan;
    try {
      if (bmc) await this.power.on(bmc);
      else if (wol) await sendMagicPacket(wol);
    } catch (e) {
      return this.failed(host.id, 'powering-on', 'on', e);
    }
  }

  /**
   * A host without a BMC (woken by Wake-on-LAN) is powered off by its own agent, which refuses
   * while it runs appliances; it counts as off once its heartbeats have stopped for a lease.
   */
  private async shutDownByAgent(host: Resource, v: PowerVerdict): Promise<void> {
    if (!host.spec.wakeOnLan) return;
    const p = host.status.power;
    const now = this.store.clock.now().getTime();
    if (p?.shutdownAt) {
      const lastHeard = Math.max(Date.parse(host.status.lastHeartbeatAt ?? p.shutdownAt), Date.parse(p.shutdownAt));
      if (now - lastHeard < this.opts.leaseMs) return;
      await this.write(host.id, ['powering-off'], () => ({ state: 'off', reason: v.reason, failures: 0, nextTryAt: null, lastError: null, shutdownAt: null }), (h) => ({
        type: 'host.powered-off',
        message: `host ${h.name} is off: its agent shut it down and it has been silent for ${Math.round(this.opts.leaseMs / 1000)} s: ${v.reason}`,
        data: { reason: v.reason },
      }));
      return;
    }
    try {
      await this.agents.shutdown(host.id, { reason: v.reason });
    } catch (e) {
      return this.failed(host.id, 'powering-off', 'off', e);
    }
    await this.write(host.id, ['powering-off'], () => ({ shutdownAt: new Date(now).toISOString(), failures: 0, nextTryAt: null, lastError: null }), () => undefined);
  }

  /** A BMC error: kept on the host with its next try; an event when the error is new. */
  private async failed(hostId: string, state: HostPowerState, action: 'on' | 'off', e: unknown): Promise<void> {
    const error = (e instanceof Error ? e.message : String(e)).slice(0, 500);
    const now = this.store.clock.now();
    await this.write(
      hostId,
      [state],
      (p) => {
        const failures = p.failures + 1;
        const wait = Math.min((this.opts.retryMs ?? 5_000) * 2 ** (failures - 1), this.opts.maxRetryMs ?? 300_000);
        return { failures, lastError: error, nextTryAt: new Date(now.getTime() + wait).toISOString() };
      },
      (h, p) =>
        h.status.power?.lastError === error
          ? undefined
          : { type: 'host.power-failed', message: `host ${h.name}: powering it ${action} failed (attempt ${p.failures}, tried again at ${p.nextTryAt}): ${error}`, data: { action, error, attempt: p.failures } },
    );
  }

  /**
   * One versioned write of a host's power state with its event; nothing when the host is no
   * longer in one of `from` states (or someone wrote it in between). Returns whether it wrote.
   */
  private async write(
    hostId: string,
    from: readonly HostPowerState[],
    patch: (p: HostPower) => Partial<HostPower>,
    event: (h: Resource, p: HostPower) => { type: 'host.powering-off' | 'host.powered-off' | 'host.powering-on' | 'host.power-failed' | 'host.power-off-cancelled'; message: string; data: Record<string, unknown> } | undefined,
  ): Promise<boolean> {
    const now = this.store.clock.now();
    try {
      return await this.store.transaction(async (tx) => {
        const h = await tx.resources.get(hostId);
        if (!h) return false;
        const current: HostPower = h.status.power ?? { ...AWAKE, since: now.toISOString(), reason: 'never acted on' };
        if (!from.includes(current.state)) return false;
        const change = patch(current);
        const next: HostPower = { ...current, ...change, ...(change.state && change.state !== current.state ? { since: now.toISOString() } : {}) };
        await tx.resources.update({ ...h, status: { ...h.status, power: next } }, now);
        const e = event(h, next);
        if (e) await tx.emit({ type: e.type, kind: 'resource', objectId: h.id, message: e.message, data: e.data } as never);
        return true;
      });
    } catch (e) {
      if (e instanceof FleetyardError && e.code === 'FY_VERSION_CONFLICT') return false;
      throw e;
    }
  }

  private bmcOf(host: Resource) {
    const b = host.spec.bmc;
    return b ? { address: b.address, port: b.port, user: b.user, password: this.box.open(b.passwordSealed) } : null;
  }
}

/** How long a host has been asleep in all, its current sleep included. */
function offTime(p: HostPower | undefined, now: Date): number {
  if (!p) return 0;
  return p.offMs + (p.state === 'off' ? Math.max(0, now.getTime() - Date.parse(p.since)) : 0);
}
