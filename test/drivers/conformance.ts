import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Driver, Observation, RuntimeSpec } from '../../src/drivers/driver.ts';

/**
 * The behaviour every driver owes its callers, as one node:test suite a driver's test file runs
 * against itself. It checks the contract in src/drivers/driver.ts: idempotent ensure and
 * destroy, inspect without side effects, restart keeps the clone, list forgets destroyed
 * appliances. Driver-specific checks (namespaces, reachability, limits) live in the driver's own
 * test file.
 */
export interface ConformanceOptions {
  /**
   * Writes something into the running appliance's root filesystem and reads it back, so the
   * suite can check that a clone's writes survive stop/start. Drivers without a real root
   * filesystem (sim) leave it out.
   */
  persistence?: {
    write(obs: Observation, spec: RuntimeSpec, content: string): Promise<void>;
    read(obs: Observation, spec: RuntimeSpec): Promise<string | null>;
  };
  /** Called after the suite with every appliance id it used, e.g. to remove clones. */
  cleanup?(applianceIds: string[]): Promise<void>;
}

export function runDriverConformance(
  name: string,
  makeDriver: () => Driver | Promise<Driver>,
  makeSpec: (applianceId: string) => RuntimeSpec | Promise<RuntimeSpec>,
  opts: ConformanceOptions = {},
): void {
  describe(`driver conformance: ${name}`, () => {
    let driver: Driver;
    const used: string[] = [];
    const newSpec = async (): Promise<RuntimeSpec> => {
      const id = `conf-${randomBytes(5).toString('hex')}`;
      used.push(id);
      return makeSpec(id);
    };

    before(async () => {
      driver = await makeDriver();
      const probe = await driver.probe();
      assert.equal(probe.available, true, `driver unavailable: ${probe.reason}`);
    });

    after(async () => {
      for (const id of used) await driver?.destroy(id).catch(() => undefined);
      await opts.cleanup?.(used);
    });

    it('reports an unknown appliance as absent', async () => {
      const obs = await driver.inspect(`conf-unknown-${randomBytes(5).toString('hex')}`);
      assert.equal(obs.state, 'absent');
      assert.equal(obs.pid, null);
    });

    it('ensure running twice starts once', async () => {
      const spec = await newSpec();
      const first = await driver.ensure(spec, 'running');
      assert.equal(first.state, 'running', first.message ?? '');
      const second = await driver.ensure(spec, 'running');
      assert.equal(second.state, 'running');
      assert.equal(second.pid, first.pid);
      assert.equal(second.startedAt, first.startedAt);
      const seen = await driver.inspect(spec.applianceId);
      assert.equal(seen.state, 'running');
      assert.equal(seen.pid, first.pid);
      assert.ok((await driver.list()).includes(spec.applianceId));
    });

    it('ensure stopped twice stops once and releases the runtime', async () => {
      const spec = await newSpec();
      await driver.ensure(spec, 'running');
      const first = await driver.ensure(spec, 'stopped');
      assert.equal(first.state, 'stopped');
      assert.equal(first.pid, null);
      const second = await driver.ensure(spec, 'stopped');
      assert.equal(second.state, 'stopped');
      const seen = await driver.inspect(spec.applianceId);
      // A driver that releases everything on stop cannot tell stopped from never started.
      assert.ok(seen.state === 'stopped' || seen.state === 'absent', seen.state);
      assert.equal(seen.pid, null);
    });

    it('ensure stopped of an appliance never started is fine', async () => {
      const spec = await newSpec();
      const obs = await driver.ensure(spec, 'stopped');
      assert.equal(obs.state, 'stopped');
    });

    it('restarts, keeping what was written to the clone', async () => {
      const spec = await newSpec();
      const first = await driver.ensure(spec, 'running');
      const marker = randomBytes(8).toString('hex');
      await opts.persistence?.write(first, spec, marker);
      await driver.ensure(spec, 'stopped');
      const again = await driver.ensure(spec, 'running');
      assert.equal(again.state, 'running');
      if (first.pid !== null) assert.notEqual(again.pid, first.pid);
      if (opts.persistence) assert.equal(await opts.persistence.read(again, spec), marker);
    });

    it('destroy twice is fine and list forgets the appliance', async () => {
      const spec = await newSpec();
      await driver.ensure(spec, 'running');
      await driver.destroy(spec.applianceId);
      await driver.destroy(spec.applianceId);
      assert.equal((await driver.inspect(spec.applianceId)).state, 'absent');
      assert.ok(!(await driver.list()).includes(spec.applianceId));
    });

    it('list is empty once every appliance is destroyed', async () => {
      for (const id of used) await driver.destroy(id);
      const left = (await driver.list()).filter((id) => used.includes(id));
      assert.deepEqual(left, []);
    });
  });
}
