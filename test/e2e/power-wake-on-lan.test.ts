import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Agent } from '../../src/agent/agent.ts';
import type { Appliance } from '../../src/domain/appliance.ts';
import type { FleetyardEvent } from '../../src/domain/event.ts';
import { FleetyardError } from '../../src/domain/errors.ts';
import type { Resource } from '../../src/domain/resource.ts';
import { magicPacket } from '../../src/power/wake-on-lan.ts';
import { startCloud, type CloudFixture } from '../support/cloud-fixture.ts';
import { simHostAgent } from '../support/ha/powered-sim-host.ts';

/**
 * A host without a BMC, powered by Wake-on-LAN: its agent refuses to shut its machine down while
 * it runs an appliance; idle, the power manager has its agent run its shutdown command, counts it
 * off once it has been silent for a lease, and wakes it with a magic packet (received here on
 * loopback, as the machine's network card would) when an appliance waits for capacity. The
 * "machine" is an in-process agent that stops when its shutdown command runs and starts again
 * when the packet for its MAC arrives. On a fake clock.
 */
const MINUTE = 60_000;
const LEASE_MS = 10_000;
const MAC = '52:54:00:fa:ce:01';
let cloud: CloudFixture;
let dir: string;
let card: Socket;
let agent: Agent | null = null;
let hostId: string;
let following = true;
let follower: Promise<void> | undefined;
const packets: Buffer[] = [];

before(async () => {
  cloud = await startCloud({
    drivers: [],
    controlPlane: {
      leaseMs: LEASE_MS,
      powerManagement: { enabled: true, idleMs: 10 * MINUTE, spareHosts: 0, leadMs: 5 * MINUTE, defaultBootMs: MINUTE, bootTimeoutMs: 60 * MINUTE, intervalMs: 200, retryMs: 1_000 },
    },
  });
  dir = mkdtempSync(join(tmpdir(), 'fy-wol-'));
  card = createSocket('udp4');
  await new Promise<void>((r) => card.bind(0, '127.0.0.1', () => r()));
  card.on('message', (m) => packets.push(m));
  const { token } = await cloud.admin.ok<{ token: string }>('POST', '/api/v1/hosts/join-tokens', { note: 'wol' });
  agent = agentOf(token);
  hostId = await agent.start();
  await cloud.admin.ok('PUT', `/api/v1/hosts/${hostId}/wake-on-lan`, { mac: MAC.toUpperCase(), address: '127.0.0.1', port: card.address().port });
  // The machine: its shutdown command cuts the power (the agent stops); the packet for its MAC powers it on.
  follower = (async () => {
    while (following) {
      if (agent && existsSync(join(dir, 'shutdown'))) {
        rmSync(join(dir, 'shutdown'));
        const a = agent;
        agent = null;
        await a.stop().catch(() => undefined);
      } else if (!agent && packets.some((p) => p.equals(magicPacket(MAC)))) {
        packets.length = 0;
        const a = agentOf();
        if (await a.start().then(() => true, () => false)) agent = a;
      }
      await sleep(100);
    }
  })();
});

after(async () => {
  following = false;
  await follower;
  await agent?.stop().catch(() => undefined);
  card?.close();
  await cloud?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const machineId = `wol-${randomBytes(4).toString('hex')}`;
function agentOf(joinToken?: string): Agent {
  const hostDir = join(dir, 'host');
  mkdirSync(hostDir, { recursive: true });
  return simHostAgent({ dir: hostDir, bus: cloud.cp.bus, storageDir: join(cloud.dataDir, 'storage', 'local'), machineId, clock: cloud.clock, joinToken, shutdownCommand: ['touch', join(dir, 'shutdown')] });
}

const hostRow = () => cloud.admin.ok<Resource>('GET', `/api/v1/resources/${hostId}`);
const powerOf = async () => (await hostRow()).status.power?.state ?? 'awake';
const advance = (ms: number) => cloud.clock.set(new Date(cloud.clock.now().getTime() + ms));

describe('a Wake-on-LAN host', () => {
  it('is refused a Wake-on-LAN setting that does not parse, with the field', async () => {
    for (const [body, path] of [
      [{ mac: '52:54:00:fa:ce', address: '127.0.0.1' }, '/mac'],
      [{ mac: MAC, address: 'broadcast.example' }, '/address'],
      [{ mac: MAC, address: '127.0.0.1', port: 70_000 }, '/port'],
    ] as const) {
      const r = await cloud.admin.call<{ error: { code: string; details?: { issues?: Array<{ path: string }> } } }>('PUT', `/api/v1/hosts/${hostId}/wake-on-lan`, body);
      assert.equal(r.status, 400);
      assert.equal(r.body.error.code, 'FY_VALIDATION');
      assert.ok(r.body.error.details?.issues?.some((i) => i.path === path), JSON.stringify(r.body.error));
    }
    assert.equal((await hostRow()).spec.wakeOnLan?.mac, MAC, 'stored lower-case, unchanged by the refusals');
  });

  it('is not shut down by its agent while it runs an appliance', async () => {
    const a = await cloud.admin.ok<Appliance>('POST', '/api/v1/appliances', { name: 'keeps-it-on', imageId: cloud.product.spec.imageId, requirements: { virtualization: 'sim' } });
    await cloud.admin.waitAppliances([a.id], (x) => x?.status.phase === 'running', 'running');
    await assert.rejects(cloud.cp.agents.shutdown(hostId, { reason: 'test' }), (e: unknown) => e instanceof FleetyardError && e.code === 'FY_RESOURCE_IN_USE');
    assert.equal(existsSync(join(dir, 'shutdown')), false, 'the shutdown command never ran');
    await cloud.admin.ok('DELETE', `/api/v1/appliances/${a.id}`);
    await cloud.admin.waitAppliances([a.id], (x) => x === undefined, 'deleted');
  });

  it('is shut down by its agent when idle, counted off once silent, and woken by a magic packet for waiting work', async () => {
    await cloud.until(async () => (await cloud.admin.ok<{ hosts: Array<{ hostId: string; reason: string }> }>('GET', '/api/v1/power/plan')).hosts.find((h) => h.hostId === hostId)?.reason.startsWith('idle for') ?? false, 'counted idle');
    advance(10 * MINUTE + MINUTE);
    await cloud.until(() => agent === null, 'its agent ran the shutdown command', 30_000);
    assert.equal(await powerOf(), 'powering-off', 'not off before it has been silent for a lease');
    advance(LEASE_MS + 1_000);
    await cloud.until(async () => (await powerOf()) === 'off', 'off once silent', 30_000);
    assert.equal((await hostRow()).status.lease?.state ?? 'live', 'live', 'an asleep host is not a failed one');

    const waiting = await cloud.admin.ok<Appliance>('POST', '/api/v1/appliances', { name: 'wakes-it', imageId: cloud.product.spec.imageId, requirements: { virtualization: 'sim' } });
    await cloud.admin.waitAppliances([waiting.id], (x) => x?.status.phase === 'running' && x.status.hostId === hostId, 'placed on the woken host', 60_000);
    assert.equal(await powerOf(), 'awake');
    const types = (await cloud.admin.ok<{ items: FleetyardEvent[] }>('GET', `/api/v1/events?objectId=${hostId}&limit=200`)).items.map((e): string => e.type);
    for (const t of ['host.wake-on-lan-set', 'host.powering-off', 'host.powered-off', 'host.powering-on', 'host.woke']) assert.ok(types.includes(t), `${t} in ${types.join(', ')}`);
    await cloud.admin.ok('DELETE', `/api/v1/appliances/${waiting.id}`);
    await cloud.admin.waitAppliances([waiting.id], (x) => x === undefined, 'deleted');
  });
});
