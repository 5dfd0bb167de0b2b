import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freeUdpPort, ipmitool } from '../physical/sim-bmc.ts';

const SCRIPTS = join(import.meta.dirname, '../../../scripts/bmc-sim');

/**
 * The BMC of a simulated host: OpenIPMI's `ipmi_sim` on 127.0.0.1 and a port of its own, whose
 * chassis is scripts/bmc-sim/host-chassis.sh. `powerOffHook` is the shell script run when the
 * power is cut (stop the host's agent and appliances), `powerOnHook` the one run at power on. The BMC can be killed (a dead BMC) and
 * started again on the same port.
 */
export interface HostBmc {
  bmc: { address: string; port: number; user: string; password: string };
  dir: string;
  /** The power actions the BMC received: '0' (off) or '1' (on), in order. */
  actions(): Promise<string[]>;
  power(): Promise<'on' | 'off'>;
  /** The BMC stops answering (its process ends); the machine's power stays as it was. */
  kill(): Promise<void>;
  /** The BMC answers again. */
  revive(): Promise<void>;
  stop(): Promise<void>;
}

export async function startHostBmc(opts: { name: string; dir: string; powerOffHook?: string; powerOnHook?: string }): Promise<HostBmc> {
  const dir = opts.dir;
  await mkdir(join(dir, 'bmc-state'), { recursive: true });
  if (opts.powerOffHook) await writeFile(join(dir, 'power-off.sh'), `#!/bin/sh\n${opts.powerOffHook}\n`, { mode: 0o755 });
  if (opts.powerOnHook) await writeFile(join(dir, 'power-on.sh'), `#!/bin/sh\n${opts.powerOnHook}\n`, { mode: 0o755 });
  const port = await freeUdpPort();
  const bmc = { address: '127.0.0.1', port, user: 'admin', password: `pw-${randomBytes(6).toString('hex')}` };
  const values: Record<string, string> = {
    NAME: opts.name,
    ADDRESS: bmc.address,
    PORT: String(port),
    GUID: randomBytes(16).toString('hex'),
    CHASSIS_SCRIPT: join(SCRIPTS, 'host-chassis.sh'),
    MACHINE_DIR: dir,
    USER: bmc.user,
    PASSWORD: bmc.password,
  };
  const template = await readFile(join(SCRIPTS, 'lan.conf.in'), 'utf8');
  await writeFile(join(dir, 'lan.conf'), template.replace(/@([A-Z_]+)@/g, (_, k: string) => values[k] ?? `@${k}@`));
  let child: ChildProcess | null = null;
  const start = async () => {
    const logFile = join(dir, 'ipmi_sim.log');
    const log = openSync(logFile, 'a');
    const c = spawn('ipmi_sim', ['-n', '-c', join(dir, 'lan.conf'), '-f', join(SCRIPTS, 'sim.emu'), '-s', join(dir, 'bmc-state')], { stdio: ['ignore', log, log] });
    closeSync(log);
    // Without a listener, a spawn failure (ipmi_sim not installed) would end the whole process.
    let spawnError: Error | undefined;
    c.once('error', (e) => {
      spawnError = e;
    });
    child = c;
    for (let i = 0; i < 100; i++) {
      if (spawnError) throw new Error(`ipmi_sim could not start: ${spawnError.message}`);
      if (c.exitCode !== null) throw new Error(`ipmi_sim exited: ${readFileSync(logFile, 'utf8')}`);
      if ((await ipmitool(bmc, 'chassis', 'power', 'status')).exitCode === 0) return;
      await sleep(50);
    }
    throw new Error(`the simulated BMC on port ${port} does not answer`);
  };
  const end = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null || c.signalCode !== null || c.pid === undefined) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    bmc,
    dir,
    async actions() {
      const text = await readFile(join(dir, 'actions.log'), 'utf8').catch(() => '');
      return text.split('\n').filter(Boolean).map((l) => l.split(' ')[0] as string);
    },
    async power() {
      return (await readFile(join(dir, 'power'), 'utf8').catch(() => '1')).trim() === '0' ? 'off' : 'on';
    },
    kill: end,
    revive: start,
    stop: end,
  };
}
