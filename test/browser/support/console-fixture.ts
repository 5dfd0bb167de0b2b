import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { systemClock } from '../../../src/domain/clock.ts';
import type { User } from '../../../src/domain/user.ts';
import { startCloud, type CloudFixture } from '../../support/cloud-fixture.ts';
import { launchBrowser } from './browser.ts';

/**
 * What every browser test needs: the built console (scripts/build-web.sh, a no-op when it is up
 * to date), a whole cloud served on loopback with the real container driver and the real clock
 * (things must happen while the browser watches), the admin's password, and Chromium.
 */
export interface ConsoleFixture {
  cloud: CloudFixture;
  url: string;
  browser: Browser;
  adminPassword: string;
  /** A cloud user with a password and CCU, created through the API. */
  newUser(name: string, opts?: { ccu?: number }): Promise<{ user: User; password: string }>;
  close(): Promise<void>;
}

export async function startConsole(opts: Parameters<typeof startCloud>[0] = {}): Promise<ConsoleFixture> {
  execFileSync('bash', [join(import.meta.dirname, '../../../scripts/build-web.sh')], { stdio: 'inherit' });
  const cloud = await startCloud({ ...opts, controlPlane: { clock: systemClock, ...opts.controlPlane } });
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    // The first start wrote the admin's generated password, as `npm start` prints it.
    const adminPassword = readFileSync(join(cloud.dataDir, 'admin.password'), 'utf8').trim();
    const b = browser;
    return {
      cloud,
      url: cloud.cp.url,
      browser: b,
      adminPassword,
      async newUser(name, o = {}) {
        const password = `pw-${name}-correct-horse`;
        const user = await cloud.admin.ok<User>('POST', '/api/v1/users', { name, email: `${name}@example.test`, password });
        if (o.ccu) await cloud.admin.ok('POST', '/api/v1/ccu/grants', { userId: user.id, ccu: o.ccu, note: 'welcome credits' });
        return { user, password };
      },
      async close() {
        await b.close();
        await cloud.close();
      },
    };
  } catch (e) {
    await browser?.close();
    await cloud.close();
    throw e;
  }
}
