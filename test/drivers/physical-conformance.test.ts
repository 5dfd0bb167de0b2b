import assert from 'node:assert/strict';
import { after } from 'node:test';
import { makeMetalFixture } from '../support/physical/metal-fixture.ts';
import { runDriverConformance } from './conformance.ts';

/**
 * The driver conformance suite (./conformance.ts) for `physical`, on simulated bare metal (see
 * physical.test.ts for the parts). Every appliance of the suite gets a server of its own, so one
 * stays running while the next boots, as appliances on different servers would: five network
 * boots, ≈ 35 s on the 2-core reference machine under TCG. Everything goes in `after`.
 */
const fixture = makeMetalFixture('fy-physical-conf');
// Awaited by the suite's driver factory; this only keeps an early failure from being "unhandled".
fixture.catch(() => undefined);

after(async () => {
  const left = await (await fixture.catch(() => null))?.cleanup();
  assert.deepEqual(left ?? [], [], 'processes left behind');
});

let next = 0;
runDriverConformance(
  'physical',
  async () => (await fixture).driver,
  async (applianceId) => {
    const fx = await fixture;
    const n = ++next;
    const server = await fx.addServer(`cf${n}`, `52:54:00:f1:01:${n.toString(16).padStart(2, '0')}`);
    return fx.specFor(applianceId, server, 20 + n);
  },
);
