import { closeSync, fsyncSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { exec } from '../src/host/exec.ts';
import { summarize, type Summary } from './stats.ts';

/**
 * What the figures were measured on. Latencies here are dominated by process spawns (ip, mount,
 * runc) and by SQLite commits, so cores and fsync latency of the data dir's disk explain most
 * of the difference between two machines; they are recorded with every result.
 */
export interface MachineFacts {
  cores: number;
  model: string;
  memoryMiB: number;
  kernel: string;
  node: string;
  /** 1/5/15-minute load averages when the run started: a busy host inflates every figure. */
  loadAverage: number[];
  fsync: Summary & { blockBytes: number };
}

const FSYNC_SAMPLES = 200;
const BLOCK_BYTES = 4096;

export async function describeMachine(dataDir: string): Promise<MachineFacts> {
  const cpus = os.cpus();
  const kernel = (await exec('uname', ['-r'])).stdout.trim();
  return {
    cores: cpus.length,
    model: cpus[0]?.model.trim() ?? 'unknown',
    memoryMiB: Math.floor(os.totalmem() / 1_048_576),
    kernel,
    node: process.version,
    loadAverage: loadAverage(),
    fsync: { ...measureFsync(dataDir), blockBytes: BLOCK_BYTES },
  };
}

/**
 * Appends a 4 KiB block and fsyncs it, FSYNC_SAMPLES times, in the data dir (where SQLite's WAL
 * lives). Synchronous on purpose: the event loop is otherwise idle here and the async fs API
 * would add thread-pool hand-offs to what should be the disk's own latency.
 */
function measureFsync(dir: string): Summary {
  const path = join(dir, 'fsync-probe.bin');
  const block = Buffer.alloc(BLOCK_BYTES, 0xa5);
  const fd = openSync(path, 'w');
  const samples: number[] = [];
  try {
    for (let i = 0; i < FSYNC_SAMPLES; i++) {
      const t0 = performance.now();
      writeSync(fd, block);
      fsyncSync(fd);
      samples.push(performance.now() - t0);
    }
  } finally {
    closeSync(fd);
    rmSync(path, { force: true });
  }
  return summarize(samples);
}

export function loadAverage(): number[] {
  return os.loadavg().map((x) => Math.round(x * 100) / 100);
}
