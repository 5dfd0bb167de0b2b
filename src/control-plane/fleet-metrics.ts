import { Counter, Gauge, type Registry } from 'prom-client';
import type { AgentClient } from '../agent/agent-client.ts';
import type { MetricsReply } from '../agent/protocol.ts';
import type { Appliance } from '../domain/appliance.ts';
import type { Clock } from '../domain/clock.ts';
import type { ApplianceUsage } from '../drivers/driver.ts';
import { hostIsLive, isHost } from '../domain/host.ts';
import type { Resource } from '../domain/resource.ts';
import type { Store } from '../store/store.ts';

/** How often the agents are asked; a scrape reads the figures of the last round. */
export const FLEET_METRICS_INTERVAL_MS = 15_000;

const APPLIANCE_LABELS = ['appliance', 'name', 'host', 'virtualization', 'owner'] as const;
const HOST_LABELS = ['host', 'resource'] as const;
const SERVER_LABELS = ['resource', 'name'] as const;

type ApplianceLabel = (typeof APPLIANCE_LABELS)[number];

/**
 * The fleet's usage as Prometheus series: every live host's agent is asked for its figures
 * (the `metrics` verb: cgroups, /proc, port counters, QMP) every FLEET_METRICS_INTERVAL_MS, all
 * hosts at once, and the answers replace the series in one synchronous step. So a scrape never
 * reaches an agent and never sees half a round, and an appliance that is gone from the store is
 * gone from the next round's series. A host that does not answer shows `fleetyard_host_up 0`
 * and its appliances `fleetyard_appliance_up 0`, without counters; if the store itself cannot
 * be read, the last round's figures stay.
 *
 * Physical servers' power comes from the store, where the power monitor keeps what their BMCs say.
 */
export class FleetMetrics {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private readonly m;

  constructor(
    private readonly store: Store,
    private readonly agents: AgentClient,
    registry: Registry,
    private readonly opts: { clock: Clock; log: (msg: string, err?: unknown) => void; intervalMs?: number; agentTimeoutMs?: number },
  ) {
    const registers = [registry];
    const appliance = { labelNames: APPLIANCE_LABELS, registers };
    const host = { labelNames: HOST_LABELS, registers };
    const server = { labelNames: SERVER_LABELS, registers };
    this.m = {
      applianceUp: new Gauge({ name: 'fleetyard_appliance_up', help: 'Whether the appliance runs, as its host reported it in the last round', ...appliance }),
      cpu: new Counter({ name: 'fleetyard_appliance_cpu_seconds_total', help: 'CPU time the appliance has used since it started', ...appliance }),
      memory: new Gauge({ name: 'fleetyard_appliance_memory_usage_bytes', help: 'Memory the appliance uses (a container: its cgroup; a VM: its QEMU process)', ...appliance }),
      memoryLimit: new Gauge({ name: 'fleetyard_appliance_memory_limit_bytes', help: 'The most memory the appliance may use (a VM: its memory size)', ...appliance }),
      receive: new Counter({ name: 'fleetyard_appliance_network_receive_bytes_total', help: 'Bytes the appliance received on its network port since it started', ...appliance }),
      transmit: new Counter({ name: 'fleetyard_appliance_network_transmit_bytes_total', help: 'Bytes the appliance sent on its network port since it started', ...appliance }),
      hostUp: new Gauge({ name: 'fleetyard_host_up', help: "Whether the host's agent answered the last round", ...host }),
      hostCpus: new Gauge({ name: 'fleetyard_host_cpus', help: 'CPUs of the host', ...host }),
      hostMemTotal: new Gauge({ name: 'fleetyard_host_memory_total_bytes', help: 'Memory of the host (MemTotal)', ...host }),
      hostMemAvailable: new Gauge({ name: 'fleetyard_host_memory_available_bytes', help: 'Memory still available on the host (MemAvailable)', ...host }),
      load1: new Gauge({ name: 'fleetyard_host_load1', help: '1-minute load average of the host', ...host }),
      load5: new Gauge({ name: 'fleetyard_host_load5', help: '5-minute load average of the host', ...host }),
      load15: new Gauge({ name: 'fleetyard_host_load15', help: '15-minute load average of the host', ...host }),
      heartbeatAge: new Gauge({ name: 'fleetyard_host_heartbeat_age_seconds', help: "Seconds since the host's last heartbeat", ...host }),
      powerOn: new Gauge({ name: 'fleetyard_server_power_on', help: 'Whether the physical server is powered on, as its BMC last said (absent while unknown)', ...server }),
      bmcUp: new Gauge({ name: 'fleetyard_server_bmc_up', help: "Whether the physical server's BMC answered the power monitor's last reading", ...server }),
    };
  }

  start(): void {
    const tick = (): void => {
      this.refresh().catch((e: unknown) => this.opts.log('collecting the fleet metrics failed (the last figures stay)', e));
    };
    tick();
    this.timer = setInterval(tick, this.opts.intervalMs ?? FLEET_METRICS_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One round now (a round asked for during a round joins it). */
  refresh(): Promise<void> {
    this.running ??= this.round().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async round(): Promise<void> {
    const [resources, appliances, users] = await Promise.all([
      this.store.read.resources.all(),
      this.store.read.appliances.all(),
      this.store.read.users.all(),
    ]);
    const now = this.opts.clock.now();
    const hosts = resources.filter(isHost);
    const replies = new Map<string, MetricsReply>();
    await Promise.all(
      hosts
        .filter((h) => hostIsLive(h, now))
        .map(async (h) => {
          try {
            replies.set(h.id, await this.agents.metrics(h.id, this.opts.agentTimeoutMs ?? 10_000));
          } catch (e) {
            this.opts.log(`host ${h.name} did not answer for metrics: ${e instanceof Error ? e.message : String(e)}`);
          }
        }),
    );
    const ownerNames = new Map(users.map((u) => [u.id, u.name]));
    const hostNames = new Map(hosts.map((h) => [h.id, h.name]));
    const usages = new Map<string, ApplianceUsage>();
    for (const r of replies.values()) for (const a of r.appliances) usages.set(a.applianceId, a.usage);
    // Everything below is synchronous: a scrape sees the whole of the last round or of this one.
    for (const metric of Object.values(this.m)) metric.reset();
    for (const h of hosts) this.setHost(h, replies.get(h.id), now);
    for (const a of appliances) {
      const labels: Record<ApplianceLabel, string> = {
        appliance: a.id,
        name: a.name,
        host: a.status.hostId ? (hostNames.get(a.status.hostId) ?? a.status.hostId) : '',
        virtualization: a.status.virtualization ?? '',
        owner: a.spec.ownerId ? (ownerNames.get(a.spec.ownerId) ?? a.spec.ownerId) : '',
      };
      this.setAppliance(a, labels, a.status.hostId ? replies.get(a.status.hostId) : undefined, usages.get(a.id));
    }
    for (const s of resources) if (s.spec.type === 'physical' && s.spec.bmc) this.setServer(s);
  }

  private setHost(h: Resource, reply: MetricsReply | undefined, now: Date): void {
    const labels = { host: h.name, resource: h.id };
    this.m.hostUp.set(labels, reply ? 1 : 0);
    if (h.status.lastHeartbeatAt) this.m.heartbeatAge.set(labels, Math.max(0, (now.getTime() - Date.parse(h.status.lastHeartbeatAt)) / 1000));
    if (!reply) return;
    this.m.hostCpus.set(labels, reply.host.cpus);
    this.m.hostMemTotal.set(labels, reply.host.memoryTotalBytes);
    this.m.hostMemAvailable.set(labels, reply.host.memoryAvailableBytes);
    this.m.load1.set(labels, reply.host.load1);
    this.m.load5.set(labels, reply.host.load5);
    this.m.load15.set(labels, reply.host.load15);
  }

  private setAppliance(a: Appliance, labels: Record<ApplianceLabel, string>, reply: MetricsReply | undefined, usage: ApplianceUsage | undefined): void {
    const cannotSay = a.status.virtualization !== null && (reply?.withoutUsage.includes(a.status.virtualization) ?? false);
    const up = a.status.phase === 'running' && reply !== undefined && (usage !== undefined || cannotSay);
    this.m.applianceUp.set(labels, up ? 1 : 0);
    if (!usage) return;
    if (usage.cpuSeconds !== null) this.m.cpu.inc(labels, usage.cpuSeconds);
    if (usage.memoryBytes !== null) this.m.memory.set(labels, usage.memoryBytes);
    if (usage.memoryLimitBytes !== null) this.m.memoryLimit.set(labels, usage.memoryLimitBytes);
    if (usage.networkReceiveBytes !== null) this.m.receive.inc(labels, usage.networkReceiveBytes);
    if (usage.networkTransmitBytes !== null) this.m.transmit.inc(labels, usage.networkTransmitBytes);
  }

  private setServer(s: Resource): void {
    const labels = { resource: s.id, name: s.name };
    this.m.bmcUp.set(labels, s.status.powerState === 'unknown' ? 0 : 1);
    if (s.status.powerState !== 'unknown') this.m.powerOn.set(labels, s.status.powerState === 'on' ? 1 : 0);
  }
}
