import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Waits until `condition` holds (checked every `everyMs`). The deadline is not a timing
 * assertion: it only turns a hang into a failure that says what never happened.
 */
export async function eventually(
  condition: () => boolean | Promise<boolean>,
  what: string,
  deadlineMs = 15_000,
  everyMs = 5,
): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await sleep(everyMs);
  }
}
