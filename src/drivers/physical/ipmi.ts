import { setTimeout as sleep } from 'node:timers/promises';
import { CommandError, execAllowFail } from '../../host/exec.ts';
import { withSecretStdin } from './secret-stdin.ts';

/** How long a power change that reported failure is watched for having happened after all. */
const CONFIRM_MS = 15_000;

export interface IpmiOptions {
  /** How long a failed power change is watched for having happened after all (default 15 s). */
  confirmMs?: number;
}

/**
 * A server's BMC through `ipmitool -I lanplus` (IPMI 2.0 over the network). There is no
 * maintained IPMI library for Node.js, and ipmitool is what every operator already trusts.
 *
 * - `-C 3` names the cipher suite (RAKP-HMAC-SHA1, HMAC-SHA1-96, AES-CBC-128) instead of asking
 *   for the list first: without it every call waits 10 s on "Unable to Get Channel Cipher
 *   Suites" with the simulated BMC and some real ones; with it a call takes about 40 ms.
 * - The password goes to ipmitool as its standard input, read with `-f /dev/stdin`, so it is
 *   never in a command line (`ps`) or an environment (`/proc/<pid>/environ`). Node's stdin pipe
 *   is a socket, which /dev/stdin cannot reopen, so the stdin is a file on tmpfs that is
 *   unlinked before ipmitool starts: only the open descriptor reaches it (see secret-stdin.ts).
 * - `-N 1 -R 2`: one-second timeout, two retries: an unreachable BMC fails in seconds.
 * - A BMC may take longer than that to act on a power change (a real one while its machine's
 *   power supply settles; the simulated one while its machine's QEMU starts), and ipmitool
 *   then reports "Unable to set Chassis Power Control" although the change happens. So a power
 *   on or off that fails is not believed until the power state, read back for a while, says it
 *   did not happen (IPMI's power control is idempotent: asking again is harmless).
 *
 * Errors carry the BMC's address, the command and ipmitool's message, never the password.
 */
export interface BmcAccess {
  address: string;
  port: number;
  user: string;
  /** Plaintext, held only for the call. */
  password: string;
}

export type PowerState = 'on' | 'off';

export class Ipmi {
  constructor(
    private readonly bmc: BmcAccess,
    private readonly opts: IpmiOptions = {},
  ) {
    if (!/^[A-Za-z0-9.:_-]{1,253}$/.test(bmc.address)) throw new RangeError(`not a BMC address: ${bmc.address}`);
    if (!Number.isInteger(bmc.port) || bmc.port < 1 || bmc.port > 65535) throw new RangeError(`not a BMC port: ${bmc.port}`);
    if (bmc.user.length === 0 || bmc.user.length > 16 || /[\x00-\x1f]/.test(bmc.user)) {
      throw new RangeError('a BMC user name has 1 to 16 printable characters');
    }
    // IPMI 2.0 passwords are at most 20 bytes; a line break would end the one ipmitool reads.
    if (bmc.password.length === 0 || bmc.password.length > 20 || /[\x00-\x1f\x7f]/.test(bmc.password)) {
      throw new RangeError('a BMC password has 1 to 20 printable characters');
    }
  }

  async powerStatus(): Promise<PowerState> {
    const out = await this.run(['chassis', 'power', 'status']);
    if (/Chassis Power is on/i.test(out)) return 'on';
    if (/Chassis Power is off/i.test(out)) return 'off';
    throw new CommandError('ipmitool', this.shown(['chassis', 'power', 'status']), 0, `unexpected answer: ${out.trim()}`);
  }

  async powerOn(): Promise<void> {
    await this.confirmed('on', () => this.run(['chassis', 'power', 'on']));
  }

  async powerOff(): Promise<void> {
    await this.confirmed('off', () => this.run(['chassis', 'power', 'off']));
  }

  /** A hard reset: the machine reboots at once, without a power-off in between. */
  async powerReset(): Promise<void> {
    await this.run(['chassis', 'power', 'reset']);
  }

  /** Boot from the network next time (this is what makes a machine run its iPXE script). */
  async bootFromNetwork(): Promise<void> {
    await this.run(['chassis', 'bootdev', 'pxe']);
  }

  /**
   * Runs a power change; when it fails, reads the power state back every half second for up to
   * `confirmMs` and returns once it is `wanted`. Otherwise the change's own error stands.
   */
  private async confirmed(wanted: PowerState, change: () => Promise<unknown>): Promise<void> {
    try {
      await change();
    } catch (e) {
      const until = Date.now() + (this.opts.confirmMs ?? CONFIRM_MS);
      while (Date.now() < until) {
        const now = await this.powerStatus().catch(() => null);
        if (now === wanted) return;
        await sleep(500);
      }
      throw e;
    }
  }

  private async run(command: string[]): Promise<string> {
    const args = [
      '-I',
      'lanplus',
      '-C',
      '3',
      '-N',
      '1',
      '-R',
      '2',
      '-H',
      this.bmc.address,
      '-p',
      String(this.bmc.port),
      '-U',
      this.bmc.user,
      '-f',
      '/dev/stdin',
      ...command,
    ];
    const r = await withSecretStdin(`${this.bmc.password}\n`, (stdin) =>
      execAllowFail('ipmitool', args, { stdio: [stdin, 'pipe', 'pipe'], timeoutMs: 20_000 }),
    );
    if (r.exitCode !== 0) throw new CommandError('ipmitool', this.shown(command), r.exitCode, r.stderr || r.stdout);
    return r.stdout;
  }

  /** How a call is shown in errors: which BMC and what was asked, no credentials. */
  private shown(command: string[]): string[] {
    return [`${this.bmc.address}:${this.bmc.port}`, ...command];
  }
}
