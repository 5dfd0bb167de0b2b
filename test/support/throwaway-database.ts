import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { createPostgresDatabase } from './engines.ts';

/** An empty database of `engine` for one test, dropped (or its directory removed) after it. */
export async function throwawayDatabaseUrl(t: TestContext, engine: 'sqlite' | 'postgres'): Promise<string> {
  if (engine === 'postgres') {
    const pg = await createPostgresDatabase();
    t.after(pg.drop);
    return pg.url;
  }
  const dir = await mkdtemp(join(tmpdir(), 'fy-migrate-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return join(dir, 'fleetyard.db');
}
