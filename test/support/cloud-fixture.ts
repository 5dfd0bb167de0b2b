import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startControlPlane, type ControlPlane, type ControlPlaneOptions } from '../../src/control-plane/control-plane.ts';
import { FakeClock } from '../../src/domain/clock.ts';
import type { Network } from '../../src/domain/network.ts';
import type { Product } from '../../src/domain/product.ts';
import { removeBridge } from '../../src/network/bridge.ts';
import type { CloudPolicy } from '../../src/reconcile/request-reconciler.ts';
import type { Driver } from '../../src/drivers/driver.ts';
import { Secret } from '../../src/mail/smtp-config.ts';
import { SMTP_PASSWORD, SMTP_USER, startTestSmtpServer, type ReceivedMail, type TestSmtpServer } from '../mail/smtp-test-server.ts';
import { TestApi } from './api.ts';
import { baseImageTar } from './base-image.ts';
import { eventually } from './eventually.ts';
import { makeTestNetwork, type TestNetwork } from './host-leaks.ts';

/** 12.5 CCU per hour for the `s` size: 1 cpu × 10 + 1/16 GiB × 8 + container 2. */
export const TEST_PRICE_LIST = {
  ccuPerHour: { cpu: 10, memoryGiB: 8, diskGiB: 0, ha: 0, network: 0, virtualization: { container: 2, qemu: 0, physical: 0, sim: 0 } },
  currency: { code: 'EUR', ccuPerUnit: 1000 },
  lowBalanceCcu: 10,
  postingPeriodSeconds: 3600,
};

export interface CloudFixture {
  clock: FakeClock;
  cp: ControlPlane;
  admin: TestApi;
  smtp: TestSmtpServer;
  net: TestNetwork;
  dataDir: string;
  product: Product;
  /** The gateway of a cloud user's private network: where the host reaches their appliances from. */
  tenantGateway(networkName: string): Promise<string>;
  /** Mails received for `to`, in order. */
  mailsTo(to: string): ReceivedMail[];
  /** Waits until `cond` holds, checking every 20 ms; fails after `ms` with `what`. */
  until(cond: () => boolean | Promise<boolean>, what: string, ms?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A whole cloud for end-to-end tests: a control plane on a fake clock (so hours pass in
 * milliseconds), a real SMTP server on loopback, a test network, the base image, a product with
 * one size `s` and the test price list.
 */
export async function startCloud(
  opts: { policy?: Partial<CloudPolicy>; drivers?: Driver[]; cpuAllocationRatio?: number; start?: Date; databaseUrl?: string; controlPlane?: Partial<ControlPlaneOptions> } = {},
): Promise<CloudFixture> {
  const clock = new FakeClock(opts.start ?? new Date('2026-03-02T08:00:00Z'));
  const smtp = await startTestSmtpServer();
  const net = await makeTestNetwork();
  // Cloud users' private networks: /26s of a /24 of their own, with VNIs (and so bridge names)
  // no other test's control plane on this machine uses.
  const tenantRange = await makeTestNetwork();
  const firstVni = 0x200000 + randomBytes(3).readUIntBE(0, 3) % 0xd00000;
  const dataDir = mkdtempSync(join(tmpdir(), 'fy-cloud-'));
  const cp = await startControlPlane({
    dataDir,
    listen: '127.0.0.1:0',
    databaseUrl: opts.databaseUrl,
    clock,
    networkBridge: net.bridge,
    networkCidr: net.cidr,
    tenantPool: { cidr: tenantRange.cidr, prefixLength: 26, firstVni },
    heartbeatMs: 100,
    log: process.env.FLEETYARD_TEST_LOG === '1',
    drivers: opts.drivers,
    cpuAllocationRatio: opts.cpuAllocationRatio,
    policy: opts.policy,
    smtp: { host: '127.0.0.1', port: smtp.port, secure: false, auth: { user: SMTP_USER, password: new Secret(SMTP_PASSWORD) }, from: 'cloud@fleetyard.test', rejectUnauthorized: false },
    mailRetry: { firstDelayMs: 1_000, maxDelayMs: 5_000, maxAttempts: 5 },
    ...opts.controlPlane,
  });
  const admin = new TestApi(cp.url, cp.adminToken);
  const until = (cond: () => boolean | Promise<boolean>, what: string, ms = 30_000) => eventually(cond, what, ms, 20);
  try {
    const image = await admin.uploadImage('base', baseImageTar());
    await admin.ok('PUT', '/api/v1/ccu/price-list', TEST_PRICE_LIST);
    const product = await admin.ok<Product>('POST', '/api/v1/products', {
      name: 'small',
      imageId: image.id,
      sizes: [{ name: 's', cpu: 1, memoryMiB: 64, diskMiB: 0 }],
      virtualizations: opts.drivers ? ['sim'] : ['container'],
    });
    return {
      clock,
      cp,
      admin,
      smtp,
      net,
      dataDir,
      product,
      mailsTo: (to) => smtp.received.filter((m) => m.to.includes(to)),
      until,
      async tenantGateway(networkName) {
        const n = (await cp.store.read.networks.getByName(networkName)) as Network;
        return n.spec.gateway as string;
      },
      async close() {
        const tenantBridges = (await cp.store.read.networks.all()).filter((n) => n.spec.tenant).map((n) => n.spec.bridge);
        await cp.stop();
        for (const b of tenantBridges) await removeBridge(b);
        await smtp.stop();
        await net.cleanup();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await cp.stop();
    await smtp.stop();
    await net.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
}
