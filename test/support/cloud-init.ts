import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execAllowFail } from '../../src/host/exec.ts';

/**
 * Debian's cloud-init as the judge of what Fleetyard hands it: `cloud-init schema` for user-data
 * and, since cloud-init 22.4 has no network-config schema, its own network-config parser and
 * renderer (`cloud-init devel net-convert`) for network-config, whose output is what the guest
 * would get.
 */
export async function cloudInitSchema(userData: string): Promise<{ valid: boolean; output: string }> {
  return withTempDir(async (dir) => {
    const file = join(dir, 'user-data');
    await writeFile(file, userData);
    const r = await execAllowFail('cloud-init', ['schema', '--config-file', file], { timeoutMs: 60_000 });
    return { valid: r.exitCode === 0, output: `${r.stdout}${r.stderr}` };
  });
}

/** The systemd-networkd files cloud-init renders from a network-config (name → text); throws when it cannot. */
export async function renderNetworkConfig(networkConfig: string): Promise<Record<string, string>> {
  return withTempDir(async (dir) => {
    const file = join(dir, 'network-config');
    await writeFile(file, networkConfig);
    const out = join(dir, 'out');
    const r = await execAllowFail('cloud-init', ['devel', 'net-convert', '-p', file, '-k', 'yaml', '-D', 'debian', '-O', 'networkd', '-d', out], { timeoutMs: 60_000 });
    if (r.exitCode !== 0) throw new Error(`cloud-init net-convert refused the network-config: ${r.stderr.trim().split('\n').at(-1) ?? ''}`);
    const netDir = join(out, 'etc/systemd/network');
    const files: Record<string, string> = {};
    for (const name of (await readdir(netDir)).sort()) files[name] = await readFile(join(netDir, name), 'utf8');
    return files;
  });
}

async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'fy-cloud-init-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
