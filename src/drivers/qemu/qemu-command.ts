import { FleetyardError } from '../../domain/errors.ts';
import type { RuntimeSpec } from '../driver.ts';
import { accelArgs, type Accel } from './accel.ts';
import { macAddress, qemuName, tapName, type QemuPaths } from './paths.ts';

/**
 * The QEMU command line of an appliance, as a pure function of its spec (tested without QEMU).
 *
 * - The kernel boots straight from the host (`-kernel/-initrd/-append`): the kernel record's
 *   command line, then the parameters the initramfs of scripts/build-test-kernel.sh reads
 *   (`fy.root=/dev/vda`, `fy.ip`, `fy.gw`, `fy.hostname`, `fy.marker`).
 * - The seed (hostname and login, ../seed.ts) goes in as the fw_cfg file `opt/fleetyard/seed`
 *   rather than `fy.seed=` on the command line: QEMU's argv is readable by every user of the host
 *   and /proc/cmdline by every user of the guest, and the seed may hold a password.
 * - The disk is the appliance's clone, virtio; the NIC is virtio-net on the appliance's tap with
 *   a MAC derived from the id, without the iPXE option ROM (nothing boots from the network).
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
  for (const [what, value] of [
    ['hostname', spec.hostname],
    ['address', spec.network.address],
    ['gateway', spec.network.gateway],
  ] as const) {
    if (!/^[A-Za-z0-9.:_-]+$/.test(value)) throw fail(`the ${what} "${value}" cannot go on a kernel command line`);
  }
  const append = [
    kernel.cmdline.trim(),
    'fy.marker',
    'fy.root=/dev/vda',
    `fy.ip=${spec.network.address}/${spec.network.prefixLength}`,
    `fy.gw=${spec.network.gateway}`,
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
    ...['-netdev', `tap,id=net0,ifname=${tapName(id)},script=no,downscript=no`],
    ...['-device', `virtio-net-pci,netdev=net0,mac=${macAddress(id)},romfile=`],
    // Entropy from the host: a fresh guest has none, and SSH host keys need it at first boot.
    ...['-object', 'rng-random,id=rng0,filename=/dev/urandom', '-device', 'virtio-rng-pci,rng=rng0'],
    ...['-chardev', `file,id=console,path=${opt(paths.consoleLog(id))},append=on`, '-serial', 'chardev:console'],
    ...['-qmp', `unix:${opt(paths.qmpSocket(id))},server=on,wait=off`],
    ...['-qmp', `unix:${opt(paths.eventsSocket(id))},server=on,wait=off`],
    ...['-fw_cfg', `name=opt/fleetyard/seed,file=${opt(paths.seedFile(id))}`],
    ...['-pidfile', paths.pidFile(id), '-daemonize'],
  ];
}

/** A value inside a QEMU option list: commas are doubled. */
function opt(value: string): string {
  return value.replaceAll(',', ',,');
}
