import type { Bus } from '../bus/bus.ts';
import type { Observation } from '../drivers/driver.ts';
import {
  subjects,
  type ConsoleCommand,
  type ConvertCommand,
  type DestroyCommand,
  type EnsureCommand,
  type InspectCommand,
  type PowerCommand,
  type PowerReply,
} from './protocol.ts';

/** How the control plane sends commands to the agent of one host. */
export class AgentClient {
  constructor(
    private readonly bus: Bus,
    private readonly timeoutMs = 60_000,
  ) {}

  ensure(hostId: string, cmd: EnsureCommand): Promise<Observation> {
    return this.bus.request(subjects.agent(hostId, 'ensure'), cmd, this.timeoutMs) as Promise<Observation>;
  }

  async destroy(hostId: string, cmd: DestroyCommand): Promise<void> {
    await this.bus.request(subjects.agent(hostId, 'destroy'), cmd, this.timeoutMs);
  }

  inspect(hostId: string, cmd: InspectCommand): Promise<Observation> {
    return this.bus.request(subjects.agent(hostId, 'inspect'), cmd, this.timeoutMs) as Promise<Observation>;
  }

  /** Conversions copy a whole root filesystem, so they get a longer timeout than other commands. */
  async convert(hostId: string, cmd: ConvertCommand): Promise<void> {
    await this.bus.request(subjects.agent(hostId, 'convert'), cmd, 10 * 60_000);
  }

  async console(hostId: string, cmd: ConsoleCommand): Promise<string> {
    const r = (await this.bus.request(subjects.agent(hostId, 'console'), cmd, 10_000)) as { text: string };
    return r.text;
  }

  /** IPMI retries make an unreachable BMC fail in seconds; the timeout leaves room for that. */
  power(hostId: string, cmd: PowerCommand): Promise<PowerReply> {
    return this.bus.request(subjects.agent(hostId, 'power'), cmd, 30_000) as Promise<PowerReply>;
  }

  list(hostId: string): Promise<Record<string, string[]>> {
    return this.bus.request(subjects.agent(hostId, 'list'), {}, 10_000) as Promise<Record<string, string[]>>;
  }
}
