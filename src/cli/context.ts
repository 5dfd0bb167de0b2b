import type { Command } from 'commander';
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
  const opts = cmd.optsWithGlobals<{ api?: string; json?: boolean }>();
  return { client: new ApiClient(resolveApiUrl(opts.api)), json: opts.json === true };
}
