import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ipv4ToInt } from '../network/ipam.ts';
import type { BootPaths } from './boot-paths.ts';
import { normalizeMac } from './mac.ts';

/**
 * DHCP reservations (MAC → address), one small file each under reservations/, which is the
 * record; dnsmasq reads them rendered into one hosts file (`--dhcp-hostsfile`, reread on
 * SIGHUP). A directory of files rather than one file edited in place makes each change a
 * single create or unlink, so two appliances changing at once cannot lose each other's line,
 * and rendering is a pure function of the directory.
 */

export interface Reservation {
  mac: string;
  address: string;
}

/** Writes (or replaces) the reservation of `mac`; returns true when anything changed. */
export async function putReservation(paths: BootPaths, r: Reservation): Promise<boolean> {
  const mac = normalizeMac(r.mac);
  ipv4ToInt(r.address);
  const line = `${mac},${r.address}\n`;
  const file = paths.reservation(mac);
  if ((await readFile(file, 'utf8').catch(() => null)) === line) return false;
  await mkdir(paths.reservationsDir, { recursive: true });
  await writeFile(`${file}.tmp`, line);
  await rename(`${file}.tmp`, file);
  return true;
}

/** Removes the reservation of `mac`; returns true when there was one. */
export async function deleteReservation(paths: BootPaths, mac: string): Promise<boolean> {
  const file = paths.reservation(mac);
  const existed = (await readFile(file, 'utf8').catch(() => null)) !== null;
  await rm(file, { force: true });
  return existed;
}

/** The address reserved for `mac`, or null when it has none (or its file is not readable). */
export async function reservedAddress(paths: BootPaths, mac: string): Promise<string | null> {
  const line = await readFile(paths.reservation(mac), 'utf8').catch(() => null);
  const [m, address] = (line ?? '').trim().split(',');
  return m === normalizeMac(mac) && address ? address : null;
}

export async function listReservations(paths: BootPaths): Promise<Reservation[]> {
  let names: string[];
  try {
    names = await readdir(paths.reservationsDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: Reservation[] = [];
  for (const name of names.sort()) {
    if (name.endsWith('.tmp')) continue;
    const line = (await readFile(join(paths.reservationsDir, name), 'utf8').catch(() => '')).trim();
    const [mac, address] = line.split(',');
    if (mac && address) out.push({ mac, address });
  }
  return out;
}

/** Renders every reservation into dnsmasq's hosts file, replacing it in one rename. */
export async function renderHostsFile(paths: BootPaths): Promise<void> {
  const lines = (await listReservations(paths)).map((r) => `${r.mac},${r.address}\n`);
  await writeFile(`${paths.hostsFile}.tmp`, lines.join(''));
  await rename(`${paths.hostsFile}.tmp`, paths.hostsFile);
}
