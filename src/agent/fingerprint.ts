import { readFileSync, statfsSync } from 'node:fs';
import os from 'node:os';
import type { HostFacts } from '../domain/host.ts';
import type { Virtualization } from '../domain/meta.ts';

export const AGENT_VERSION = '0.1.0';

/** What this machine offers, as the agent reports it at registration and in every heartbeat. */
export function fingerprint(dataDir: string, virtualizations: Virtualization[]): HostFacts {
  const cpus = os.cpus();
  const fs = statfsSync(dataDir);
  return {
    hostname: os.hostname(),
    cpu: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryMiB: Math.floor(os.totalmem() / 1_048_576),
    diskMiB: Math.floor((fs.bavail * fs.bsize) / 1_048_576),
    kernel: os.release(),
    virtualizations,
    agentVersion: AGENT_VERSION,
  };
}

/** A stable identity for the machine, so a restarted agent is recognised as the same host. */
export function machineId(): string {
  try {
    const id = readFileSync('/etc/machine-id', 'utf8').trim();
    if (/^[0-9a-f]{32}$/.test(id)) return id;
  } catch {
    // no machine-id: fall back to the hostname
  }
  return `host-${os.hostname()}`;
}
