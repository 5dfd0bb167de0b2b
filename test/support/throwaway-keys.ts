import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TransitKey } from '../../src/agent/transit-key.ts';

/** A transit key of a stranger's: made in a directory of its own, which goes at once (the key stays in memory). */
export function throwawayTransitKey(prefix = 'fy-stranger-key-'): TransitKey {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    return TransitKey.forDataDir(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
