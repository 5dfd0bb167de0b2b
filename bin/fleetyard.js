#!/usr/bin/env node
// The `fleetyard` command. Client commands run the CLI compiled to JavaScript (dist/cli, built by
// scripts/build-cli.ts) while it is built from the sources as they are now, so they start without
// compiling TypeScript. Otherwise, and always for `server` and `agent` (long-running, and reading
// files beside their sources), tsx's ESM loader runs the TypeScript sources directly.
import { readFileSync } from 'node:fs';
import { cliSourceHash, HASH_FILE } from './cli-source-hash.js';

function compiledIsCurrent() {
  try {
    return readFileSync(HASH_FILE, 'utf8').trim() === cliSourceHash();
  } catch {
    return false;
  }
}

const command = process.argv[2];
if (command !== 'server' && command !== 'agent' && compiledIsCurrent()) {
  await import('../dist/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
