import type { Bus } from '../bus/bus.ts';
import type { Observation } from '../drivers/driver.ts';
import {
  subjects,
  type ConsoleCommand,
  type ConsoleReply,
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

  /**
   * The last `bytes` of an appliance's console, chunk by chunk (each chunk is one command, so no
   * message outgrows the bus). The first chunk is fetched before this returns, so an unreachable
   * agent fails here rather than halfway through a caller's response; the end is fixed at the size
   * the console had then, so a console that keeps growing cannot keep the reader going.
   */
  async console(hostId: string, target: Omit<ConsoleCommand, 'start'>, bytes: number): Promise<AsyncIterable<Buffer>> {
    const ask = async (start: ConsoleCommand['start']) =>
      (await this.bus.request(subjects.agent(hostId, 'console'), { ...target, start } satisfies ConsoleCommand, 10_000)) as ConsoleReply;
    const first = await ask({ last: bytes });
    const end = Math.min(first.size, first.offset + bytes);
    return (async function* () {
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
  }

  /** IPMI retries make an unreachable BMC fail in seconds; the timeout leaves room for that. */
  power(hostId: string, cmd: PowerCommand): Promise<PowerReply> {
    return this.bus.request(subjects.agent(hostId, 'power'), cmd, 30_000) as Promise<PowerReply>;
  }

  list(hostId: string): Promise<Record<string, string[]>> {
    return this.bus.request(subjects.agent(hostId, 'list'), {}, 10_000) as Promise<Record<string, string[]>>;
  }
}
