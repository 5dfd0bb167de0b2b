import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseMeminfo } from '../../src/agent/host-usage.ts';
import { cgroupUsage, parseCpuStat, parseMemoryLimit } from '../../src/drivers/container/cgroup-usage.ts';
import { processCpuSeconds, processRssBytes } from '../../src/host/proc-usage.ts';

/**
 * The readers behind the agent's `metrics` verb, on files laid out as the kernel lays them out:
 * a cgroup v2 tree and a v1 tree in a scratch directory (this host may have only one of them),
 * /proc/meminfo's format, and this very process's /proc entries.
 */
const root = mkdtempSync(join(tmpdir(), 'fy-cgroup-'));
after(() => rmSync(root, { recursive: true, force: true }));

function files(dir: string, content: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  for (const [f, text] of Object.entries(content)) writeFileSync(join(dir, f), text);
}

describe('usage readers', () => {
  it('reads cgroup v2: cpu.stat usage_usec, memory.current, memory.max ("max" is no limit)', async () => {
    files(join(root, 'fleetyard', 'v2app'), {
      'cpu.stat': 'usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\n',
      'memory.current': '1048576\n',
      'memory.max': '67108864\n',
    });
    assert.deepEqual(await cgroupUsage('v2app', root), { cpuSeconds: 2.5, memoryBytes: 1048576, memoryLimitBytes: 67108864 });
    writeFileSync(join(root, 'fleetyard', 'v2app', 'memory.max'), 'max\n');
    assert.equal((await cgroupUsage('v2app', root))?.memoryLimitBytes, null);
  });

  it('reads cgroup v1 (cpuacct.usage in ns, memory.usage_in_bytes, memory.limit_in_bytes), v1 "unlimited" as no limit', async () => {
    files(join(root, 'cpuacct', 'fleetyard', 'v1app'), { 'cpuacct.usage': '3000000000\n' });
    files(join(root, 'memory', 'fleetyard', 'v1app'), { 'memory.usage_in_bytes': '4096\n', 'memory.limit_in_bytes': '9223372036854771712\n' });
    assert.deepEqual(await cgroupUsage('v1app', root), { cpuSeconds: 3, memoryBytes: 4096, memoryLimitBytes: null });
  });

  it('says nothing of an appliance without a cgroup', async () => {
    assert.equal(await cgroupUsage('nothing-here', root), null);
  });

  it('parses the single figures', () => {
    assert.equal(parseCpuStat('user_usec 1\n'), null);
    assert.equal(parseMemoryLimit('536870912'), 536870912);
    assert.deepEqual(parseMeminfo('MemTotal:       16303836 kB\nMemFree:  1 kB\nMemAvailable:   12000000 kB\n'), {
      totalBytes: 16303836 * 1024,
      availableBytes: 12000000 * 1024,
    });
    assert.deepEqual(parseMeminfo(''), { totalBytes: null, availableBytes: null });
  });

  it("reads a process's CPU time and resident memory from /proc, and nothing of one that is gone", async () => {
    const busy = Date.now() + 50;
    while (Date.now() < busy) Math.sqrt(Math.random());
    const cpu = await processCpuSeconds(process.pid);
    assert.ok(cpu !== null && cpu > 0, `cpu ${cpu}`);
    const rss = await processRssBytes(process.pid);
    assert.ok(rss !== null && rss > 1_000_000, `rss ${rss}`);
    assert.equal(await processCpuSeconds(2 ** 22 + 1), null);
  });
});
