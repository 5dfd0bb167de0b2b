import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MachineRecords } from '../src/drivers/physical/machine-record.ts';
import { exec } from '../src/host/exec.ts';
import { fileSize, readFrom } from '../src/host/files.ts';
import { makeMetalFixture, type MetalFixture } from '../test/support/physical/metal-fixture.ts';
import { nowMs } from './clock.ts';
import { bootFetches } from './file-server-log.ts';
import { roundMs, roundSummary, summarize, type Summary } from './stats.ts';

/** Timed boots, one after the other, each stopped and destroyed before the next. */
export const PXE_SAMPLES = 3;
const MAC = '52:54:00:fb:00:01';
const LOG_BYTES = 1_048_576;

export interface PxeBootSample {
  id: string;
  /** The whole `ensure(spec, 'running')` call. */
  ensureMs: number;
  /** From the power-on request to the BMC until ensure returned. */
  powerOnToRunningMs: number;
  /** Consecutive phases of the ensure call, in ms (see measurePxeBoot). */
  phases: Record<string, number>;
}

export interface PxeBootResult {
  ensure: Summary;
  powerOnToRunning: Summary;
  phases: Record<string, Summary>;
  samples: PxeBootSample[];
  errors: string[];
  /** Processes, namespace or files of the lab still on the host after cleanup. */
  residue: string[];
}

/**
 * Power-on → running for a network-booted server, on simulated bare metal made of real parts,
 * set up as test/drivers/physical.test.ts does (test/support/physical/metal-fixture.ts): a
 * network namespace with the boot network (pxe-lab.ts), an ipmi_sim BMC whose chassis script starts a diskless
 * QEMU (TCG) that PXE-boots through its iPXE ROM (test/support/physical/sim-bmc.ts), and the real
 * PhysicalDriver with its boot service (dnsmasq and the HTTP file server in the namespace). The
 * boot services are started before the first boot, off the clock, as a running agent has them.
 *
 * Per boot (a new appliance id each time, on the same server): `ensure(spec, 'running')` is
 * timed; the driver's machine record says when it asked the BMC to power on (`bootRequestedAt`)
 * and when the appliance first answered on port 80 (`startedAt`); QEMU's pidfile says when the
 * machine came on; the file server's log (file-server.log in the boot dir) when each file of the
 * boot was served. Then `ensure(spec, 'stopped')` and `destroy`.
 *
 * Phases of ensure (consecutive):
 *   prepare   ensure entered → power-on asked (root tarball export, iPXE script, DHCP entry, bootdev)
 *   power     → the machine's QEMU started (ipmitool → ipmi_sim → chassis script → QEMU)
 *   ipxe      → its iPXE script served (firmware, iPXE, DHCP, boot.ipxe, chain)
 *   kernel    → vmlinuz and initrd served (the later of the two)
 *   root      → root.tar.gz served (kernel boot, initramfs, network, download)
 *   answering → port 80 answered (unpack, switch_root, the image's init; polled every 250 ms)
 *   return    → ensure returned
 *
 * Everything (BMC, QEMU, daemons, namespace, files) goes in `finally`, and what is still there
 * afterwards is reported as residue. (The fixture's boot deadline, 120 s, only turns a hang into
 * an error.)
 */
export async function measurePxeBoot(signal: AbortSignal): Promise<PxeBootResult> {
  const result: PxeBootResult = { ensure: summarize([]), powerOnToRunning: summarize([]), phases: {}, samples: [], errors: [], residue: [] };
  let fx: MetalFixture | undefined;
  try {
    fx = await makeMetalFixture('fleetyard-bench-pxe');
    const { driver, storage } = fx;
    const server = await fx.addServer('pm1', MAC);
    const probe = await driver.probe();
    if (!probe.available) throw new Error(`the physical driver is unavailable: ${probe.reason}`);
    await driver.startBootServices();
    const records = new MachineRecords(join(fx.stateDir, 'driver'));
    const log = join(fx.bootDir(), 'file-server.log');
    for (let i = 0; i < PXE_SAMPLES; i++) {
      signal.throwIfAborted();
      const id = `bench-pxe-${i}`;
      const spec = await fx.specFor(id, server, i + 1);
      try {
        const logFrom = await fileSize(log);
        const t0 = nowMs();
        const obs = await driver.ensure(spec, 'running');
        const t1 = nowMs();
        if (obs.state !== 'running') throw new Error(`${id} is ${obs.state}: ${obs.message ?? ''}`);
        const rec = await records.read(id);
        if (!rec?.bootRequestedAt || !rec.startedAt) throw new Error(`${id}: the machine record has no boot times`);
        const powerOn = Date.parse(rec.bootRequestedAt);
        const answered = Date.parse(rec.startedAt);
        const machineOn = (await stat(join(server.dir, 'qemu.pid'))).mtimeMs;
        const served = bootFetches(await readFrom(log, logFrom, LOG_BYTES), server.mac, id);
        const kernelServed = Math.max(served.kernel, served.initrd);
        result.samples.push({
          id,
          ensureMs: roundMs(t1 - t0),
          powerOnToRunningMs: roundMs(t1 - powerOn),
          phases: {
            prepare: roundMs(powerOn - t0),
            power: roundMs(machineOn - powerOn),
            ipxe: roundMs(served.script - machineOn),
            kernel: roundMs(kernelServed - served.script),
            root: roundMs(served.root - kernelServed),
            answering: roundMs(answered - served.root),
            return: roundMs(t1 - answered),
          },
        });
      } finally {
        const release = async () => {
          await driver.ensure(spec, 'stopped');
          await driver.destroy(id);
          await storage.removeClone(id);
        };
        await release().catch((e: unknown) => result.errors.push(`pxe: releasing ${id}: ${e instanceof Error ? e.message : String(e)}`));
      }
    }
  } catch (e) {
    result.errors.push(`pxe: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    // The fixture destroys, stops and deletes everything, whatever failed, and answers what is left.
    const netns = fx?.lab.netns;
    const left = await fx?.cleanup().catch((e: unknown) => {
      result.errors.push(`pxe cleanup: ${e instanceof Error ? e.message : String(e)}`);
      return [];
    });
    for (const line of left ?? []) result.residue.push(`process ${line.trim()}`);
    if (netns && (await exec('ip', ['netns', 'list'])).stdout.includes(netns)) result.residue.push(`netns ${netns}`);
    if (fx && existsSync(fx.stateDir)) result.residue.push(`dir ${fx.stateDir}`);
  }
  const s = result.samples;
  result.ensure = roundSummary(summarize(s.map((x) => x.ensureMs)));
  result.powerOnToRunning = roundSummary(summarize(s.map((x) => x.powerOnToRunningMs)));
  for (const phase of Object.keys(s[0]?.phases ?? {})) {
    result.phases[phase] = roundSummary(summarize(s.map((x) => x.phases[phase] as number)));
  }
  return result;
}
