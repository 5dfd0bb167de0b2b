import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { Group, User } from '../../domain/user.ts';
import type { ApiClient } from '../api-client.ts';
import { usageError } from '../cli-error.ts';
import { contextOf } from '../context.ts';
import { age, printJson, printList, printObject, type Column } from '../output.ts';
import { readSshKeyFile, readStdinSecret } from './cloud-flags.ts';
import { resolveUser } from './principal.ts';
import { promptHidden } from '../hidden-prompt.ts';
import { ADMIN_PASSWORD_FILE } from '../../identity/bootstrap.ts';

/**
 * `fleetyard user …`: the people of the self-service cloud. Creating, listing, disabling and
 * enabling are for admins; a user may show themselves and change their own password and SSH key.
 * Passwords only ever come from stdin, never from an argument that `ps` would show.
 */

const columns = (groups: ReadonlyMap<string, string>): Column<User>[] => [
  { header: 'ID', value: (u) => u.id },
  { header: 'NAME', value: (u) => u.name },
  { header: 'EMAIL', value: (u) => u.spec.email },
  { header: 'ROLE', value: (u) => u.spec.role },
  { header: 'GROUP', value: (u) => (u.spec.groupId ? (groups.get(u.spec.groupId) ?? u.spec.groupId) : null) },
  { header: 'SSH KEY', value: (u) => (u.spec.sshPublicKey ? 'yes' : 'no') },
  { header: 'DISABLED', value: (u) => (u.spec.disabled ? 'yes' : 'no') },
  { header: 'LAST LOGIN', value: (u) => (u.status.lastLoginAt ? age(u.status.lastLoginAt) : null) },
];

interface CreateFlags {
  email: string;
  role: 'admin' | 'user';
  group?: string;
  sshKeyFile?: string;
  passwordStdin?: boolean;
}

export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('manage cloud users (admin; users may change their own password and key)');

  user
    .command('create')
    .description('create a user; give a password (--password-stdin) for logins, an SSH key for appliance logins')
    .argument('<name>', 'login name')
    .requiredOption('--email <address>', 'where the cloud sends its mails')
    .addOption(new Option('--role <role>', 'role').choices(['admin', 'user']).default('user'))
    .option('--group <group>', 'group ID or name')
    .option('--ssh-key-file <file>', 'OpenSSH public key file, e.g. ~/.ssh/id_ed25519.pub')
    .option('--password-stdin', 'read the password (at least 12 characters) from stdin')
    .action(async (name: string, opts: CreateFlags, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const sshPublicKey = opts.sshKeyFile ? readSshKeyFile(opts.sshKeyFile) : undefined;
      const groupId = opts.group ? await client.resolveId('groups', opts.group) : undefined;
      const password = opts.passwordStdin ? await readStdinSecret('password') : undefined;
      const created = await client.post<User>('/api/v1/users', {
        name,
        email: opts.email,
        role: opts.role,
        ...(groupId ? { groupId } : {}),
        ...(sshPublicKey ? { sshPublicKey } : {}),
        ...(password ? { password } : {}),
      });
      await printUser(client, json, created);
    });

  user
    .command('list')
    .alias('ls')
    .description('list users (admin)')
    .option('--role <role>', 'only users with this role')
    .option('--group <group>', 'only members of this group (ID or name)')
    .action(async (opts: { role?: string; group?: string }, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const groupId = opts.group ? await client.resolveId('groups', opts.group) : undefined;
      const items = await client.list<User>('/api/v1/users', { role: opts.role, groupId });
      await printUsers(client, json, items);
    });

  user
    .command('show')
    .description('show one user (admin, or yourself)')
    .argument('<user>', 'ID or name')
    .action(async (idOrName: string, _opts: unknown, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const id = await resolveUser(client, idOrName);
      printObject(json, await client.get<User>(`/api/v1/users/${id}`));
    });

  for (const [verb, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    user
      .command(verb)
      .description(disabled ? 'disable a user: their tokens and sessions stop working (admin)' : 'enable a disabled user (admin)')
      .argument('<user>', 'ID or name')
      .action(async (idOrName: string, _opts: unknown, cmd: Command) => {
        const { client, json } = contextOf(cmd);
        const id = await client.resolveId('users', idOrName);
        await printUser(client, json, await client.json<User>('PATCH', `/api/v1/users/${id}`, { body: { disabled } }));
      });
  }

  user
    .command('set-password')
    .description("set a user's password and end their other web sessions (admin, or yourself with your current password)")
    .argument('<user>', 'ID or name')
    .requiredOption('--password-stdin', 'read the new password from stdin')
    .option('--current-password-stdin', 'your own password: stdin holds the current password on its first line, the new one on the second')
    .action(async (idOrName: string, opts: { currentPasswordStdin?: boolean }, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const id = await resolveUser(client, idOrName);
      let password = await readStdinSecret(opts.currentPasswordStdin ? 'current password, newline, new password' : 'new password');
      let currentPassword: string | undefined;
      if (opts.currentPasswordStdin) {
        const cut = password.indexOf('\n');
        if (cut < 0) throw usageError('--current-password-stdin: stdin must hold the current password and the new one on two lines');
        currentPassword = password.slice(0, cut).replace(/\r$/, '');
        password = password.slice(cut + 1);
      }
      await client.json('PUT', `/api/v1/users/${id}/password`, { body: { password, ...(currentPassword !== undefined ? { currentPassword } : {}) } });
      if (json) printJson({ id, passwordSet: true });
      else process.stdout.write(`password of ${idOrName} set\n`);
    });

  user
    .command('passwd')
    .description("change a user's password, asked for twice on the terminal (`passwd admin` replaces the first-start password)")
    .argument('<user>', 'ID or name')
    .option('--password-stdin', 'read the new password from stdin instead of the terminal')
    .action(async (idOrName: string, opts: { passwordStdin?: boolean }, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const id = await resolveUser(client, idOrName);
      const target = await client.json<User>('GET', `/api/v1/users/${id}`);
      const me = await client.json<{ userId: string }>('GET', '/api/v1/auth/me');
      // The first-start password is written once for the first sign-in; it is the current one
      // until changed, and once changed it is wrong, so it goes rather than mislead.
      const firstStart = join(resolve(process.env.FLEETYARD_DATA_DIR ?? './.fleetyard'), ADMIN_PASSWORD_FILE);
      const firstStartPassword = target.name === 'admin' && existsSync(firstStart) ? readFileSync(firstStart, 'utf8').trim() : undefined;
      const stdin = opts.passwordStdin || !process.stdin.isTTY;
      // Changing your own password needs the current one, even with a token.
      let currentPassword: string | undefined;
      if (me.userId === id) {
        currentPassword = firstStartPassword;
        if (currentPassword === undefined) {
          if (stdin) throw usageError('changing your own password needs the current one: use `user set-password --password-stdin --current-password-stdin`');
          currentPassword = await promptHidden('current password: ');
        }
      }
      let password: string;
      if (stdin) {
        password = await readStdinSecret('new password');
      } else {
        password = await promptHidden('new password (at least 12 characters): ');
        if ((await promptHidden('the same again: ')) !== password) throw usageError('the two passwords differ; nothing changed');
      }
      await client.json('PUT', `/api/v1/users/${id}/password`, { body: { password, ...(currentPassword !== undefined ? { currentPassword } : {}) } });
      const removed = firstStartPassword !== undefined;
      if (removed) unlinkSync(firstStart);
      if (json) printJson({ id, passwordSet: true, removedFile: removed ? firstStart : null });
      else process.stdout.write(`password of ${target.name} changed; their web sessions ended${removed ? `; removed ${firstStart}` : ''}\n`);
    });

  user
    .command('verify-email')
    .description('confirm your new e-mail address with the code mailed to it')
    .argument('<user>', 'ID or name (yourself)')
    .requiredOption('--code <code>', 'the code from the mail')
    .action(async (idOrName: string, opts: { code: string }, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const id = await resolveUser(client, idOrName);
      const updated = await client.json<User>('POST', `/api/v1/users/${id}/verify-email`, { body: { code: opts.code } });
      if (json) printJson(updated);
      else process.stdout.write(`e-mail address of ${updated.name} is now ${updated.spec.email}\n`);
    });

  user
    .command('set-key')
    .description("set a user's SSH public key, used for their login in new appliances (admin, or yourself)")
    .argument('<user>', 'ID or name')
    .requiredOption('--ssh-key-file <file>', 'OpenSSH public key file')
    .action(async (idOrName: string, opts: { sshKeyFile: string }, cmd: Command) => {
      const { client, json } = contextOf(cmd);
      const sshPublicKey = readSshKeyFile(opts.sshKeyFile);
      const id = await resolveUser(client, idOrName);
      const updated = await client.json<User>('PATCH', `/api/v1/users/${id}`, { body: { sshPublicKey } });
      if (json) printJson(updated);
      else process.stdout.write(`SSH key of ${updated.name} set\n`);
    });
}

/** One changed user: the object for scripts, its table row for people. */
async function printUser(client: ApiClient, json: boolean, u: User): Promise<void> {
  if (json) printJson(u);
  else await printUsers(client, false, [u]);
}

/** Users as a table, group IDs shown by name (only admins see users of others and groups). */
async function printUsers(client: ApiClient, json: boolean, users: readonly User[]): Promise<void> {
  if (json) return printList(true, users, []);
  const groups = new Map<string, string>();
  if (users.some((u) => u.spec.groupId)) {
    for (const g of await client.list<Group>('/api/v1/groups')) groups.set(g.id, g.name);
  }
  printList(false, users, columns(groups));
}
