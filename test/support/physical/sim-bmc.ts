import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { withSecretStdin } from '../../../src/drivers/physical/secret-stdin.ts';
import { execAllowFail } from '../../../src/host/exec.ts';

/**
 * A simulated bare-metal server: OpenIPMI's `ipmi_sim` as its BMC (a real IPMI 2.0 endpoint on
 * 127.0.0.1 and a port of its own), whose chassis control is scripts/bmc-sim/chassis-power.sh:
 * powering on starts a diskless QEMU that network-boots from the tap it is given. Everything
 * the machine has lives in `dir` (configuration, BMC state, QEMU pid, serial console).
 */
export interface SimServer {
  name: string;
  mac: string;
  bmc: { address: string; port: number; user: string; password: string };
  dir: string;
  /** The QEMU process's pid while the machine is powered on, else null (read from the host). */
  qemuPid(): Promise<number | null>;
  /** What the machine printed on its serial console so far. */
  serialLog(): Promise<string>;
  /** Powers the machine off (kills QEMU) and stops the BMC; safe to call twice. */
  stop(): Promise<void>;
}

const SCRIPTS = join(import.meta.dirname, '../../../scripts/bmc-sim');

export async function startSimServer(opts: {
  name: string;
  dir: string;
  netns: string | null;
  tap: string;
  mac: string;
  memoryMiB?: number;
}): Promise<SimServer> {
  const dir = opts.dir;
  await mkdir(join(dir, 'bmc-state'), { recursive: true });
  const port = await freeUdpPort();
  const bmc = { address: '127.0.0.1', port, user: 'admin', password: `pw-${randomBytes(6).toString('hex')}` };
  await writeFile(
    join(dir, 'machine.env'),
    [`NETNS='${opts.netns ?? ''}'`, `TAP='${opts.tap}'`, `MAC='${opts.mac}'`, `MEMORY_MIB='${opts.memoryMiB ?? 256}'`, '']
      .join('\n'),
  );
  const values: Record<string, string> = {
    NAME: opts.name,
    ADDRESS: bmc.address,
    PORT: String(port),
    GUID: randomBytes(16).toString('hex'),
    CHASSIS_SCRIPT: join(SCRIPTS, 'chassis-power.sh'),
    MACHINE_DIR: dir,
    USER: bmc.user,
    PASSWORD: bmc.password,
  };
  const template = await readFile(join(SCRIPTS, 'lan.conf.in'), 'utf8');
  await writeFile(join(dir, 'lan.conf'), template.replace(/@([A-Z_]+)@/g, (_, k: string) => values[k] ?? `@${k}@`));
  // Its output goes to a file, not a pipe: the QEMU it starts would inherit the pipe.
  const logFile = join(dir, 'ipmi_sim.log');
  const log = openSync(logFile, 'a');
  const child = spawn(
    'ipmi_sim',
    ['-n', '-c', join(dir, 'lan.conf'), '-f', join(SCRIPTS, 'sim.emu'), '-s', join(dir, 'bmc-state')],
    { stdio: ['ignore', log, log] },
  );
  closeSync(log);
  const stderr = () => readFileSync(logFile, 'utf8');
  const server: SimServer = {
    name: opts.name,
    mac: opts.mac,
    bmc,
    dir,
    qemuPid: () => qemuPid(dir),
    serialLog: () => readFile(join(dir, 'serial.log'), 'utf8').catch(() => ''),
    async stop() {
      await execAllowFail(join(SCRIPTS, 'chassis-power.sh'), [dir, 'set', 'power', '0']);
      await stopChild(child);
    },
  };
  try {
    await waitForBmc(bmc, child, stderr);
  } catch (e) {
    await server.stop();
    throw e;
  }
  return server;
}

/** Runs ipmitool against a simulated BMC the way an operator would (password on stdin). */
export function ipmitool(bmc: SimServer['bmc'], ...command: string[]) {
  const args = ['-I', 'lanplus', '-C', '3', '-N', '1', '-R', '2', '-H', bmc.address, '-p', String(bmc.port), '-U', bmc.user];
  return withSecretStdin(`${bmc.password}\n`, (stdin) =>
    execAllowFail('ipmitool', [...args, '-f', '/dev/stdin', ...command], { stdio: [stdin, 'pipe', 'pipe'] }),
  );
}

async function waitForBmc(bmc: SimServer['bmc'], child: ChildProcess, stderr: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`ipmi_sim exited: ${stderr()}`);
    const r = await ipmitool(bmc, 'chassis', 'power', 'status');
    if (r.exitCode === 0) return;
    await sleep(50);
  }
  throw new Error(`the simulated BMC on port ${bmc.port} does not answer: ${stderr()}`);
}

async function qemuPid(dir: string): Promise<number | null> {
  const pid = Number((await readFile(join(dir, 'qemu.pid'), 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 1) return null;
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (stat === null || stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z') return null;
  return pid;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(2000)]);
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await exited;
  }
}

/** A UDP port nobody listens on right now (the kernel's pick, released at once). */
export async function freeUdpPort(): Promise<number> {
  const sock = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(0, '127.0.0.1', resolve);
  });
  const { port } = sock.address();
  await new Promise<void>((resolve) => sock.close(() => resolve()));
  return port;
}
