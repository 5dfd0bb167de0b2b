import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The boot kernel set the VM tests use (Debian's cloud kernel and the busybox initramfs), built
 * once per machine by the project's own script and kept under the system's temp dir; the script
 * rebuilds it only when the script or busybox changed.
 */
export interface TestKernel {
  vmlinuz: string;
  initrd: string;
  cmdline: string;
}

export function testKernel(): TestKernel {
  const dir = join(tmpdir(), 'fleetyard-test-kernel');
  mkdirSync(dir, { recursive: true });
  execFileSync('bash', [join(import.meta.dirname, '../../scripts/build-test-kernel.sh'), dir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const cmdline = readFileSync(join(dir, 'cmdline'), 'utf8').trim();
  return { vmlinuz: join(dir, 'vmlinuz'), initrd: join(dir, 'initrd.gz'), cmdline };
}
