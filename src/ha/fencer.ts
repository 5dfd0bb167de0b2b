import { execAllowFail } from '../host/exec.ts';
import { Ipmi, type BmcAccess } from '../drivers/physical/ipmi.ts';

export type FencePower = 'on' | 'off';

/**
 * How the control plane powers a failed host off through its BMC, and reads its power to confirm.
 * Two methods: Debian's `fence_ipmilan` (fence-agents, what Pacemaker clusters use) and
 * Fleetyard's own ipmitool path (src/drivers/physical/ipmi.ts). Both take the password on their
 * standard input, never on a command line.
 */
export interface Fencer {
  readonly method: 'fence_ipmilan' | 'ipmitool';
  status(bmc: BmcAccess): Promise<FencePower>;
  off(bmc: BmcAccess): Promise<void>;
}

/**
 * `fence_ipmilan` reads `key=value` lines on stdin when it has no arguments (as Pacemaker's
 * fencer calls it). Exit 0 is success (status: ON), 2 is status OFF, anything else a failure.
 * `power_wait` is how long it waits after the action before checking the state; the default 2 s
 * is for real BMCs that switch slowly, and the confirmation below reads the state again anyway.
 */
export class FenceIpmilan implements Fencer {
  readonly method = 'fence_ipmilan' as const;

  constructor(private readonly opts: { command?: string; powerWaitSeconds?: number; powerTimeoutSeconds?: number } = {}) {}

  async status(bmc: BmcAccess): Promise<FencePower> {
    const r = await this.run(bmc, 'status');
    if (r.exitCode === 0 && /Status: ON/.test(r.stdout)) return 'on';
    if (r.exitCode === 2 && /Status: OFF/.test(r.stdout)) return 'off';
    throw new Error(`fence_ipmilan status of ${bmc.address}:${bmc.port} failed (exit ${r.exitCode}): ${firstLine(r.stderr || r.stdout)}`);
  }

  async off(bmc: BmcAccess): Promise<void> {
    const r = await this.run(bmc, 'off');
    if (r.exitCode !== 0) throw new Error(`fence_ipmilan off of ${bmc.address}:${bmc.port} failed (exit ${r.exitCode}): ${firstLine(r.stderr || r.stdout)}`);
  }

  private run(bmc: BmcAccess, action: 'status' | 'off') {
    const lines = [
      `ip=${bmc.address}`,
      `ipport=${bmc.port}`,
      `username=${bmc.user}`,
      `password=${bmc.password}`,
      'lanplus=1',
      'cipher=3',
      `action=${action}`,
      `power_wait=${this.opts.powerWaitSeconds ?? 1}`,
      `power_timeout=${this.opts.powerTimeoutSeconds ?? 10}`,
      '',
    ];
    // A pipe, not a file: the agent reads its options with sys.stdin line by line.
    return execAllowFail(this.opts.command ?? 'fence_ipmilan', [], { input: lines.join('\n'), timeoutMs: 40_000 });
  }
}

/** Fleetyard's own path: ipmitool `chassis power off` and `status`. */
export class IpmitoolFencer implements Fencer {
  readonly method = 'ipmitool' as const;

  status(bmc: BmcAccess): Promise<FencePower> {
    return new Ipmi(bmc).powerStatus();
  }

  off(bmc: BmcAccess): Promise<void> {
    return new Ipmi(bmc).powerOff();
  }
}

/** The first line that says something (Python's deprecation warnings say nothing of the fence). */
const firstLine = (s: string) =>
  s.split('\n').find((l) => l.trim() !== '' && !/DeprecationWarning|^\s+from /.test(l))?.trim().slice(0, 300) ?? '';
