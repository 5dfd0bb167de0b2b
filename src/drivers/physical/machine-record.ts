import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RuntimeMachine } from '../driver.ts';

/**
 * What the physical driver remembers per appliance, in STATE/machines/<applianceId>.json: a
 * machine has no process on this host to look at, so this record is how `inspect`, `list` and
 * a restarted agent know which server (and BMC) an appliance was booted on.
 *
 * Invariant: the record is written before anything is done to the machine and says what is
 * about to happen (an export token, then `bootRequestedAt`), so after a crash the next call
 * finds every host object and the machine to power off. The BMC password in it stays sealed.
 */
export interface MachineRecord {
  applianceId: string;
  /** The boot network (RuntimeNetwork.name) whose boot service holds the machine's entry. */
  network: string;
  /** The appliance's address, where it answers once up. */
  address: string;
  machine: RuntimeMachine;
  /**
   * The token of the current boot's export (see BootService); null when none. The export itself
   * is gone once the machine has its root: the token stays to say which boot this is.
   */
  exportToken: string | null;
  /** When the current boot was asked of the BMC; null while stopped. */
  bootRequestedAt: string | null;
  /** When the current boot first answered; null until it did. */
  startedAt: string | null;
}

export class MachineRecords {
  readonly dir: string;

  constructor(stateDir: string) {
    this.dir = join(stateDir, 'machines');
  }

  async read(applianceId: string): Promise<MachineRecord | null> {
    try {
      return JSON.parse(await readFile(this.file(applianceId), 'utf8')) as MachineRecord;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async write(rec: MachineRecord): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = this.file(rec.applianceId);
    await writeFile(`${file}.tmp`, JSON.stringify(rec, null, 2), { mode: 0o600 });
    await rename(`${file}.tmp`, file);
  }

  async remove(applianceId: string): Promise<void> {
    await rm(this.file(applianceId), { force: true });
  }

  async ids(): Promise<string[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    return names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -'.json'.length));
  }

  private file(applianceId: string): string {
    return join(this.dir, `${assertId(applianceId)}.json`);
  }
}

/** Appliance ids are file names here: keep them boring. */
export function assertId(id: string): string {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(id)) throw new RangeError(`not a valid appliance id: ${id}`);
  return id;
}
