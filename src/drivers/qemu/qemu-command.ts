import { FleetyardError } from '../../domain/errors.ts';
import { ipv4Addressing, type RuntimeSpec } from '../driver.ts';
import { accelArgs, type Accel } from './accel.ts';
import { MAX_NICS, macAddress, qemuName, tapName, type QemuPaths } from './paths.ts';

/**
 * The QEMU command line of an appliance, as a pure function of its spec (tested without QEMU).
 *
 * - The kernel boots straight from the host (`-kernel/-initrd/-append`): the kernel record's
 *   command line, then the parameters the initramfs of scripts/build-test-kernel.sh reads
 *   (`fy.root=/dev/vda`, `fy.ip`, `fy.gw`, `fy.hostname`, `fy.marker`).
 * - The seed (hostname and login, ../seed.ts) goes in as the fw_cfg file `opt/fleetyard/seed`
 *   rather than `fy.seed=` on the command line: QEMU's argv is readable by every user of the host
 *   and /proc/cmdline by every user of the guest, and the seed may hold a password.
 * - The disk is the appliance's clone, virtio (`/dev/vda`); after it, read-only, the NoCloud seed
 *   volume (`/dev/vdb`, labelled CIDATA, ./cidata.ts) for images that run cloud-init. The NIC is
 *   virtio-net on the appliance's tap with a MAC derived from the id, without the iPXE option ROM
 *   (nothing boots from the network). A VM on further networks has one more NIC on each one's tap,
 *   in order after the first, so the guest sees them as eth1, eth2, …; their addresses travel in
 *   the seed (`more_interfaces`).
 * - virtio-rng feeds the guest the host's entropy (a fresh guest has none to make SSH keys).
 * - The serial console is appended to console.log; two QMP sockets (commands, events).
 * - `-daemonize` + `-pidfile`: QEMU detaches into its own session, so VMs outlive the control
 *   plane, and returns only once its sockets listen. `-no-reboot`: a guest reboot or panic ends
 *   the process instead of looping.
 * - Memory is at least MIN_MEMORY_MIB: Debian's cloud kernel does not boot in less.
 */
export const MIN_MEMORY_MIB = 128;

/** Kernel command lines are limited (2048 bytes on x86) and split on spaces. */
const MAX_CMDLINE = 2048;

export function qemuArgs(spec: RuntimeSpec, paths: QemuPaths, accel: Accel): string[] {
  const id = spec.applianceId;
  const fail = (why: string) => new FleetyardError('FY_DRIVER_FAILED', `cannot start VM ${id}: ${why}`, { applianceId: id });
  const kernel = spec.kernel;
  if (!kernel) throw fail('the appliance has no kernel to boot');
  if (spec.root.format !== 'qcow2' && spec.root.format !== 'raw') throw fail(`a VM boots a disk, not a ${spec.root.format}`);
  // A VM's own network set-up (fy.ip) is IPv4: placement never puts one on an IPv6-only network.
  const v4 = ipv4Addressing(spec.network);
  for (const [what, value] of [
    ['hostname', spec.hostname],
    ['address', v4.address],
    ['gateway', v4.gateway],
  ] as const) {
    if (!/^[A-Za-z0-9.:_-]+$/.test(value)) throw fail(`the ${what} "${value}" cannot go on a kernel command line`);
  }
  const append = [
    kernel.cmdline.trim(),
    'fy.marker',
    'fy.root=/dev/vda',
    `fy.ip=${v4.address}/${v4.prefixLength}`,
    `fy.gw=${v4.gateway}`,
    `fy.hostname=${spec.hostname}`,
  ]
    .filter((s) => s.length > 0)
    .join(' ');
  if (Buffer.byteLength(append) >= MAX_CMDLINE) throw fail('the kernel command line is too long');

  const memoryMiB = Math.max(spec.requirements.memoryMiB, MIN_MEMORY_MIB);
  const name = qemuName(id);
  return [
    ...['-name', `${name},process=${name}`],
    ...['-nodefaults', '-no-user-config', '-display', 'none', '-no-reboot'],
    ...accelArgs(accel),
    ...['-m', String(memoryMiB), '-smp', String(spec.requirements.cpu)],
    ...['-kernel', kernel.vmlinuzPath],
    ...(kernel.initrdPath ? ['-initrd', kernel.initrdPath] : []),
    ...['-append', append],
    ...['-drive', `file=${opt(spec.root.clonePath)},format=${spec.root.format},if=virtio,cache=writeback`],
    ...['-drive', `file=${opt(paths.cidataImage(id))},format=raw,if=virtio,readonly=on`],
    ...['-netdev', `tap,id=net0,ifname=${tapName(id)},script=no,downscript=no`],
    ...['-device', `virtio-net-pci,netdev=net0,mac=${macAddress(id)},romfile=`],
    ...furtherNics(id, (spec.moreNetworks ?? []).length, fail),
    // Entropy from the host: a fresh guest has none, and SSH host keys need it at first boot.
    ...['-object', 'rng-random,id=rng0,filename=/dev/urandom', '-device', 'virtio-rng-pci,rng=rng0'],
    ...['-chardev', `file,id=console,path=${opt(paths.consoleLog(id))},append=on`, '-serial', 'chardev:console'],
    ...['-qmp', `unix:${opt(paths.qmpSocket(id))},server=on,wait=off`],
    ...['-qmp', `unix:${opt(paths.eventsSocket(id))},server=on,wait=off`],
    ...['-fw_cfg', `name=opt/fleetyard/seed,file=${opt(paths.seedFile(id))}`],
    ...['-pidfile', paths.pidFile(id), '-daemonize'],
  ];
}

/** One NIC per further network, after the first and in order (the guest's eth1, eth2, …). */
function furtherNics(id: string, count: number, fail: (why: string) => Error): string[] {
  if (count >= MAX_NICS) throw fail(`a VM has at most ${MAX_NICS} NICs`);
  return Array.from({ length: count }, (_, i) => i + 1).flatMap((n) => [
    ...['-netdev', `tap,id=net${n},ifname=${tapName(id, n)},script=no,downscript=no`],
    ...['-device', `virtio-net-pci,netdev=net${n},mac=${macAddress(id, n)},romfile=`],
  ]);
}

/** A value inside a QEMU option list: commas are doubled. */
function opt(value: string): string {
  return value.replaceAll(',', ',,');
}
