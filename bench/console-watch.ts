import { setTimeout as sleep } from 'node:timers/promises';
import { readFrom } from '../src/host/files.ts';
import { nowMs } from './clock.ts';

const POLL_MS = 10;
const READ_BYTES = 262_144;

/**
 * Watches a VM's serial console file (the one the qemu driver appends to and reads its own
 * readiness from) and notes when each wanted line is first seen, as epoch ms (clock.ts). The
 * file is read every POLL_MS from where the last whole line ended, so a time is late by at most
 * POLL_MS plus one read. A file that does not exist yet reads as empty. Lines are compared whole
 * and without the CR the guest's tty adds, as src/drivers/qemu/console.ts does.
 *
 * Resolves once every wanted line was seen; rejects when `timeoutMs` passes or `signal` aborts
 * (then `seen` still holds what was seen so far). The loop is bounded by the deadline.
 */
export async function watchConsole(opts: {
  path: string;
  lines: Record<string, string>;
  seen: Map<string, number>;
  timeoutMs: number;
  signal: AbortSignal;
}): Promise<void> {
  const wanted = new Map(Object.entries(opts.lines).map(([name, line]) => [line, name]));
  const deadline = Date.now() + opts.timeoutMs;
  let offset = 0;
  while (opts.seen.size < wanted.size) {
    opts.signal.throwIfAborted();
    if (Date.now() >= deadline) {
      const missing = [...wanted].filter(([, name]) => !opts.seen.has(name)).map(([line]) => `"${line}"`);
      throw new Error(`no ${missing.join(', ')} on ${opts.path} within ${opts.timeoutMs / 1000} s`);
    }
    const text = await readFrom(opts.path, offset, READ_BYTES);
    const end = text.lastIndexOf('\n');
    if (end >= 0) {
      const at = nowMs();
      for (const line of text.slice(0, end).split('\n')) {
        const name = wanted.get(line.replaceAll('\r', ''));
        if (name !== undefined && !opts.seen.has(name)) opts.seen.set(name, at);
      }
      offset += Buffer.byteLength(text.slice(0, end + 1));
    }
    if (opts.seen.size < wanted.size) await sleep(POLL_MS);
  }
}
