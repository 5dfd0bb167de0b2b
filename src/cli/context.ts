import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ApiClient, resolveApiUrl } from './api-client.ts';

/**
 * What every command action needs from the global flags (`--api`, `--json`), read from the
 * command the action belongs to so the flags work before or after the subcommand name.
 */
export interface CliContext {
  client: ApiClient;
  json: boolean;
}

export function contextOf(cmd: Command): CliContext {
  const opts = cmd.optsWithGlobals<{ api?: string; json?: boolean; token?: string }>();
  return { client: new ApiClient(resolveApiUrl(opts.api), resolveToken(opts.token)), json: opts.json === true };
}

/**
 * The API token: `--token`, else FLEETYARD_TOKEN, else the bootstrap admin's token file of the
 * local installation (FLEETYARD_DATA_DIR, default ./.fleetyard), so the quick start needs no login.
 */
export function resolveToken(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (flag) return flag;
  if (env.FLEETYARD_TOKEN) return env.FLEETYARD_TOKEN;
  const file = join(resolve(env.FLEETYARD_DATA_DIR ?? './.fleetyard'), 'admin.token');
  try {
    return existsSync(file) ? readFileSync(file, 'utf8').trim() || undefined : undefined;
  } catch {
    return undefined;
  }
}
