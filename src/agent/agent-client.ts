import type { Bus } from '../bus/bus.ts';
import type { Virtualization } from '../domain/meta.ts';
import { CONFIGURE_DEADLINE_MS, CONVERT_DEADLINE_MS, DESTROY_DEADLINE_MS, ENSURE_DEADLINE_MS } from './deadlines.ts';
import type { Clock } from '../domain/clock.ts';
import { FleetyardError } from '../domain/errors.ts';
import type { Observation } from '../drivers/driver.ts';
import type { IdentityKey } from './identity-key.ts';
import {
  subjects,
  type AgentVerb,
  type CommandContent,
  type ConfigureCommand,
  type ConfigureReply,
  type ConsoleCommand,
  type ConsoleReply,
  type ConvertCommand,
  type DnsZoneCommand,
  type DnsZoneReply,
  type DestroyCommand,
  type EnsureCommand,
  type FabricCommand,
  type FabricReply,
  type InspectCommand,
  type MetricsReply,
  type PowerCommand,
  type PowerReply,
  type ProbeCommand,
  type ShutdownCommand,
  type ShutdownReply,
  type ProbeReply,
  type SealedCommand,
} from './protocol.ts';
import { CONTROL_PLANE, signMessage, verifyMessage } from './signed-message.ts';
import { requestSigned } from './signed-rpc.ts';
import { sealFor } from './transit-key.ts';

/** The keys a host enrolled with (host_keys), as the control plane looks them up. */
export interface EnrolledKeys {
  identityKey: string;
  transitKey: string;
}

export interface AgentClientOptions {
  /** The control plane's signing key. */
  key: IdentityKey;
  keysOf: (hostId: string) => Promise<EnrolledKeys | undefined>;
  /** The host's fencing epoch, sent with every command (default 0: no fencing). */
  epochOf?: (hostId: string) => Promise<number>;
  clock: Clock;
  timeoutMs?: number;
  /** Other deadlines than deadlines.ts's (tests). */
  deadlines?: { ensure?: Partial<Record<Virtualization, number>> };
}

/**
 * How the control plane sends commands to the agent of one host. Each command names its host,
 * is sealed to that host's enrolled transit key (only that host can read it) and signed with the
 * control plane's key (only the control plane can give one); the reply is taken only when it is
 * signed by the host's enrolled identity for this very command, so a stranger who answers first
 * does not win.
 */
export class AgentClient {
  private readonly timeoutMs: number;

  constructor(
    private readonly bus: Bus,
    private readonly opts: AgentClientOptions,
  ) {
    this.timeoutMs = opts.timeoutMs ?? 60_000;
  }

  private async send<T>(hostId: string, verb: AgentVerb, body: unknown, timeoutMs: number): Promise<T> {
    const keys = await this.opts.keysOf(hostId);
    if (!keys) throw new FleetyardError('FY_HOST_NOT_ENROLLED', `host ${hostId} is not enrolled`, { hostId });
    const subject = subjects.agent(hostId, verb);
    const epoch = (await this.opts.epochOf?.(hostId)) ?? 0;
    const content: CommandContent = { for: hostId, verb, body, epoch };
    const sealed: SealedCommand = { for: hostId, sealed: sealFor(keys.transitKey, JSON.stringify(content)) };
    const env = signMessage(this.opts.key, CONTROL_PLANE, subject, sealed, this.opts.clock.now());
    return (await requestSigned(this.bus, subject, env, timeoutMs, (reply, replySubject) =>
      reply.by === hostId ? verifyMessage(reply, replySubject, keys.identityKey, this.opts.clock.now()) : { ok: false, reason: 'not the host' },
    )) as T;
  }

  /** Waits as long as this virtualization's start or stop can take (deadlines.ts). */
  ensure(hostId: string, cmd: EnsureCommand): Promise<Observation> {
    const ms = this.opts.deadlines?.ensure?.[cmd.virtualization] ?? ENSURE_DEADLINE_MS[cmd.virtualization];
    return this.send(hostId, 'ensure', { ...cmd, deadlineAt: this.opts.clock.now().getTime() + ms }, ms);
  }

  async destroy(hostId: string, cmd: DestroyCommand): Promise<void> {
    await this.send(hostId, 'destroy', { ...cmd, deadlineAt: this.opts.clock.now().getTime() + DESTROY_DEADLINE_MS }, DESTROY_DEADLINE_MS);
  }

  inspect(hostId: string, cmd: InspectCommand): Promise<Observation> {
    return this.send(hostId, 'inspect', cmd, this.timeoutMs);
  }

  /** Conversions copy a whole root file system: they may take long (deadlines.ts). */
  async convert(hostId: string, cmd: ConvertCommand): Promise<void> {
    await this.send(hostId, 'convert', { ...cmd, deadlineAt: this.opts.clock.now().getTime() + CONVERT_DEADLINE_MS }, CONVERT_DEADLINE_MS);
  }

  /** Applies configuration groups with ansible-playbook on the appliance's host (deadlines.ts). */
  configure(hostId: string, cmd: ConfigureCommand): Promise<ConfigureReply> {
    const ms = CONFIGURE_DEADLINE_MS;
    return this.send(hostId, 'configure', { ...cmd, deadlineAt: this.opts.clock.now().getTime() + ms }, ms);
  }

  /**
   * Up to `bytes` of an appliance's console, chunk by chunk (each chunk is one command, so no
   * message outgrows the bus): the last `bytes`, or those from byte `from` on (a reader that
   * follows the console asks from where it stopped). The first chunk is fetched before this
   * returns, so an unreachable agent fails here rather than halfway through a caller's response,
   * and `start` and `end` are known before the first byte is sent: `start` is where the bytes
   * begin (less than `from` never; at the console's size when `from` is past its end, which is
   * how a reader learns the console was truncated), `end` is fixed at the size the console had
   * then, so a console that keeps growing cannot keep the reader going.
   */
  async console(
    hostId: string,
    target: Omit<ConsoleCommand, 'start'>,
    read: { bytes: number; from?: number | undefined },
  ): Promise<{ start: number; end: number; size: number; chunks: AsyncIterable<Buffer> }> {
    const ask = (start: ConsoleCommand['start']) => this.send<ConsoleReply>(hostId, 'console', { ...target, start } satisfies ConsoleCommand, 10_000);
    const { bytes } = read;
    const first = await ask(read.from === undefined ? { last: bytes } : { offset: read.from });
    const end = Math.min(first.size, first.offset + bytes);
    const chunks = (async function* () {
      let chunk = first;
      let at = first.offset;
      while (at < end) {
        // An offset other than asked for means the console was truncated under us: stop there.
        const data = Buffer.from(chunk.data, 'base64').subarray(0, end - at);
        if (data.length === 0 || chunk.offset !== at) return;
        yield data;
        at += data.length;
        if (at < end) chunk = await ask({ offset: at });
      }
    })();
    return { start: first.offset, end, size: first.size, chunks };
  }

  /** IPMI retries make an unreachable BMC fail in seconds; the timeout leaves room for that. */
  power(hostId: string, cmd: PowerCommand): Promise<PowerReply> {
    return this.send(hostId, 'power', cmd, 30_000);
  }

  /** Makes the host's VXLAN fabric what `cmd` says (see FabricCommand). */
  fabric(hostId: string, cmd: FabricCommand): Promise<FabricReply> {
    return this.send(hostId, 'fabric', cmd, 30_000);
  }

  /** Asks a host's agent to power its machine off (it refuses while it runs appliances). */
  shutdown(hostId: string, cmd: ShutdownCommand): Promise<ShutdownReply> {
    return this.send(hostId, 'shutdown', cmd, 10_000);
  }

  /** Whether `hostId` can connect to another host's probe address (a second signal about that host). */
  probe(hostId: string, cmd: ProbeCommand): Promise<ProbeReply> {
    return this.send(hostId, 'probe', cmd, 3_000);
  }

  /** What the host and its appliances have used (read on the host: files and QMP, no work queued). */
  metrics(hostId: string, timeoutMs = 10_000): Promise<MetricsReply> {
    return this.send(hostId, 'metrics', {}, timeoutMs);
  }

  /** Writing a hosts file and (at most) starting a dnsmasq: seconds, not minutes. */
  dnsZone(hostId: string, zone: DnsZoneCommand): Promise<DnsZoneReply> {
    return this.send(hostId, 'dns', zone, 15_000);
  }

  list(hostId: string): Promise<Record<string, string[]>> {
    return this.send(hostId, 'list', {}, 10_000);
  }
}
