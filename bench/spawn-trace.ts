import childProcess, { type ChildProcess } from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import { roundMs, roundSummary, summarize, type Summary } from './stats.ts';

/**
 * Times every host command the control plane runs (runc, ip, mount, …) without changing src/:
 * `child_process.spawn` is wrapped once and `syncBuiltinESMExports()` makes the named import in
 * src/host/exec.ts see the wrapper. The wrapper only takes two timestamps per process (spawn and
 * `close`), microseconds against the milliseconds being measured.
 *
 * Commands are grouped by what they do, e.g. `runc run`, `ip -batch (host)`, `ip -n (netns)`.
 */
export interface CommandStats extends Summary {
  totalMs: number;
  /** Time the spawn() call itself held the event loop (fork + exec setup), summed. */
  blockingMs: number;
}

type Sample = { key: string; ms: number; blockingMs: number };

const recordings = new Set<Sample[]>();
let installed = false;

export function installSpawnTrace(): void {
  if (installed) return;
  installed = true;
  const original = childProcess.spawn;
  const traced = function (this: unknown, ...args: unknown[]): ChildProcess {
    const t0 = performance.now();
    const child = (original as (...a: unknown[]) => ChildProcess).apply(this, args);
    const blockingMs = performance.now() - t0;
    const key = commandKey(String(args[0]), Array.isArray(args[1]) ? (args[1] as string[]) : []);
    child.once('close', () => {
      const ms = performance.now() - t0;
      for (const r of recordings) r.push({ key, ms, blockingMs });
    });
    return child;
  };
  (childProcess as { spawn: unknown }).spawn = traced;
  syncBuiltinESMExports();
}

/** Starts collecting; the returned function stops and summarises per command. */
export function recordSpawns(): () => Record<string, CommandStats> {
  const samples: Sample[] = [];
  recordings.add(samples);
  return () => {
    recordings.delete(samples);
    const byKey = new Map<string, Sample[]>();
    for (const s of samples) byKey.set(s.key, [...(byKey.get(s.key) ?? []), s]);
    const out: Record<string, CommandStats> = {};
    const total = (xs: Sample[]) => sum(xs.map((x) => x.ms));
    for (const [key, xs] of [...byKey].sort((a, b) => total(b[1]) - total(a[1]))) {
      out[key] = {
        ...roundSummary(summarize(xs.map((x) => x.ms))),
        totalMs: roundMs(total(xs)),
        blockingMs: roundMs(sum(xs.map((x) => x.blockingMs))),
      };
    }
    return out;
  };
}

function commandKey(command: string, args: string[]): string {
  if (command === 'runc') {
    const rest = args[0] === '--root' ? args.slice(2) : args;
    return `runc ${rest[0] ?? ''}`.trim();
  }
  if (command === 'ip') {
    if (args[0] === '-n') return 'ip -n (netns)';
    if (args[0] === '-batch') return 'ip -batch (host)';
    return `ip ${args.slice(0, 2).join(' ')}`;
  }
  return command;
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
