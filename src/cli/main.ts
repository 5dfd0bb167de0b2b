import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ApiError } from './api-client.ts';
import { CliError } from './cli-error.ts';
import { registerApplianceCommands } from './commands/appliance.ts';
import { registerEventCommands } from './commands/events.ts';
import { registerImageCommands } from './commands/image.ts';
import { registerKernelCommands } from './commands/kernel.ts';
import { registerResourceCommands } from './commands/resource.ts';
import { registerNetworkCommands } from './commands/network.ts';
import { registerHostCommands } from './commands/host.ts';
import { registerHaCommands } from './commands/ha.ts';
import { registerPowerCommands } from './commands/power.ts';
import { registerAgentCommand } from './commands/agent.ts';
import { registerServerCommand } from './commands/server.ts';
import { registerUserCommands } from './commands/user.ts';
import { registerGroupCommands } from './commands/group.ts';
import { registerTokenCommands } from './commands/token.ts';
import { registerLoginCommand } from './commands/login.ts';
import { registerProductCommands } from './commands/product.ts';
import { registerConfigGroupCommands } from './commands/config-group.ts';
import { registerInventoryCommand } from './commands/inventory.ts';
import { registerRequestCommands } from './commands/request.ts';
import { registerStackCommands } from './commands/stack.ts';
import { registerCcuCommands } from './commands/ccu.ts';
import { registerQuotaCommands } from './commands/quota.ts';
import { registerMonitoringCommands } from './commands/monitoring.ts';
import { registerDnsCommands } from './commands/dns.ts';
import { EXIT, exitCodeForServerError, type ExitCode } from './exit-codes.ts';

/**
 * The `fleetyard` command line. Every command except `server` is a client of the HTTP API and
 * nothing else (see api-client.ts). This file wires the command groups and owns the one place
 * where a failure becomes `error: CODE: message` on stderr and an exit code (exit-codes.ts).
 *
 * bin/fleetyard.js imports this module, which runs the program at once.
 */
export function buildProgram(): Command {
  const program = new Command('fleetyard')
    .description('Fleetyard data-center manager: manage images, appliances, resources and the self-service cloud through the API')
    .version(packageVersion(), '-V, --version')
    .option('--api <url>', 'API base URL (env FLEETYARD_API, default http://127.0.0.1:8080)')
    .option('--token <token>', 'API token (env FLEETYARD_TOKEN, default DATA_DIR/admin.token)')
    .option('--json', 'print results as JSON instead of tables')
    // Settings before any subcommand is made: subcommands copy them when created.
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(`error: CLI_USAGE: ${str.replace(/^error: /, '')}`) });
  registerServerCommand(program);
  registerAgentCommand(program);
  registerImageCommands(program);
  registerKernelCommands(program);
  registerApplianceCommands(program);
  registerResourceCommands(program);
  registerNetworkCommands(program);
  registerHostCommands(program);
  registerHaCommands(program);
  registerPowerCommands(program);
  registerEventCommands(program);
  registerLoginCommand(program);
  registerUserCommands(program);
  registerGroupCommands(program);
  registerTokenCommands(program);
  registerProductCommands(program);
  registerConfigGroupCommands(program);
  registerInventoryCommand(program);
  registerRequestCommands(program);
  registerStackCommands(program);
  registerCcuCommands(program);
  registerQuotaCommands(program);
  registerMonitoringCommands(program);
  registerDnsCommands(program);
  return program;
}

/** Runs the CLI and returns its exit code; never throws. */
export async function main(argv: readonly string[]): Promise<ExitCode> {
  try {
    await buildProgram().parseAsync(argv);
    return EXIT.OK;
  } catch (e) {
    return report(e);
  }
}

function report(e: unknown): ExitCode {
  // Commander has printed its own message already; only --help and --version end well.
  if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  if (e instanceof CliError) {
    process.stderr.write(`error: ${e.code}: ${e.message}\n`);
    if (e instanceof ApiError) printIssues(e.details);
    return e.exitCode;
  }
  // An error from inside this process (the server command): keep a code it carries.
  const err = e as { code?: unknown; status?: unknown; message?: unknown; stack?: unknown };
  const code = typeof err.code === 'string' ? err.code : 'CLI_INTERNAL';
  process.stderr.write(`error: ${code}: ${typeof err.message === 'string' ? err.message : String(e)}\n`);
  if (process.env.FLEETYARD_DEBUG && typeof err.stack === 'string') process.stderr.write(`${err.stack}\n`);
  return code.startsWith('FY_') && typeof err.status === 'number' ? exitCodeForServerError(code, err.status) : EXIT.FAILURE;
}

/** Validation errors carry `details.issues`: show where the input was wrong (a stack's, with its line). */
function printIssues(details: Readonly<Record<string, unknown>> | undefined): void {
  const issues = details?.issues;
  if (!Array.isArray(issues)) return;
  for (const issue of issues as { path?: unknown; message?: unknown; line?: unknown }[]) {
    const line = typeof issue.line === 'number' ? ` (line ${issue.line})` : '';
    process.stderr.write(`  ${String(issue.path || '(body)')}${line}: ${String(issue.message)}\n`);
  }
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

const code = await main(process.argv);
// Let buffered output reach a slow pipe before leaving; open sockets must not keep us alive.
process.stdout.write('', () => process.exit(code));
