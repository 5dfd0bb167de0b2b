import { readFrom, tail } from '../../host/files.ts';
import { FleetyardError } from '../../domain/errors.ts';
import { loginOutcome } from '../seed.ts';
import { isAlive } from '../../host/processes.ts';

/**
 * Reading a VM's serial console (console.log, appended to by every boot), and what a boot has
 * said on it so far. The guest's tty writes CRLF; lines are compared without the CR.
 */

export type BootState = { state: 'up' } | { state: 'failed'; reason: string } | { state: 'pending' };

/**
 * Whether this boot's console (`text`, from the boot's offset on) shows the appliance up: the
 * line `fleetyard-appliance <hostname> up`, and before it `fleetyard-login <user> ready` when a
 * login was asked for (see ../seed.ts). Only whole lines count.
 */
export function bootState(text: string, hostname: string, user: string | null): BootState {
  const clean = text.replaceAll('\r', '');
  if (user !== null) {
    const login = loginOutcome(clean, user);
    if (login.state === 'failed') return { state: 'failed', reason: `login of ${user} failed: ${login.reason}` };
    if (login.state === 'pending') return { state: 'pending' };
  }
  const lines = clean.split('\n');
  lines.pop(); // a line without its newline may still be being written
  return lines.includes(`fleetyard-appliance ${hostname} up`) ? { state: 'up' } : { state: 'pending' };
}

/**
 * Waits until this boot's console shows the appliance up. Fails with FY_DRIVER_FAILED and the
 * console's tail when the guest reports a failed login, QEMU exits, or nothing happens within
 * `timeoutMs` (which only turns a hang into an error; a healthy boot takes a fraction of it).
 */
export async function awaitBoot(opts: {
  applianceId: string;
  consoleLog: string;
  fromOffset: number;
  hostname: string;
  user: string | null;
  pid: number;
  timeoutMs: number;
}): Promise<void> {
  const { applianceId, consoleLog } = opts;
  const fail = async (why: string) =>
    new FleetyardError('FY_DRIVER_FAILED', `VM ${applianceId} did not come up: ${why}; console:\n${await tail(consoleLog, 2048)}`, {
      applianceId,
      op: 'boot',
    });
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const state = bootState(await readFrom(consoleLog, opts.fromOffset, 262_144), opts.hostname, opts.user);
    if (state.state === 'up') return;
    if (state.state === 'failed') throw await fail(state.reason);
    if (!(await isAlive(opts.pid))) throw await fail('QEMU exited (the guest powered off or crashed)');
    if (Date.now() >= deadline) throw await fail(`no sign of it within ${opts.timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}




