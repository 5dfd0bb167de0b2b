// The hash of what the compiled CLI (dist/cli) is built from: every TypeScript source under src/
// but the tests. bin/fleetyard.js runs the compiled CLI only while its recorded hash is this one.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');
export const CLI_DIST = join(ROOT, 'dist', 'cli');
export const HASH_FILE = join(CLI_DIST, '.source-hash');

function sources(dir, out) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

export function cliSourceHash() {
  const h = createHash('sha256');
  for (const f of sources(join(ROOT, 'src'), []).sort()) h.update(f.slice(ROOT.length)).update('\0').update(readFileSync(f));
  return h.digest('hex');
}
