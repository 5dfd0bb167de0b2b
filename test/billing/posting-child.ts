import { postUsage } from '../../src/billing/posting.ts';
import { FakeClock } from '../../src/domain/clock.ts';
import { uuidV7Ids } from '../../src/domain/ids.ts';
import { Store } from '../../src/store/store.ts';

/**
 * A posting run in a process of its own, so a test can kill it with SIGKILL in the middle, as a
 * crash would. Prints one line per period it is about to commit.
 * Usage: posting-child.ts DATABASE_URL NOW_ISO
 */
const [url, nowIso] = process.argv.slice(2);
if (!url || !nowIso) throw new Error('usage: posting-child.ts DATABASE_URL NOW_ISO');
const now = new Date(nowIso);
const store = await Store.open(url, uuidV7Ids, new FakeClock(now));
await postUsage(store, now, { beforeCommit: (_w, i) => void process.stdout.write(`posting ${i}\n`) });
await store.close();
process.stdout.write('finished\n');
