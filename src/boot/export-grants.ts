import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertExportId, type BootPaths } from './boot-paths.ts';
import { normalizeMac } from './mac.ts';

/**
 * Grants: which machine may fetch an appliance's export, and until when. One small JSON file per
 * appliance under DIR/grants/ (outside the HTTP root, so no client can read or guess it), written
 * when the machine's entry is assigned and removed with the export. The file server serves an
 * export only while its grant names that export's token, the window has not closed, and the
 * client's source address is the one reserved for the grant's MAC (see machine-access.ts).
 *
 * An export without a grant is served to nobody: that is also what a half-made export is.
 */
export interface ExportGrant {
  /** The export's token (its directory name): a grant never carries over to another boot. */
  token: string;
  /** The machine (its reservation's MAC) the export is for. */
  mac: string;
  /** Epoch ms: the end of the boot window; from then on the export is served to nobody. */
  notAfter: number;
}

export async function writeGrant(paths: BootPaths, applianceId: string, grant: ExportGrant): Promise<void> {
  const file = paths.grant(applianceId);
  await mkdir(paths.grantsDir, { recursive: true, mode: 0o700 });
  const text = JSON.stringify({ token: grant.token, mac: normalizeMac(grant.mac), notAfter: grant.notAfter });
  await writeFile(`${file}.tmp`, text, { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}

/** The appliance's grant, or null when it has none or the file is not one (never trusted blindly). */
export async function readGrant(paths: BootPaths, applianceId: string): Promise<ExportGrant | null> {
  const text = await readFile(paths.grant(applianceId), 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    const g = JSON.parse(text) as Partial<ExportGrant>;
    if (typeof g.token !== 'string' || typeof g.mac !== 'string' || typeof g.notAfter !== 'number') return null;
    return { token: g.token, mac: normalizeMac(g.mac), notAfter: g.notAfter };
  } catch {
    return null;
  }
}

/** Removes the appliance's grant; with `token`, only while it is that export's. */
export async function removeGrant(paths: BootPaths, applianceId: string, token?: string): Promise<void> {
  if (token !== undefined && (await readGrant(paths, applianceId))?.token !== token) return;
  await rm(paths.grant(applianceId), { force: true });
}

/** Appliance ids whose grant's window closed before `now` (epoch ms). */
export async function expiredGrants(paths: BootPaths, now: number): Promise<string[]> {
  const names = await readdir(paths.grantsDir).catch(() => [] as string[]);
  const out: string[] = [];
  for (const id of names.filter((n) => !n.endsWith('.tmp') && isExportId(n))) {
    const g = await readGrant(paths, id);
    if (g !== null && g.notAfter <= now) out.push(id);
  }
  return out;
}

/**
 * Ends one export for good: its grant first (from then on it is served to nobody), then its
 * directory. Only that token's: a newer export of the appliance is left alone.
 */
export async function retireExport(paths: BootPaths, applianceId: string, token: string): Promise<void> {
  if (!EXPORT_TOKEN.test(token)) throw new RangeError(`not an export token: ${token}`);
  await removeGrant(paths, applianceId, token);
  await rm(join(paths.applianceExports(applianceId), token), { recursive: true, force: true });
}

/** An export's token: 12 random bytes in hex (see BootService.newExport). */
export const EXPORT_TOKEN = /^[0-9a-f]{24}$/;

function isExportId(name: string): boolean {
  try {
    assertExportId(name);
    return true;
  } catch {
    return false;
  }
}
