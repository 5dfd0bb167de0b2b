import type { ConsoleCapability } from '../../src/drivers/driver.ts';

/** The last `bytes` of an appliance's console as text, read straight from its driver. */
export async function consoleText(driver: ConsoleCapability, applianceId: string, bytes: number): Promise<string> {
  return (await driver.readConsole(applianceId, { last: bytes }, bytes)).data.toString('utf8');
}
