import type { CloudInitPlan } from '../config/cloud-init-seed.ts';
import { FleetyardError } from '../domain/errors.ts';
import type { ChunkStart, FileChunk } from '../host/files.ts';
import type { Requirements } from '../domain/appliance.ts';
import type { Virtualization } from '../domain/meta.ts';

/**
 * The driver boundary. A driver turns a RuntimeSpec into a running appliance on this host and back.
 * The required interface is three idempotent operations; anything else is an optional capability
 * a driver may implement (see the Has* guards below). Drivers depend on nothing but this file,
 * the domain types, and the host-level helpers in src/network and src/storage.
 *
 * Idempotency is the contract that makes crash recovery work: `ensure` on an appliance that is
 * already in the wanted state changes nothing and reports it; `destroy` of something absent is a
 * no-op. Every name a driver creates on the host is derived from the appliance id, so a retry
 * after a crash finds what the earlier attempt made instead of making a second copy.
 */

export interface RuntimeNetwork {
  name: string;
  bridge: string;
  /**
   * The appliance's IPv4 address and prefix length, e.g. 169.254.64.5 and 22, and the bridge's;
   * all three null on an IPv6-only network (then `ipv6` is set).
   */
  address: string | null;
  prefixLength: number | null;
  gateway: string | null;
  /** The network's MTU (absent: the kernel's default, 1500). */
  mtu?: number;
  /**
   * Set when the network spans hosts: its VNI, this host's underlay address (null when the host
   * reported none: it then refuses the network) and the underlay addresses of the other hosts
   * that carry it (src/network/vxlan.ts).
   */
  vxlan?: RuntimeVxlan | null;
  /** The appliance's IPv6 address on the network, when the network has an IPv6 pool. */
  ipv6?: RuntimeIpv6 | null;
  /** The network's DNS zone: the appliance's resolver is then the gateway, its search domain the zone. */
  dnsZone?: string | null;
}

/**
 * The IPv4 addressing of a network that must have it: a further network, or the first network of
 * a VM or a physical server (they boot over IPv4). Placement never gives them an IPv6-only one;
 * this says so if one came anyway.
 */
export function ipv4Addressing(n: RuntimeNetwork): { address: string; prefixLength: number; gateway: string } {
  if (n.address === null || n.prefixLength === null || n.gateway === null) {
    throw new FleetyardError('FY_VALIDATION', `network ${n.name} has no IPv4 pool`, { field: 'network', network: n.name });
  }
  return { address: n.address, prefixLength: n.prefixLength, gateway: n.gateway };
}

/** An IPv6 address beside the IPv4 one, e.g. fd00:80::2/64 with the bridge's fd00:80::1 as gateway. */
export interface RuntimeIpv6 {
  address: string;
  prefixLength: number;
  gateway: string;
}

export interface RuntimeVxlan {
  vni: number;
  local: string | null;
  peers: string[];
  /**
   * Other live hosts exist. A host without an underlay address carries the network on its own
   * bridge alone only while it is the only host (a single machine); otherwise it refuses it.
   */
  spansHosts: boolean;
}

/** Where the appliance's root filesystem comes from: an O(1) clone made by the storage. */
export interface RuntimeRoot {
  format: 'rootfs-dir' | 'qcow2' | 'raw';
  /** The master image (read-only): a directory for rootfs-dir, a file otherwise. */
  imagePath: string;
  /** The appliance's own clone: for rootfs-dir a directory holding upper/ and work/. */
  clonePath: string;
}

/**
 * The user's access to create inside the appliance before it is reported running (see seed.ts
 * for how it travels). `user` is a POSIX login name the caller derives (e.g. from the owner's
 * name); a driver validates it but does not invent one. `password` is plaintext only in transit
 * (sealed for the agent) and in the driver's memory: the seed carries its SHA-512 crypt hash
 * only; it never goes into a file, an error, a log or an observation. Either credential may be
 * null.
 */
export interface RuntimeLogin {
  user: string;
  sshPublicKey: string | null;
  password: string | null;
}

/** The boot kernel of a VM or network-booted machine (containers share the host's kernel). */
export interface RuntimeKernel {
  name: string;
  vmlinuzPath: string;
  initrdPath: string | null;
  cmdline: string;
}

/**
 * The physical server an appliance runs on (the `physical` driver only): the NIC it boots from
 * and its BMC. The BMC password stays sealed (src/identity/secret-box.ts) all the way to the
 * driver, which unseals it with the function its host was configured with, only to hand it to
 * ipmitool on a pipe; it never appears in a command line, an error, a log or an observation.
 */
export interface RuntimeMachine {
  /** The physical resource's id. */
  resourceId: string;
  /** The MAC of the NIC that network-boots; the DHCP reservation and iPXE script are keyed by it. */
  mac: string;
  bmc: { address: string; port: number; user: string; passwordSealed: string };
}

export interface RuntimeSpec {
  applianceId: string;
  name: string;
  hostname: string;
  command: string[];
  requirements: Requirements;
  root: RuntimeRoot;
  /** The first network: eth0, and the appliance's default route (inside it, never on the host). */
  network: RuntimeNetwork;
  /** Further networks, one interface each after the first (eth1, eth2, …), in order; no route. */
  moreNetworks?: RuntimeNetwork[];
  /** Extra environment for the appliance's first process. */
  env: Record<string, string>;
  /** When set, `ensure(spec, 'running')` reports running only once this login works. */
  login?: RuntimeLogin | null;
  /** The configuration-management public key root is to accept (see SeedInput in seed.ts). */
  configSshKey?: string | null;
  /** For drivers that boot a kernel (qemu, physical); null for containers. */
  kernel?: RuntimeKernel | null;
  /** For the physical driver: which server to boot and how to reach its BMC; null otherwise. */
  machine?: RuntimeMachine | null;
  /**
   * What the control plane decided of a VM's NoCloud seed (src/config/cloud-init-seed.ts): the
   * groups' cloud-config, the fqdn, the networks. A VM driver without one makes the seed from
   * the hostname, login and network alone.
   */
  cloudInit?: CloudInitPlan | null;
}

export type RuntimeState = 'running' | 'stopped' | 'absent' | 'failed';

export interface Observation {
  state: RuntimeState;
  /** Host PID of the appliance's first process, when running. */
  pid: number | null;
  message: string | null;
  startedAt: string | null;
  /** Driver-specific handle stored in the appliance's status (opaque outside the driver). */
  handle: Record<string, unknown>;
}

export interface Driver {
  readonly virtualization: Virtualization;
  /** Whether this host can run the driver at all (binaries present, kernel features work). */
  probe(): Promise<{ available: boolean; reason: string | null }>;
  /** Brings the appliance to `desired`; 'stopped' releases all runtime (process, cgroup, namespace, mount) but keeps the clone. */
  ensure(spec: RuntimeSpec, desired: 'running' | 'stopped'): Promise<Observation>;
  /** What is there now, without changing anything. */
  inspect(applianceId: string): Promise<Observation>;
  /** Removes the runtime of the appliance; the storage removes its clone. Absent is fine. */
  destroy(applianceId: string): Promise<void>;
  /** IDs of appliances this driver has anything of on the host (for recovery and leak checks). */
  list(): Promise<string[]>;
}

/**
 * Optional: read the appliance's console output (stdout/stderr or serial console), a bounded
 * chunk at a time: a console may be any size, a message on the bus may not.
 */
export interface ConsoleCapability {
  readConsole(applianceId: string, start: ChunkStart, maxBytes: number): Promise<FileChunk>;
}

/**
 * What a running appliance has used, read on the host (cgroups, /proc, the host side of its
 * network port, QMP). Counters count from the appliance's start, so they begin again at a
 * restart. Network is the appliance's view: what it received and sent. A figure the driver cannot
 * know is null.
 */
export interface ApplianceUsage {
  cpuSeconds: number | null;
  memoryBytes: number | null;
  /** The most it may use; null when unlimited or unknown. */
  memoryLimitBytes: number | null;
  networkReceiveBytes: number | null;
  networkTransmitBytes: number | null;
}

/** Optional: resource usage of an appliance; null when it does not run here. */
export interface MetricsCapability {
  metrics(applianceId: string): Promise<ApplianceUsage | null>;
}

/**
 * Optional: a machine's power through its BMC, whether or not an appliance runs on it (the power
 * state of every physical server, and waking or sleeping idle ones). Answers the power state
 * after the action.
 */
export interface PowerCapability {
  machinePower(machine: RuntimeMachine, action: MachinePowerAction): Promise<'on' | 'off'>;
}

export type MachinePowerAction = 'status' | 'on' | 'off';

export const hasConsole = (d: Driver): d is Driver & ConsoleCapability =>
  typeof (d as Partial<ConsoleCapability>).readConsole === 'function';
export const hasMetrics = (d: Driver): d is Driver & MetricsCapability =>
  typeof (d as Partial<MetricsCapability>).metrics === 'function';
export const hasPower = (d: Driver): d is Driver & PowerCapability =>
  typeof (d as Partial<PowerCapability>).machinePower === 'function';

/** A machine that network-booted without being known, as a boot service saw it. */
export interface DiscoveredMachine {
  network: string;
  mac: string;
  ip: string;
  hostname: string | null;
}

/** Optional: report machines that network-boot unknown (openQRM's idle-image discovery). */
export interface DiscoveryCapability {
  onDiscovered(listener: (m: DiscoveredMachine) => void): Promise<() => void>;
}

/** Something that happened to a running appliance on its own (a guest powering off, a reset). */
export interface RuntimeEvent {
  applianceId: string;
  /** The runtime's own name for it, e.g. QEMU's SHUTDOWN, POWERDOWN, RESET, STOP. */
  event: string;
  data: Record<string, unknown>;
  /** When the runtime reported it (ISO 8601). */
  at: string;
}

/** Optional: report runtime events; the agent forwards them to the control plane. */
export interface RuntimeEventCapability {
  onRuntimeEvent(listener: (e: RuntimeEvent) => void): () => void;
}

export const hasRuntimeEvents = (d: Driver): d is Driver & RuntimeEventCapability =>
  typeof (d as Partial<RuntimeEventCapability>).onRuntimeEvent === 'function';

export const hasDiscovery = (d: Driver): d is Driver & DiscoveryCapability =>
  typeof (d as Partial<DiscoveryCapability>).onDiscovered === 'function';
