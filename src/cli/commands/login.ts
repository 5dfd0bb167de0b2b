import { closeSync, fchmodSync, openSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Command } from 'commander';
import type { Principal } from '../../domain/user.ts';
import { ApiClient, resolveApiUrl } from '../api-client.ts';
import { CliError } from '../cli-error.ts';
import { EXIT } from '../exit-codes.ts';
import { printJson } from '../output.ts';
import { readStdinSecret } from './cloud-flags.ts';
import type { CreatedToken } from './token.ts';

/**
 * `fleetyard login`: trades a user name and password for an API token. The CLI authenticates with
 * bearer tokens only, so it opens a web session just long enough to create one (the session
 * cookie plus its CSRF token, as the web UI would), then ends the session. The token is printed
 * as an `export FLEETYARD_TOKEN=…` line for `eval`, or saved to a file only its owner can read.
 */

interface LoginFlags {
  name: string;
  passwordStdin?: boolean;
  tokenName?: string;
  save?: string;
}

interface Session {
  cookie: string;
  csrfToken: string;
  principal: Principal;
}

export function registerLoginCommand(program: Command): void {
  program
    .command('login')
    .description('log in with a password and get an API token: eval "$(fleetyard login --name NAME --password-stdin)"')
    .requiredOption('--name <name>', 'your user name')
    .requiredOption('--password-stdin', 'read the password from stdin')
    .option('--token-name <name>', 'name of the new token (default: fleetyard-cli@HOSTNAME)')
    .option('--save <file>', 'write the export line to this file (mode 0600) instead of stdout')
    .action(async (opts: LoginFlags, cmd: Command) => {
      const globals = cmd.optsWithGlobals<{ api?: string; json?: boolean }>();
      // No bearer token here: the server would take it over the session cookie.
      const client = new ApiClient(resolveApiUrl(globals.api));
      const password = await readStdinSecret('password');
      const session = await openSession(client, opts.name, password);
      let created: CreatedToken;
      try {
        created = await client.post<CreatedToken>(
          '/api/v1/tokens',
          { name: opts.tokenName ?? `fleetyard-cli@${hostname()}`.slice(0, 100) },
          { headers: sessionHeaders(session) },
        );
      } finally {
        await client.open('POST', '/api/v1/auth/logout', { headers: sessionHeaders(session) }).catch(() => undefined);
      }
      const line = `export FLEETYARD_TOKEN=${shellQuote(created.token)}\n`;
      process.stderr.write(`logged in as ${session.principal.name} (${session.principal.role}); token ${created.name} created\n`);
      if (opts.save) {
        writePrivate(opts.save, line);
        process.stderr.write(`token saved to ${opts.save}; load it with: . ${opts.save}\n`);
        if (globals.json) printJson({ id: created.id, name: created.name, createdAt: created.createdAt, user: session.principal.name, savedTo: opts.save });
      } else if (globals.json) {
        printJson({ ...created, user: session.principal.name });
      } else {
        process.stdout.write(line);
      }
    });
}

async function openSession(client: ApiClient, name: string, password: string): Promise<Session> {
  const res = await client.open('POST', '/api/v1/auth/login', { body: { name, password } });
  const body = (await res.json()) as { principal: Principal; csrfToken: string };
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0] ?? '').find((c) => c.startsWith('fy_session='));
  if (!cookie) throw new CliError('CLI_BAD_RESPONSE', 'the login answer set no session cookie', EXIT.FAILURE);
  return { cookie, csrfToken: body.csrfToken, principal: body.principal };
}

const sessionHeaders = (s: Session): Record<string, string> => ({ cookie: s.cookie, 'x-csrf-token': s.csrfToken });

/** Single quotes keep any character literal in a POSIX shell; a quote itself is closed and escaped. */
function shellQuote(s: string): string {
  return /^[A-Za-z0-9_.:=+/-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Writes a secret so no one else can read it, even for a moment and even if the file existed. */
function writePrivate(path: string, text: string): void {
  const fd = openSync(path, 'w', 0o600);
  try {
    fchmodSync(fd, 0o600);
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}
