import { constants } from 'node:fs';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CommandError, execAllowFail } from '../../host/exec.ts';

/**
 * Which accelerator VMs get. KVM is used only when test runs prove it works, with exactly the
 * flags KVM VMs get (`-accel kvm -cpu host`):
 *
 * 1. At start (cheap): a 512-byte boot sector (kvm-probe.asm) that enters long mode as a kernel
 *    does, updates its page table with a locked cmpxchg16b and writes to QEMU's isa-debug-exit
 *    port must make QEMU exit with the code it wrote within a few seconds.
 * 2. Before the first VM (confirmKvm): the VM's own kernel, booted without an initrd, must get
 *    as far as its panic for want of a root filesystem, and QEMU (-no-reboot) exit, in time.
 *
 * /dev/kvm being there proves nothing: on hosts whose KVM is itself virtualised it can exist and
 * still abort QEMU on the first MSR write, or stop a guest whose page-table update its emulator
 * cannot do (both seen; step 1's cmpxchg16b catches the second in seconds instead of a kernel
 * boot's timeout). Everything else runs on TCG, slower but everywhere.
 */
export type Accel = 'kvm' | 'tcg';

export interface AccelChoice {
  accel: Accel;
  /** Why: shown in the probe's answer and the VM's handle. */
  reason: string;
}

/** What the accelerator adds to QEMU's command line. */
export function accelArgs(accel: Accel): string[] {
  return accel === 'kvm' ? ['-accel', 'kvm', '-cpu', 'host'] : ['-accel', 'tcg'];
}

// kvm-probe.asm, assembled: long mode, cpuid, rdtsc, a locked cmpxchg16b on the page table, exit 0x31.
const PROBE_CODE = [
  0xfa, 0x31, 0xc0, 0x8e, 0xd8, 0x8e, 0xc0, 0x8e, 0xd0, 0xbc, 0x00, 0x7c, 0xbf, 0x00, 0x10, 0xb9, 0x00, 0x18, 0xf3, 0xab,
  0x66, 0xc7, 0x06, 0x00, 0x10, 0x03, 0x20, 0x00, 0x00, 0x66, 0xc7, 0x06, 0x00, 0x20, 0x03, 0x30, 0x00, 0x00, 0x66, 0xc7,
  0x06, 0x00, 0x30, 0x83, 0x00, 0x00, 0x00, 0x0f, 0x01, 0x16, 0xb0, 0x7c, 0x66, 0xb8, 0xa0, 0x00, 0x00, 0x00, 0x0f, 0x22,
  0xe0, 0x66, 0xb8, 0x00, 0x10, 0x00, 0x00, 0x0f, 0x22, 0xd8, 0x66, 0xb9, 0x80, 0x00, 0x00, 0xc0, 0x0f, 0x32, 0x66, 0x0d,
  0x00, 0x01, 0x00, 0x00, 0x0f, 0x30, 0x0f, 0x20, 0xc0, 0x66, 0x0d, 0x01, 0x00, 0x00, 0x80, 0x0f, 0x22, 0xc0, 0xea, 0x67,
  0x7c, 0x08, 0x00, 0x66, 0xb8, 0x10, 0x00, 0x8e, 0xd8, 0x8e, 0xd0, 0xb8, 0x01, 0x00, 0x00, 0x00, 0x0f, 0xa2, 0x0f, 0x31,
  0x31, 0xc0, 0x31, 0xd2, 0x31, 0xdb, 0x31, 0xc9, 0xf0, 0x48, 0x0f, 0xc7, 0x0c, 0x25, 0x10, 0x10, 0x00, 0x00, 0xb0, 0x31,
  0xe6, 0xf4, 0xf4, 0xeb, 0xfd, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x9a, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x92, 0x00, 0x00, 0x17, 0x00, 0x98, 0x7c,
];
const BOOT_SECTOR = Buffer.concat([Buffer.from(PROBE_CODE), Buffer.alloc(510 - PROBE_CODE.length), Buffer.from([0x55, 0xaa])]);
const EXPECTED_EXIT = 0x63;
/** The boot sector exits in well under a second; a stopped or hung guest gives up after this. */
const PROBE_TIMEOUT_MS = 3_000;
/** A kernel reaches its root-mount panic in well under a second on KVM (about 2 s on TCG). */
const KERNEL_PROBE_TIMEOUT_MS = 15_000;

/** Decides once per driver: `wanted` forces one (tests, operators), 'auto' probes. */
export async function chooseAccel(wanted: Accel | 'auto', probeImage: string): Promise<AccelChoice> {
  if (wanted !== 'auto') return { accel: wanted, reason: `${wanted} was asked for` };
  try {
    await access('/dev/kvm', constants.R_OK | constants.W_OK);
  } catch {
    return { accel: 'tcg', reason: 'no usable /dev/kvm' };
  }
  await mkdir(dirname(probeImage), { recursive: true });
  await writeFile(probeImage, BOOT_SECTOR);
  const args = [
    ...['-nodefaults', '-no-user-config', '-display', 'none', '-m', '16', ...accelArgs('kvm')],
    ...['-drive', `file=${probeImage},format=raw,if=ide`, '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04'],
  ];
  const r = await execAllowFail('qemu-system-x86_64', args, { timeoutMs: PROBE_TIMEOUT_MS }).catch((e: Error) => e);
  if (!(r instanceof Error) && r.exitCode === EXPECTED_EXIT) return { accel: 'kvm', reason: 'a KVM test run worked' };
  const stderr = r instanceof CommandError ? r.stderr : r instanceof Error ? r.message : `exit ${r.exitCode}: ${r.stderr}`;
  // QEMU's first error line says what happened ("KVM internal error. Suberror: 1", "emulation failure").
  const why = (stderr.split('\n').find((l) => /error|fail/i.test(l)) ?? stderr).replace(/\s+/g, ' ').trim();
  return { accel: 'tcg', reason: `KVM does not work here: ${why.length > 240 ? `…${why.slice(-240)}` : why}` };
}

/**
 * Step 2 above: boots `vmlinuz` under KVM without an initrd. It works when the kernel panics
 * for want of a root (`panic=-1` reboots at once and `-no-reboot` turns that into QEMU's exit);
 * a hang, an abort or no panic on the console is KVM not working. Answers the choice to keep.
 */
export async function confirmKvm(vmlinuz: string): Promise<AccelChoice> {
  const args = [
    ...['-nodefaults', '-no-user-config', '-display', 'none', '-no-reboot', '-m', '128', ...accelArgs('kvm')],
    ...['-kernel', vmlinuz, '-append', 'console=ttyS0 panic=-1', '-serial', 'stdio'],
  ];
  const r = await execAllowFail('qemu-system-x86_64', args, { timeoutMs: KERNEL_PROBE_TIMEOUT_MS }).catch((e: Error) => e);
  if (!(r instanceof Error) && r.exitCode === 0 && /Kernel panic/.test(r.stdout)) {
    return { accel: 'kvm', reason: 'KVM test runs worked (a boot sector, then the kernel up to its root mount)' };
  }
  const what =
    r instanceof Error
      ? r.message
      : /Kernel panic/.test(r.stdout)
        ? `QEMU exited ${r.exitCode} after the panic`
        : `the kernel did not get to its root mount within ${KERNEL_PROBE_TIMEOUT_MS / 1000} s`;
  return { accel: 'tcg', reason: `KVM runs a boot sector but not a kernel here: ${what.slice(0, 240)}` };
}
