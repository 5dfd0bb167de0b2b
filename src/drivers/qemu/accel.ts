import { constants } from 'node:fs';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CommandError, execAllowFail } from '../../host/exec.ts';

/**
 * Which accelerator VMs get. KVM is used only when a tiny run proves it works: a 512-byte boot
 * sector that writes to QEMU's isa-debug-exit port, run with exactly the flags KVM VMs get
 * (`-accel kvm -cpu host`), must make QEMU exit with the code it wrote within a few seconds.
 * /dev/kvm being there proves nothing: on hosts whose KVM is itself virtualised it can exist and
 * still abort QEMU on the first MSR write or hang the guest. Everything else runs on TCG, slower
 * but everywhere.
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
