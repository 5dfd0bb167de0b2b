import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { assertId } from '../container/paths.ts';

/**
 * Where the qemu driver keeps things, all derived from the state dir and the appliance id, so a
 * restarted control plane (or a leak check) finds a VM without any other record:
 *
 *   STATE/vms/<id>/qemu.pid      written by QEMU itself (-pidfile), removed when it exits
 *   STATE/vms/<id>/qmp.sock      QMP for commands (short connections)
 *   STATE/vms/<id>/events.sock   QMP for the driver's event listener (one long connection)
 *   STATE/vms/<id>/console.log   the serial console, appended to by every boot
 *   STATE/vms/<id>/boot.json     this boot: when it started, where its console output begins
 *   STATE/vms/<id>/seed          the seed for QEMU's fw_cfg, only while QEMU starts (mode 0600)
 *   STATE/vms/<id>/cidata.img    the NoCloud seed volume (cidata.ts), while the VM runs (mode 0600)
 *
 * Invariant: the VM dir is made before any other host object of the appliance (tap, process)
 * and removed after all of them, so listing VM dirs finds every appliance with anything left.
 *
 * A unix socket path must fit in 108 bytes; when the VM dir is too deep for that, the sockets go
 * to /run/fleetyard/qmp under a name hashed from the VM dir (still derived, never recorded).
 */
export interface QemuPaths {
  vmsDir: string;
  vmDir(id: string): string;
  pidFile(id: string): string;
  qmpSocket(id: string): string;
  eventsSocket(id: string): string;
  consoleLog(id: string): string;
  bootFile(id: string): string;
  seedFile(id: string): string;
  cidataImage(id: string): string;
  /** A scratch file for the KVM probe. */
  probeImage: string;
}

const MAX_SOCKET_PATH = 100;
const SHORT_SOCKET_DIR = '/run/fleetyard/qmp';

export function qemuPaths(stateDir: string): QemuPaths {
  const vmsDir = join(stateDir, 'vms');
  const vmDir = (id: string) => join(vmsDir, assertId(id));
  const socket = (id: string, name: string) => {
    const inDir = join(vmDir(id), `${name}.sock`);
    if (Buffer.byteLength(inDir) <= MAX_SOCKET_PATH) return inDir;
    const hash = createHash('sha1').update(vmDir(id)).digest('hex').slice(0, 24);
    return join(SHORT_SOCKET_DIR, `${hash}-${name}.sock`);
  };
  return {
    vmsDir,
    vmDir,
    pidFile: (id) => join(vmDir(id), 'qemu.pid'),
    qmpSocket: (id) => socket(id, 'qmp'),
    eventsSocket: (id) => socket(id, 'events'),
    consoleLog: (id) => join(vmDir(id), 'console.log'),
    bootFile: (id) => join(vmDir(id), 'boot.json'),
    seedFile: (id) => join(vmDir(id), 'seed'),
    cidataImage: (id) => join(vmDir(id), 'cidata.img'),
    probeImage: join(stateDir, 'kvm-probe.img'),
  };
}

/** The QEMU process name (`-name`) of an appliance: how `pgrep -f` and the driver find it. */
export function qemuName(id: string): string {
  return `fleetyard-${assertId(id)}`;
}

/**
 * `fyq` + 10 hex: the appliance's tap device on its first network, within the kernel's 15-byte
 * name limit; on its further networks the same followed by the NIC's index (the guest's eth1 → …1).
 */
export function tapName(id: string, index = 0): string {
  return `fyq${digest(id).slice(0, 10)}${index === 0 ? '' : String(index)}`;
}

/** A VM has at most this many NICs (one per network): what teardown looks for. */
export const MAX_NICS = 8;

/**
 * A stable MAC: 52:54 (locally administered, unicast, QEMU's usual prefix) + 32 bits of the id's
 * hash, so a restarted VM keeps its MAC and neighbours' ARP caches stay right.
 */
export function macAddress(id: string, index = 0): string {
  // The first NIC keeps the MAC it always had; each further one hashes its index in.
  const h = index === 0 ? digest(id) : digest(`${id}#${index}`);
  return ['52', '54', h.slice(0, 2), h.slice(2, 4), h.slice(4, 6), h.slice(6, 8)].join(':');
}

function digest(id: string): string {
  return createHash('sha1').update(`qemu:${id}`).digest('hex');
}
