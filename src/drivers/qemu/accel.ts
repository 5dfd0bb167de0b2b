import { constants } from 'node:fs';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CommandError, execAllowFail } from '../../host/exec.ts';

/**
 * Which accelerator VMs get. KVM is used only when test runs prove it works, with exactly the
 * flags KVM VMs get (`-accel kvm -cpu host`):
 *
 * 1. At start (cheap): a 512-byte boot sector that writes to QEMU's isa-debug-exit port must make
 *    QEMU exit with the code it wrote within a few seconds.
 * 2. Before the first VM (confirmKvm): the VM's own kernel, booted without an initrd, must get
 *    as far as its panic for want of a root filesystem, and QEMU (-no-reboot) exit, in time.
 *
 * /dev/kvm being there proves nothing: on hosts whose KVM is itself virtualised it can exist and
 * still abort QEMU on the first MSR write, or run the boot sector and then hang a real kernel
 * right after its real-mode setup (both seen). Everything else runs on TCG, slower but everywhere.
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

// mov al, 0x31; out 0xf4, al; hlt; jmp $-1 — isa-debug-exit turns the 0x31 into exit (0x31<<1)|1.
const BOOT_SECTOR = Buffer.concat([Buffer.from([0xb0, 0x31, 0xe6, 0xf4, 0xf4, 0xeb, 0xfd]), Buffer.alloc(503), Buffer.from([0x55, 0xaa])]);
const EXPECTED_EXIT = 0x63;
const PROBE_TIMEOUT_MS = 8_000;
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
  const why = stderr.replace(/\s+/g, ' ').trim();
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
