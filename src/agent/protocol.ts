import type { CloudInitPlan } from '../config/cloud-init-seed.ts';
import type { Requirements } from '../domain/appliance.ts';
import type { CheckResult, HealthCheck } from '../domain/health-check.ts';
import type { HostFacts } from '../domain/host.ts';
import type { EmbeddedZone } from '../dns/dnsmasq-auth.ts';
import type { ZoneServing } from '../dns/embedded-server.ts';
import type { Virtualization } from '../domain/meta.ts';
import type { ApplianceUsage, MachinePowerAction, Observation, RuntimeEvent, RuntimeKernel, RuntimeMachine, RuntimeNetwork } from '../drivers/driver.ts';

/**
 * The messages between the control plane and an agent. Commands go to one agent
 * (`fy.agent.<hostId>.<verb>`), enrolment, registrations and heartbeats go to the control plane.
 * Every command carries the whole desired state it needs, so the agent keeps no copy of the
 * database and a repeated command is harmless.
 *
 * Every message travels in a signed envelope (signed-message.ts): an agent signs with the
 * identity key it enrolled, the control plane with its own key, which the agent pinned at
 * enrolment. A command is moreover sealed to its host's transit key (`SealedCommand`), so only
 * that host can read it, and names the host it is for.
 */
export type AgentVerb = 'ensure' | 'destroy' | 'inspect' | 'console' | 'list' | 'convert' | 'power' | 'probe' | 'metrics' | 'configure' | 'fabric' | 'dns' | 'shutdown';

export const subjects = {
  /** An agent with a join token asks to become a host (or to re-enrol one). */
  enroll: 'fy.control.hosts.enroll',
  register: 'fy.control.hosts.register',
  heartbeat: 'fy.control.hosts.heartbeat',
  /** A machine that network-booted unknown, reported by the host whose boot service saw it. */
  discovered: 'fy.control.machines.discovered',
  /** Something that happened to a running appliance on its own (see RuntimeEvent in driver.ts). */
  runtimeEvent: 'fy.control.appliances.runtime-event',
  /** A health check of an appliance changed standing or measured something (see check-runner.ts). */
  checkResult: 'fy.control.appliances.check-result',
  agent: (hostId: string, verb: AgentVerb) => `fy.agent.${hostId}.${verb}`,
} as const;

/**
 * Signed with the identity key it carries (signer ''), which proves the agent holds it. The
 * control plane consumes the token, binds the keys to a host and answers with the host id and
 * its own public key.
 */
export interface EnrollRequest {
  token: string;
  /** The agent's Ed25519 identity (identity-key.ts); every later message is signed with it. */
  identityKey: string;
  /** The agent's X25519 transit key (transit-key.ts); commands and secrets are sealed to it. */
  transitKey: string;
  machineId: string;
  facts: HostFacts;
}

export interface EnrollReply {
  hostId: string;
  /** The key every command and reply of the control plane is signed with; the agent pins it. */
  controlPlaneKey: string;
}

/** What a command's envelope carries: the command, sealed for the host it names. */
export interface SealedCommand {
  for: string;
  /** `sealFor(transitKey, JSON of CommandContent)` */
  sealed: string;
}

export interface CommandContent {
  for: string;
  verb: AgentVerb;
  body: unknown;
  /**
   * The host's fencing epoch when the command was sent (src/domain/host-lease.ts). An agent whose
   * own epoch differs refuses to start anything: it was fenced, or the command is from before.
   */
  epoch?: number;
}

/**
 * Signed by the enrolled host (signer = host id). The keys in `facts` are ignored: only a new
 * enrolment changes them.
 */
export interface RegisterRequest {
  /** Stable identity of the machine (its machine-id), kept in the host's facts. */
  machineId: string;
  facts: HostFacts;
}

export interface RegisterReply {
  hostId: string;
  /** The lease the control plane holds for this host; absent from an older control plane. */
  lease?: LeaseGrant;
}

/**
 * A heartbeat is a request: its answer renews the lease. An agent that has no answer for most of
 * its lease stops its HA appliances itself (src/agent/lease-watchdog.ts).
 */
export interface Heartbeat {
  hostId: string;
  facts: HostFacts;
  /** The fencing epoch the agent runs at; after a rejoin, the epoch it emptied itself for. */
  epoch?: number;
}

export interface LeaseGrant {
  durationMs: number;
  epoch: number;
  /**
   * The host was fenced since the agent last ran at `epoch`: before anything else it stops every
   * appliance it still has (their data stays), then heartbeats with the new epoch.
   */
  rejoin: boolean;
}

export type HeartbeatReply = LeaseGrant;

export interface EnsureCommand {
  applianceId: string;
  /** HA appliances are the ones the agent stops itself when it cannot renew its lease. */
  ha?: boolean;
  /** When the control plane stops waiting for the answer (ms since the epoch); see deadlines.ts. */
  deadlineAt?: number;
  virtualization: Virtualization;
  desired: 'running' | 'stopped';
  name: string;
  hostname: string;
  command: string[];
  requirements: Requirements;
  image: { id: string; format: 'rootfs-dir' | 'qcow2' | 'raw' };
  network: RuntimeNetwork;
  /** The appliance's further networks, in order (RuntimeSpec.moreNetworks). */
  moreNetworks?: RuntimeNetwork[];
  env: Record<string, string>;
  /** The user's login to create in the appliance; its password is sealed for this agent. */
  login?: SealedLogin | null;
  /** The configuration-management public key root accepts (only for an appliance with configuration groups). */
  configSshKey?: string | null;
  /** The kernel to boot (qemu, physical); resolved by the control plane from the appliance. */
  kernel?: RuntimeKernel | null;
  /** The physical server to boot (physical only); its BMC password is sealed for this agent. */
  machine?: RuntimeMachine | null;
  /** The health checks to run against the appliance's address while it runs. */
  checks?: HealthCheck[];
  /** A VM's NoCloud seed as the control plane decided it (qemu only; src/config/cloud-init-seed.ts). */
  cloudInit?: CloudInitPlan | null;
}

/** A RuntimeLogin as it travels: the password sealed for the receiving agent (transit-key.ts). */
export interface SealedLogin {
  user: string;
  sshPublicKey: string | null;
  passwordSealed: string | null;
}

export interface DestroyCommand {
  applianceId: string;
  deadlineAt?: number;
  virtualization: Virtualization;
}

export interface InspectCommand {
  applianceId: string;
  virtualization: Virtualization;
}

/**
 * Applies configuration groups to a running appliance with `ansible-playbook` over SSH as root
 * (src/agent/ansible-run.ts), in order, stopping at the first that fails. The private key of the
 * installation's configuration-management key is sealed for this agent (transit-key.ts).
 */
export interface ConfigureCommand {
  applianceId: string;
  deadlineAt?: number;
  virtualization: Virtualization;
  name: string;
  address: string;
  privateKeySealed: string;
  groups: Array<{ name: string; revision: number; playbook: string }>;
}

/** One entry per group that was run, in order; a group after a failed one is not run. */
export interface ConfigureReply {
  results: Array<{
    group: string;
    revision: number;
    state: 'applied' | 'failed';
    ok: number;
    changed: number;
    failed: number;
    message: string;
    /** What each task did, bounded (ansible-run.ts OUTPUT_LIMIT). */
    output: string;
  }>;
}

/** Turns an appliance's own data from one driver's form into another's (overlay dir ⇄ disk). */
export interface ConvertCommand {
  applianceId: string;
  deadlineAt?: number;
  image: { id: string; format: 'rootfs-dir' | 'qcow2' | 'raw' };
  from: Virtualization;
  to: Virtualization;
}

/**
 * One chunk of an appliance's console: from a byte offset, or the last `last` bytes. The reply
 * holds at most CONSOLE_CHUNK_BYTES, so it fits on the bus however big the console has grown;
 * a reader wanting more asks again from where the chunk ended (see AgentClient.console).
 */
export interface ConsoleCommand {
  applianceId: string;
  virtualization: Virtualization;
  start: { offset: number } | { last: number };
}

export interface ConsoleReply {
  /** The chunk's bytes, base64. */
  data: string;
  offset: number;
  /** The console's size when the chunk was read. */
  size: number;
}

/** 256 KiB of console is 342 KiB as base64: well within NATS's default 1 MiB per message. */
export const CONSOLE_CHUNK_BYTES = 256 * 1024;

/** A physical server's power, asked of the host whose network reaches its BMC (password sealed for it). */
export interface PowerCommand {
  machine: RuntimeMachine;
  action: MachinePowerAction;
}

export interface PowerReply {
  power: 'on' | 'off';
}

export type EnsureReply = Observation;

/**
 * A network's whole record set for its embedded DNS server (`dns` verb): the agent writes it
 * into the network's hosts directory and serves it on the gateway while it has the bridge.
 */
export type DnsZoneCommand = EmbeddedZone;
export type DnsZoneReply = ZoneServing;

/**
 * Power this host off (the power manager's way for a host woken by Wake-on-LAN, which has no BMC
 * to cut its power): the agent runs its configured shutdown command, only when it runs no
 * appliance and only when its operator configured one (FLEETYARD_AGENT_SHUTDOWN_COMMAND).
 */
export interface ShutdownCommand {
  reason: string;
}

export interface ShutdownReply {
  /** The command was started; the host goes quiet when the machine is off. */
  started: boolean;
}

/** Can this host reach another host's probe address (a second signal when that host is silent)? */
export interface ProbeCommand {
  address: string;
  port: number;
}

export interface ProbeReply {
  reachable: boolean;
  error: string | null;
}

/** The host's own figures in a metrics reply. */
export interface HostUsage {
  cpus: number;
  memoryTotalBytes: number;
  memoryAvailableBytes: number;
  load1: number;
  load5: number;
  load15: number;
}

/**
 * What the host and every appliance running on it have used, read on the host when asked (the
 * `metrics` verb, no body). An appliance is listed when its driver found it running; drivers
 * that read no usage (sim, physical: see MetricsCapability) are named in `withoutUsage`, so the
 * control plane can tell "not running" from "cannot say". About 300 bytes an appliance: a host
 * with thousands still fits one bus message.
 */
export interface MetricsReply {
  host: HostUsage;
  appliances: Array<{ applianceId: string; virtualization: Virtualization; usage: ApplianceUsage }>;
  withoutUsage: Virtualization[];
}

/**
 * The networks that span hosts which this host carries (an appliance of theirs is placed here),
 * each with the underlay addresses of the other hosts carrying it: the agent makes each uplink
 * current (src/network/vxlan.ts), and removes the uplink and bridge of every other spanning
 * network that no appliance port uses any more. Sent whenever hosts or placements change.
 */
export interface FabricCommand {
  networks: RuntimeNetwork[];
}

export interface FabricReply {
  ensured: string[];
  removed: string[];
}

export interface RuntimeEventNotice extends RuntimeEvent {
  hostId: string;
  virtualization: Virtualization;
}

export interface CheckResultNotice {
  hostId: string;
  applianceId: string;
  result: CheckResult;
}

export interface DiscoveredNotice {
  hostId: string;
  network: string;
  mac: string;
  ip: string;
  hostname: string | null;
}
