import { FleetyardError } from '../../domain/errors.ts';
import { ipv4Addressing, type RuntimeKernel, type RuntimeNetwork } from '../driver.ts';

/**
 * The kernel command line of one network boot: the kernel's own (from its registry entry) plus
 * what the initramfs of scripts/build-test-kernel.sh reads:
 *
 *   fy.root=URL          the root tarball to fetch into RAM and switch_root into
 *   fy.ip=ADDR/PREFIX    eth0's address: the appliance's reserved address, set statically so
 *                        the appliance does not depend on DHCP after the boot
 *   fy.hostname=NAME
 *
 * Deliberately absent: `fy.gw` (it adds a default route, and boot networks are never routed:
 * invariant 7) and `fy.seed` (see root-export.ts: the seed travels in the root tarball).
 */
export function bootCmdline(kernel: RuntimeKernel, opts: { rootUrl: string; network: RuntimeNetwork; hostname: string }): string {
  if (!/^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/.test(opts.hostname)) {
    throw new FleetyardError('FY_VALIDATION', 'a network-booted machine needs a host name of letters, digits, dots and hyphens', {
      hostname: opts.hostname,
    });
  }
  const base = kernel.cmdline.trim();
  if (/\bfy\.(root|ip|gw|hostname|seed)=/.test(base)) {
    throw new FleetyardError('FY_VALIDATION', `the command line of kernel ${kernel.name} sets fy.* parameters the driver owns`);
  }
  const { address, prefixLength } = ipv4Addressing(opts.network);
  return [base, `fy.root=${opts.rootUrl}`, `fy.ip=${address}/${prefixLength}`, `fy.hostname=${opts.hostname}`]
    .filter((s) => s.length > 0)
    .join(' ');
}
