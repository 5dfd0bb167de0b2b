import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { CLI_DIST, cliSourceHash, HASH_FILE, ROOT } from '../bin/cli-source-hash.js';

/**
 * Compiles the CLI (src/cli/main.ts and what it imports) to JavaScript in dist/cli, so that
 * `fleetyard` client commands start without compiling TypeScript; only when the sources changed
 * since the last build (their hash is kept in dist/cli/.source-hash, which bin/fleetyard.js
 * compares before it runs the compiled CLI). Packages stay external: node_modules is read as is.
 */
const hash = cliSourceHash();
let built: string | null = null;
try {
  built = readFileSync(HASH_FILE, 'utf8').trim();
} catch {
  built = null;
}
if (built === hash) {
  console.log('build-cli: the compiled CLI is up to date');
} else {
  console.log('build-cli: compiling the CLI (esbuild into dist/cli)');
  rmSync(CLI_DIST, { recursive: true, force: true });
  mkdirSync(CLI_DIST, { recursive: true });
  await build({
    entryPoints: [join(ROOT, 'src/cli/main.ts')],
    outdir: CLI_DIST,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  writeFileSync(HASH_FILE, `${hash}\n`);
}
