import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { CloudRequest } from '../../src/domain/cloud-request.ts';
import type { Product } from '../../src/domain/product.ts';
import type { Resource } from '../../src/domain/resource.ts';
import type { User } from '../../src/domain/user.ts';
import { SimDriver } from '../../src/drivers/sim/sim-driver.ts';
import { TestApi } from '../support/api.ts';
import { startCloud, type CloudFixture } from '../support/cloud-fixture.ts';
import { createPostgresDatabase } from '../support/engines.ts';

/**
 * 10 users submit 100 requests at once against capacity for exactly 30: exactly 30 are approved,
 * the rest end in no-capacity holding nothing, and no host is promised more than it has — on
 * SQLite and on PostgreSQL, where approvals really run in parallel transactions.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`approvals racing for capacity (${engine})`, () => {
    let cloud: CloudFixture | undefined;
    let drop: (() => Promise<void>) | undefined;

    after(async () => {
      await cloud?.close();
      await drop?.();
    });

    it('approves exactly as many as fit and leaves the rest with nothing', async () => {
      let databaseUrl: string | undefined;
      if (engine === 'postgres') {
        const db = await createPostgresDatabase();
        databaseUrl = db.url;
        drop = db.drop;
      }
      // Memory is what binds: cpu is effectively unlimited.
      cloud = await startCloud({ drivers: [new SimDriver({})], cpuAllocationRatio: 10_000, databaseUrl, policy: { autoApproveMaxCcu: 1_000_000 } });
      const c = cloud;
      const [host] = (await c.admin.ok<{ items: Resource[] }>('GET', '/api/v1/resources?type=physical')).items;
      assert.ok(host);
      const unitMiB = Math.floor(host.spec.capacity.memoryMiB / 30);
      const product = await c.admin.ok<Product>('PATCH', `/api/v1/products/${c.product.id}`, {
        sizes: [{ name: 'slice', cpu: 1, memoryMiB: unitMiB, diskMiB: 0 }],
      });

      const users = await Promise.all(
        Array.from({ length: 10 }, async (_, i) => {
          const name = `racer${i}`;
          const password = `pw-${name}-long-enough`;
          const user = await c.admin.ok<User>('POST', '/api/v1/users', { name, email: `${name}@example.test`, password });
          await c.admin.ok('POST', '/api/v1/ccu/grants', { userId: user.id, ccu: 1_000_000, note: 'plenty' });
          const login = await fetch(`${c.cp.url}/api/v1/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ name, password }),
          });
          const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
          const { csrfToken } = (await login.json()) as { csrfToken: string };
          const token = await fetch(`${c.cp.url}/api/v1/tokens`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
            body: JSON.stringify({ name: 'race' }),
          }).then((r) => r.json() as Promise<{ token: string }>);
          return new TestApi(c.cp.url, token.token);
        }),
      );

      const t0 = c.clock.now().getTime();
      const order = { productId: product.id, size: 'slice', startAt: new Date(t0 + DAY).toISOString(), endAt: new Date(t0 + DAY + 2 * HOUR).toISOString() };
      const submitted = await Promise.all(
        users.flatMap((api) => Array.from({ length: 10 }, () => api.ok<CloudRequest>('POST', '/api/v1/cloud/requests', order))),
      );
      assert.equal(submitted.length, 100);

      let all: CloudRequest[] = [];
      await c.until(async () => {
        all = await c.cp.store.read.requests.all();
        return all.length === 100 && all.every((r) => r.status.state !== 'new');
      }, 'every request decided', 60_000);
      const byState = new Map<string, number>();
      for (const r of all) byState.set(r.status.state, (byState.get(r.status.state) ?? 0) + 1);
      assert.equal(byState.get('approved'), 30, JSON.stringify(Object.fromEntries(byState)));
      assert.equal(byState.get('no-capacity'), 70, JSON.stringify(Object.fromEntries(byState)));

      const reservations = await c.cp.store.read.cloud.reservations();
      assert.equal(reservations.length, 30, 'one reservation per approved unit, none for the others');
      const approved = new Set(all.filter((r) => r.status.state === 'approved').map((r) => r.id));
      assert.ok(reservations.every((r) => approved.has(r.requestId)), 'only approved requests hold capacity');
      const promised = reservations.filter((r) => r.hostId === host.id).reduce((s, r) => s + r.memoryMiB, 0);
      assert.ok(promised <= host.spec.capacity.memoryMiB, `the host is not double-booked (${promised} of ${host.spec.capacity.memoryMiB} MiB)`);
      assert.equal((await c.cp.store.read.appliances.all()).length, 0, 'nothing is half-provisioned');
    });
  });
}
