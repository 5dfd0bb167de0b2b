import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Waits until `condition` holds. The deadline is not a timing assertion: it only turns a hang
 * into a failure that says what never happened.
 */
export async function eventually(condition: () => boolean, what: string, deadlineMs = 15_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await sleep(5);
  }
}
