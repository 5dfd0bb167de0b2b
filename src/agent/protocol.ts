import type { Requirements } from '../domain/appliance.ts';
import type { HostFacts } from '../domain/host.ts';
import type { Virtualization } from '../domain/meta.ts';
import type { MachinePowerAction, Observation, RuntimeEvent, RuntimeKernel, RuntimeMachine, RuntimeNetwork } from '../drivers/driver.ts';

/**
 * The messages between the control plane and an agent. Commands go to one agent
 * (`fy.agent.<hostId>.<verb>`), registrations and heartbeats go to the control plane. Every
 * command carries the whole desired state it needs, so the agent keeps no copy of the database
 * and a repeated command is harmless.
 */
export const subjects = {
  register: 'fy.control.hosts.register',
  heartbeat: 'fy.control.hosts.heartbeat',
  /** A machine that network-booted unknown, reported by the host whose boot service saw it. */
  discovered: 'fy.control.machines.discovered',
  /** Something that happened to a running appliance on its own (see RuntimeEvent in driver.ts). */
  runtimeEvent: 'fy.control.appliances.runtime-event',
  agent: (hostId: string, verb: 'ensure' | 'destroy' | 'inspect' | 'console' | 'list' | 'convert' | 'power') => `fy.agent.${hostId}.${verb}`,
} as const;

export interface RegisterRequest {
  /** Stable identity of the machine (its machine-id), so a restarted agent gets the same host. */
  machineId: string;
  facts: HostFacts;
}

export interface RegisterReply {
  hostId: string;
}

export interface Heartbeat {
  hostId: string;
  facts: HostFacts;
}

export interface EnsureCommand {
  applianceId: string;
  virtualization: Virtualization;
  desired: 'running' | 'stopped';
  name: string;
  hostname: string;
  command: string[];
  requirements: Requirements;
  image: { id: string; format: 'rootfs-dir' | 'qcow2' | 'raw' };
  network: RuntimeNetwork;
  env: Record<string, string>;
  /** The user's login to create in the appliance; its password is sealed for this agent. */
  login?: SealedLogin | null;
  /** The kernel to boot (qemu, physical); resolved by the control plane from the appliance. */
  kernel?: RuntimeKernel | null;
  /** The physical server to boot (physical only); its BMC password is sealed for this agent. */
  machine?: RuntimeMachine | null;
}

/** A RuntimeLogin as it travels: the password sealed for the receiving agent (transit-key.ts). */
export interface SealedLogin {
  user: string;
  sshPublicKey: string | null;
  passwordSealed: string | null;
}

export interface DestroyCommand {
  applianceId: string;
  virtualization: Virtualization;
}

export interface InspectCommand {
  applianceId: string;
  virtualization: Virtualization;
}

/** Turns an appliance's own data from one driver's form into another's (overlay dir ⇄ disk). */
export interface ConvertCommand {
  applianceId: string;
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

export interface RuntimeEventNotice extends RuntimeEvent {
  hostId: string;
  virtualization: Virtualization;
}

export interface DiscoveredNotice {
  hostId: string;
  network: string;
  mac: string;
  ip: string;
  hostname: string | null;
}
