import type { IdentityKey } from '../agent/identity-key.ts';
import { subjects, type DiscoveredNotice, type Heartbeat, type HeartbeatReply, type LeaseGrant, type RegisterReply, type RegisterRequest } from '../agent/protocol.ts';
import { asEnvelope, CONTROL_PLANE, type SignedEnvelope } from '../agent/signed-message.ts';
import { signedOutcome } from '../agent/signed-rpc.ts';
import type { Bus, Subscription } from '../bus/bus.ts';
import { FleetyardError } from '../domain/errors.ts';
import { freshMeta } from '../domain/meta.ts';
import type { Resource } from '../domain/resource.ts';
import { leaseOf } from '../ha/host-lease-writes.ts';
import type { Store } from '../store/store.ts';
import type { AgentMessages } from './agent-messages.ts';
import type { HostEnrollment } from './host-enrollment.ts';
import { validFacts, writeHostRow } from './host-rows.ts';

/** Control planes serve enrolment and registration as one group, so each request runs once. */
const CONTROL_PLANE_QUEUE = 'fleetyard-control-plane';

export interface HostRegistryOptions {
  enrollment: HostEnrollment;
  messages: AgentMessages;
  /** Signs the control plane's replies; agents pinned its public half at enrolment. */
  key: IdentityKey;
  /** How long a heartbeat keeps a host's lease (default 10 s). */
  leaseMs: number;
  onChange: (hostId: string) => void;
  /** The host's agent registered and has heartbeated since: it takes commands now. */
  onServing?: (hostId: string) => void;
}

/**
 * The control plane's side of enrolment, registration and heartbeats: turns an agent's report
 * into the host resource row. Only an enrolled agent is heard: every registration, heartbeat and
 * notice is verified against the identity key its host enrolled with (AgentMessages), and what
 * fails is dropped. Re-registering changes a host's facts, never its keys: those change only by
 * enrolling again with a new join token (host-enrollment.ts). Heartbeats renew the lease
 * silently; only a change of state emits an event.
 */
export class HostRegistry {
  /** Hosts that registered and have not heartbeated since. */
  private readonly registered = new Set<string>();
  private subs: Subscription[] = [];

  constructor(
    private readonly store: Store,
    private readonly bus: Bus,
    private readonly opts: HostRegistryOptions,
  ) {}

  async start(): Promise<void> {
    const { enrollment, messages } = this.opts;
    this.subs = [
      await this.bus.handle(subjects.enroll, (raw) => this.answer(raw, async (env) => {
        const reply = await enrollment.enroll(env);
        this.opts.onChange(reply.hostId);
        return reply;
      }), { queue: CONTROL_PLANE_QUEUE }),
      await this.bus.handle(subjects.register, (raw) => this.answer(raw, async (env) => {
        const m = await messages.open(subjects.register, env);
        if (!m.ok) throw new FleetyardError(m.code, `registration refused: ${m.reason}`);
        return this.register(m.hostId, m.body as RegisterRequest);
      }), { queue: CONTROL_PLANE_QUEUE }),
      await this.bus.handle(subjects.heartbeat, (raw) => this.answer(raw, async (env) => {
        const m = await messages.open(subjects.heartbeat, env);
        if (!m.ok) throw new FleetyardError(m.code, `heartbeat refused: ${m.reason}`);
        return this.heartbeat(m.hostId, m.body as Heartbeat);
      }), { queue: CONTROL_PLANE_QUEUE }),
      await this.bus.listen(subjects.discovered, async (raw) => {
        const m = await messages.open(subjects.discovered, raw);
        if (m.ok) await this.discovered({ ...(m.body as DiscoveredNotice), hostId: m.hostId });
      }),
    ];
  }

  async stop(): Promise<void> {
    await Promise.all(this.subs.map((s) => s.close()));
  }

  /** Answers a request with a signed reply, its error included; what is not an envelope gets nothing. */
  private async answer(raw: unknown, work: (env: SignedEnvelope) => Promise<unknown>): Promise<unknown> {
    const env = asEnvelope(raw);
    if (!env) return null;
    return signedOutcome(this.opts.key, CONTROL_PLANE, env.nonce, () => this.store.clock.now(), () => work(env));
  }

  /** A verified registration of `hostId`: facts are updated, the enrolled keys stay as they are. */
  async register(hostId: string, req: RegisterRequest): Promise<RegisterReply> {
    if (!validFacts(req?.facts)) throw new FleetyardError('FY_VALIDATION', 'malformed registration');
    const now = this.store.clock.now();
    const lease = await this.store.transaction(async (tx) => {
      const keys = await tx.enrollment.hostKeys(hostId);
      const host = await tx.resources.get(hostId);
      if (!keys || !host) throw new FleetyardError('FY_HOST_NOT_ENROLLED', `host ${hostId} no longer exists; enrol again`);
      const grant = this.grant(host);
      await writeHostRow(tx, { id: hostId, existing: host, machineId: keys.machine_id, facts: req.facts, transitKey: keys.transit_key, now, lease: grant.lease });
      await tx.emit({ type: 'host.registered', kind: 'resource', objectId: hostId, message: `host ${host.name} registered again`, data: {} });
      return grant.reply;
    });
    this.opts.onChange(hostId);
    this.registered.add(hostId);
    return { hostId, lease };
  }

  /**
   * What a host's agent is told of its lease when it registers: a fenced host must rejoin empty
   * (its lease stays fenced until a heartbeat says it did); any other is renewed from now.
   */
  private grant(host: Resource): { reply: LeaseGrant; lease: Resource['status']['lease'] } {
    const ms = this.opts.leaseMs;
    const now = this.store.clock.now();
    const lease = leaseOf(host, ms);
    if (lease.state === 'fenced' || lease.state === 'fencing') return { reply: { durationMs: ms, epoch: lease.epoch, rejoin: lease.state === 'fenced' }, lease };
    return {
      reply: { durationMs: ms, epoch: lease.epoch, rejoin: false },
      lease: { ...lease, state: 'live', durationMs: ms, expiresAt: new Date(now.getTime() + ms).toISOString(), waitingFor: null, ...(lease.state !== 'live' ? { since: now.toISOString() } : {}) },
    };
  }

  /**
   * A machine network-booted that nobody registered: it becomes an idle physical resource of the
   * host that saw it, with what is known of it. An admin adds its BMC (and real capacity) before
   * appliances can be placed on it. A MAC already known is left alone, so repeats are harmless.
   */
  async discovered(n: DiscoveredNotice): Promise<void> {
    const mac = typeof n?.mac === 'string' ? n.mac.toLowerCase() : '';
    if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(mac) || typeof n.hostId !== 'string') return;
    const now = this.store.clock.now();
    await this.store.transaction(async (tx) => {
      if ((await tx.resources.all({ type: 'physical' })).some((r) => r.spec.mac === mac)) return;
      const id = this.store.ids.next();
      const name = `discovered-${mac.replace(/:/g, '')}`;
      await tx.resources.insert({
        ...freshMeta(id, name, now),
        spec: { type: 'physical', hostId: n.hostId, capacity: { cpu: 0, memoryMiB: 0, diskMiB: 0 }, virtualizations: [], labels: {}, mac, bmc: null },
        status: { state: 'idle', powerState: 'on', applianceId: null, address: null, lastHeartbeatAt: null, facts: { discoveredAt: now.toISOString(), network: n.network, bootAddress: n.ip, dhcpHostname: n.hostname } },
      });
      await tx.emit({ type: 'resource.discovered', kind: 'resource', objectId: id, message: `unknown machine ${mac} network-booted on ${n.network}; registered as idle resource ${name}`, data: { mac, hostId: n.hostId } });
    });
  }

  /**
   * A heartbeat renews the host's lease, and its answer tells the agent so. While the host is
   * being fenced nothing is renewed (no answer: the agent's watchdog keeps counting). A fenced
   * host is told to rejoin empty; its next heartbeat at the new epoch says it did, and only then
   * is it live again and offered work. Any other state (expired, unresponsive, a fence that
   * failed) was a host that came back late: it is live again, and nothing was restarted elsewhere.
   */
  async heartbeat(hostId: string, hb?: Heartbeat): Promise<HeartbeatReply | null> {
    const ms = this.opts.leaseMs;
    for (let attempt = 0; attempt < 5; attempt++) {
      const host = await this.store.read.resources.get(hostId);
      if (!host) return null;
      const now = this.store.clock.now();
      const lease = leaseOf(host, ms);
      if (lease.state === 'fencing') return null;
      const rejoined = lease.state === 'fenced' && hb?.epoch === lease.epoch;
      if (lease.state === 'fenced' && !rejoined) return { durationMs: ms, epoch: lease.epoch, rejoin: true };
      const wasActive = host.status.state === 'active';
      // A host the power manager woke is awake at its first heartbeat: its boot time is measured.
      const power = host.status.power;
      // One that heartbeats a lease after its confirmed power-off was powered on by someone else.
      const sinceMs = power ? now.getTime() - Date.parse(power.since) : 0;
      const wokeBy = power?.state === 'powering-on' ? 'its power-on' : power?.state === 'off' && sinceMs > ms ? 'outside' : null;
      const woke =
        power && wokeBy
          ? {
              ...power,
              state: 'awake' as const,
              since: now.toISOString(),
              reason: wokeBy === 'outside' ? 'it heartbeats again: it was powered on outside the power manager' : 'it heartbeats again after its power-on',
              offMs: wokeBy === 'outside' ? power.offMs + Math.max(0, sinceMs) : power.offMs,
              bootMs: wokeBy === 'outside' ? power.bootMs : Math.max(0, sinceMs),
              failures: 0,
              nextTryAt: null,
              lastError: null,
            }
          : null;
      const renewedFrom = lease.state === 'expired' || lease.state === 'unresponsive' || lease.state === 'fence-failed' ? lease.state : null;
      try {
        await this.store.transaction(async (tx) => {
          await tx.resources.update(
            {
              ...host,
              status: {
                ...host.status,
                state: 'active',
                powerState: 'on',
                lastHeartbeatAt: now.toISOString(),
                ...(woke ? { power: woke } : {}),
                lease: { ...lease, state: 'live', durationMs: ms, expiresAt: new Date(now.getTime() + ms).toISOString(), waitingFor: null, ...(renewedFrom ? { since: now.toISOString() } : {}) },
              },
            },
            now,
          );
          if (rejoined) {
            await tx.emit({ type: 'host.rejoined', kind: 'resource', objectId: host.id, message: `host ${host.name} rejoined empty after it was fenced (epoch ${lease.epoch})`, data: { epoch: lease.epoch } });
          } else if (renewedFrom) {
            await tx.emit({ type: 'host.lease-renewed', kind: 'resource', objectId: host.id, message: `host ${host.name} heartbeats again (it was ${renewedFrom}): it is not failed`, data: { from: renewedFrom } });
          }
          if (woke) {
            await tx.emit({ type: 'host.woke', kind: 'resource', objectId: host.id, message: `host ${host.name} is awake again: ${woke.reason}${woke.bootMs !== null ? ` (boot time ${(woke.bootMs / 1000).toFixed(1)} s)` : ''}`, data: { bootMs: woke.bootMs ?? 0 } });
          }
          if (!wasActive) {
            await tx.emit({ type: 'host.active', kind: 'resource', objectId: host.id, message: `host ${host.name} is active again`, data: {} });
          }
        });
        if (!wasActive || renewedFrom || rejoined || woke) this.opts.onChange(host.id);
        // The agent subscribes to its commands after its registration's answer, before its first heartbeat.
        if (this.registered.delete(host.id)) this.opts.onServing?.(host.id);
        return { durationMs: ms, epoch: lease.epoch, rejoin: false };
      } catch (e) {
        if (!(e instanceof FleetyardError && e.code === 'FY_VERSION_CONFLICT')) throw e;
      }
    }
    return null;
  }
}
