/**
 * MAC addresses as the boot service keys everything by them: lower-case, colon-separated
 * (`52:54:00:ab:cd:ef`), which is how dnsmasq reports them. iPXE asks for its script by the
 * hyphenated form (`${netX/mac:hexhyp}`, also lower-case), which doubles as a file name.
 */

const MAC = /^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$/;

/** The canonical form; throws RangeError for anything that is not a 48-bit MAC. */
export function normalizeMac(mac: string): string {
  const m = mac.trim().toLowerCase();
  if (!MAC.test(m)) throw new RangeError(`not a MAC address: ${mac}`);
  return m.replaceAll('-', ':');
}

export function isMac(mac: string): boolean {
  return MAC.test(mac.trim().toLowerCase());
}

/** `52-54-00-ab-cd-ef`: the per-machine iPXE script's file name without extension. */
export function macFileName(mac: string): string {
  return normalizeMac(mac).replaceAll(':', '-');
}
