import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface DigAnswer {
  status: string;
  /** The answer section's values (`+short` style), in order. */
  values: string[];
  authoritative: boolean;
}

/** Debian's `dig` asked one question of one server: the status and the answer values. */
export async function dig(server: string, port: number, name: string, type: 'A' | 'AAAA' | 'PTR'): Promise<DigAnswer> {
  const args = [`@${server}`, '-p', String(port), '+norecurse', '+time=2', '+tries=2', '+noall', '+comments', '+answer', ...(type === 'PTR' ? ['-x', name] : [name, type])];
  const { stdout } = await run('/usr/bin/dig', args, { timeout: 15_000 });
  const status = /status: ([A-Z]+)/.exec(stdout)?.[1] ?? 'NONE';
  const flags = /flags: ([a-z ]+);/.exec(stdout)?.[1] ?? '';
  const values = stdout
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith(';'))
    .map((l) => l.trim().split(/\s+/).at(-1) ?? '')
    .map((v) => v.replace(/\.$/, ''));
  return { status, values, authoritative: flags.split(' ').includes('aa') };
}
