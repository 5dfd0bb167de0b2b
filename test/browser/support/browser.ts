import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium, installed by scripts/install-browser.sh; nothing is downloaded. */
export const CHROMIUM = '/usr/bin/chromium';
/** Screenshots the browser tests take; README shows some of them. */
export const SCREENSHOT_DIR = join(import.meta.dirname, '../../../docs/screenshots');

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run bash scripts/install-browser.sh`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Closed network: without these, Chromium keeps trying to reach its update and sync services.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/**
 * A page that records every console error and uncaught exception, so a test can say the page
 * ran clean. A 401 on the event stream or /auth/me before sign-in is the app asking whether a
 * session exists, not an error of the page, so resource-load messages for those are not counted.
 * Nor is Chromium's ERR_NETWORK_CHANGED: the browser runs on the host whose container runtime the
 * test drives, and Chromium aborts the requests in flight whenever an interface appears or goes
 * there (an appliance's veth at a start, a restart, a delete). A user's browser is never on the
 * host; the page must still recover, which the test's next waits on the screen show.
 */
export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  errors: string[];
}

export async function openPage(browser: Browser, baseURL: string, viewport = DESKTOP): Promise<WatchedPage> {
  const context = await browser.newContext({ baseURL, viewport, reducedMotion: 'reduce' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    if (/Failed to load resource: the server responded with a status of 401/.test(text)) return;
    if (/Failed to load resource: net::ERR_NETWORK_CHANGED/.test(text)) return;
    errors.push(`console: ${text}`);
  });
  return { page, context, errors };
}

/** Signs in through the sign-in form, as a person would. */
export async function signIn(page: Page, name: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Username').fill(name);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // On a phone the name is hidden; whichever of the two is visible says the shell is up.
  await page.getByTestId('signed-in-as').or(page.getByRole('button', { name: 'Sign out' })).filter({ visible: true }).first().waitFor();
}

/** Serious or critical accessibility violations on the page as it is now (axe-core). */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

/** Saves docs/screenshots/NAME.png (the whole page). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
