#!/usr/bin/env node
// The `fleetyard` command. Fleetyard runs from its TypeScript sources with no build step, so this
// shim registers tsx's ESM loader and then hands over to the CLI proper.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
