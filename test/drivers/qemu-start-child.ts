import type { RuntimeSpec } from '../../src/drivers/driver.ts';
import { QemuDriver } from '../../src/drivers/qemu/qemu-driver.ts';

/**
 * A qemu driver in a process of its own, as a control plane's agent would hold it, so a test can
 * kill it with SIGKILL while a VM is starting. Prints `starting` before the start and `running
 * PID` after it.
 * Usage: qemu-start-child.ts STATE_DIR SPEC_JSON
 */
const [stateDir, specJson] = process.argv.slice(2);
if (!stateDir || !specJson) throw new Error('usage: qemu-start-child.ts STATE_DIR SPEC_JSON');
const spec = JSON.parse(specJson) as RuntimeSpec;
const driver = new QemuDriver({ stateDir });
process.stdout.write('starting\n');
const obs = await driver.ensure(spec, 'running');
process.stdout.write(`running ${obs.pid}\n`);
