import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { CLI_DIST, cliSourceHash, HASH_FILE, ROOT } from '../bin/cli-source-hash.js';

/**
 * Compiles the CLI (src/cli/main.ts and what it imports) to JavaScript in dist/cli, so that
 * `fleetyard` client commands start without compiling TypeScript; only when the sources changed
 * since the last build (their hash is kept in dist/cli/.source-hash, which bin/fleetyard.js
 * compares before it runs the compiled CLI). The pure-JavaScript packages the client commands
 * load at every start are bundled in (one file to read instead of hundreds: most of a command's
 * start-up was module resolution); every other package stays external, read from node_modules
 * as is (the server's and the agent's, which run from the TypeScript sources anyway).
 */
const BUNDLED = new Set(['zod', 'yaml', 'commander', 'cli-table3', 'eventsource-parser', 'uuid', 'ipaddr.js']);

/** The package a bare import names (`zod/v4` → `zod`, `@scope/pkg/x` → `@scope/pkg`). */
const packageOf = (spec: string) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');

const bundleOnlyListed: Plugin = {
  name: 'bundle-only-listed',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return { path: args.path, external: true };
      // What a bundled package imports is bundled with it; our sources' other packages are not.
      if (args.importer.includes('/node_modules/')) return undefined;
      return BUNDLED.has(packageOf(args.path)) ? undefined : { path: args.path, external: true };
    });
  },
};
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
    plugins: [bundleOnlyListed],
    // CommonJS packages bundled into ES modules call require() for Node's own modules.
    banner: { js: "import { createRequire as __fyCreateRequire } from 'node:module'; const require = __fyCreateRequire(import.meta.url);" },
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  writeFileSync(HASH_FILE, `${hash}\n`);
}
