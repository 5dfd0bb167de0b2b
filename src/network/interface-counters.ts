import { readFile } from 'node:fs/promises';

/**
 * The byte counters of a network device on this host (/sys/class/net/<dev>/statistics), turned
 * round to the view of what sits at the far end of it: an appliance's veth or tap is its port, so
 * what the host side received (rx) is what the appliance sent. Null when the device is gone.
 */
export async function portCounters(device: string): Promise<{ receiveBytes: number; transmitBytes: number } | null> {
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(device)) return null;
  const read = async (f: string) => Number((await readFile(`/sys/class/net/${device}/statistics/${f}`, 'utf8')).trim());
  try {
    const [hostRx, hostTx] = await Promise.all([read('rx_bytes'), read('tx_bytes')]);
    if (!Number.isFinite(hostRx) || !Number.isFinite(hostTx)) return null;
    return { receiveBytes: hostTx, transmitBytes: hostRx };
  } catch {
    return null;
  }
}
