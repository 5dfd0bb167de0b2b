import { setTimeout as sleep } from 'node:timers/promises';
import type { BootService } from '../../boot/boot-service.ts';
import { FleetyardError } from '../../domain/errors.ts';
import type { RuntimeLogin } from '../driver.ts';
import type { Ipmi } from './ipmi.ts';

/**
 * Waits until a network-booted appliance is up. A server has no console this host can read, so
 * "up" is seen from the network: its address answers HTTP on port 80 (the base image's init
 * starts busybox httpd last, after applying the seed), and, when a login was asked for, an SSH
 * server greets on port 22 (the init starts one only once the login is applied).
 *
 * Fails with FY_DRIVER_FAILED when the machine powers itself off (the initramfs does that when
 * it cannot fetch its root), when port 80 answers but SSH does not come within LOGIN_GRACE_MS,
 * or when nothing answers within `timeoutMs`. The deadline only turns a hang into an error.
 */
export async function awaitUp(opts: {
  applianceId: string;
  address: string;
  login: RuntimeLogin | null;
  service: BootService;
  ipmi: Ipmi;
  timeoutMs: number;
}): Promise<void> {
  const { applianceId, address, service } = opts;
  const fail = (why: string) =>
    new FleetyardError('FY_DRIVER_FAILED', `physical start of ${applianceId} failed: ${why}`, {
      applianceId,
      op: 'boot',
      address,
    });
  const deadline = Date.now() + Math.max(0, opts.timeoutMs);
  let nextPowerCheck = Date.now() + POWER_CHECK_MS;
  while (!(await service.answersHttp(address))) {
    if (Date.now() >= deadline) throw fail(`${address} did not answer on port 80 within ${Math.round(opts.timeoutMs / 1000)} s`);
    if (Date.now() >= nextPowerCheck) {
      nextPowerCheck = Date.now() + POWER_CHECK_MS;
      if ((await opts.ipmi.powerStatus()) === 'off') throw fail('the machine powered off while booting');
    }
    await sleep(POLL_MS);
  }
  if (opts.login === null) return;
  const loginDeadline = Date.now() + LOGIN_GRACE_MS;
  while (!(await service.answersSsh(address))) {
    if (Date.now() >= loginDeadline) throw fail(`the login of ${opts.login.user} was not applied: no SSH server on ${address}`);
    await sleep(POLL_MS);
  }
}

const POLL_MS = 250;
const POWER_CHECK_MS = 5_000;
/** The init starts SSH before HTTP, so SSH missing a little after HTTP answers means it failed. */
const LOGIN_GRACE_MS = 5_000;
