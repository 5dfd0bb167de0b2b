import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ssh2 from 'ssh2';
import { STATEMENT_COLUMNS } from '../../src/billing/statement.ts';
import { startControlPlane, type ControlPlane } from '../../src/control-plane/control-plane.ts';
import { SimDriver } from '../../src/drivers/sim/sim-driver.ts';

/**
 * The self-service cloud from the command line: `node bin/fleetyard.js …` in child processes
 * against a real control plane started here (SQLite, in-process bus, embedded agent with only the
 * simulated driver, so nothing on the host changes). The admin works with the bootstrap token; the
 * cloud user with the token `fleetyard login` gave them.
 */

const BIN = fileURLToPath(new URL('../../bin/fleetyard.js', import.meta.url));
const PASSWORD = 'correct-horse-battery-staple';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('fleetyard cloud CLI', () => {
  let dir: string;
  let cp: ControlPlane;
  let aliceToken = '';
  let requestId = '';

  /** Runs the CLI with a token (none: no bootstrap token either) and optional stdin. */
  const cli = (token: string, args: string[], stdin?: string): Promise<Run> =>
    new Promise((resolve) => {
      const child = execFile(
        process.execPath,
        [BIN, ...args],
        {
          // A data dir without admin.token, so an empty token really means "not logged in".
          env: { ...process.env, FLEETYARD_API: cp.url, FLEETYARD_TOKEN: token, FLEETYARD_DATA_DIR: join(dir, 'nowhere'), FORCE_COLOR: '0' },
          timeout: 60_000,
        },
        (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
      );
      child.stdin?.end(stdin ?? '');
    });
  const admin = (...args: string[]) => cli(cp.adminToken ?? '', args);
  const alice = (...args: string[]) => cli(aliceToken, args);

  const ok = (run: Run): Run => {
    assert.equal(run.code, 0, `exit ${run.code}: ${run.stderr}`);
    return run;
  };
  const json = <T>(run: Run): T => JSON.parse(ok(run).stdout) as T;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fleetyard-cloud-cli-'));
    mkdirSync(join(dir, 'rootfs', 'etc'), { recursive: true });
    writeFileSync(join(dir, 'rootfs', 'etc', 'hostname'), 'sim\n');
    const third = 1 + ((randomBytes(1)[0] as number) % 253);
    cp = await startControlPlane({
      dataDir: join(dir, 'data'),
      listen: '127.0.0.1:0',
      drivers: [new SimDriver({})],
      networkBridge: `fyt${randomBytes(3).toString('hex')}`,
      networkCidr: `169.254.${third >= 169 ? third + 1 : third}.0/24`,
      policy: { autoApproveMaxCcu: 1000, provisionLeadMs: 60_000 },
    });
  });

  after(async () => {
    await cp?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lets the admin set up a user, a product, credits and a quota', async () => {
    const keys = ssh2.utils.generateKeyPairSync('ed25519', { comment: 'alice@test' });
    writeFileSync(join(dir, 'alice.pub'), `${keys.public}\n`);
    ok(await admin('image', 'import', join(dir, 'rootfs'), '--name', 'base'));
    ok(await admin('group', 'create', 'team', '--description', 'the team'));

    const created = await cli(
      cp.adminToken ?? '',
      ['user', 'create', 'alice', '--email', 'alice@example.test', '--group', 'team', '--ssh-key-file', join(dir, 'alice.pub'), '--password-stdin', '--json'],
      `${PASSWORD}\n`,
    );
    const user = json<{ name: string; spec: { role: string; sshPublicKey: string | null; groupId: string | null } }>(created);
    assert.equal(user.spec.role, 'user');
    assert.equal(user.spec.sshPublicKey, keys.public.trim());
    assert.ok(user.spec.groupId);
    const users = await admin('user', 'list');
    assert.match(users.stdout, /^ID\s+NAME\s+EMAIL\s+ROLE\s+GROUP/);
    assert.match(users.stdout, /\balice\s+alice@example\.test\s+user\s+team\s+yes\s+no\b/);

    const product = json<{ name: string; spec: { sizes: { name: string; cpu: number }[]; virtualizations: string[] } }>(
      await admin('product', 'create', 'small', '--image', 'base', '--size', 's:1:64:0', '--size', 'm:2:128:0', '--virtualization', 'sim', '--json'),
    );
    assert.deepEqual(product.spec.sizes.map((s) => [s.name, s.cpu]), [['s', 1], ['m', 2]]);
    assert.deepEqual(product.spec.virtualizations, ['sim']);

    const grant = await admin('ccu', 'grant', 'alice', '100', '--note', 'welcome credits');
    assert.equal(grant.code, 0, grant.stderr);
    assert.match(grant.stdout, /granted 100\.000 CCU to alice; balance 100\.000 CCU/);

    // `quota set` changes only the limits it names; `none` lifts one.
    ok(await admin('quota', 'set', 'user', 'alice', '--cpu', '4', '--appliances', '3'));
    ok(await admin('quota', 'set', 'user', 'alice', '--appliances', 'none', '--memory', '4096'));
    const quota = json<{ limits: Record<string, number | null> }>(await admin('quota', 'show', 'user', 'alice', '--json'));
    assert.deepEqual(quota.limits, { appliances: null, cpu: 4, memoryMiB: 4096, diskMiB: null, ccuPerMonth: null });
  });

  it('logs the user in with a password and hands out a token', async () => {
    const wrong = await cli('', ['login', '--name', 'alice', '--password-stdin'], 'not-the-password\n');
    assert.equal(wrong.code, 8, wrong.stderr);
    assert.match(wrong.stderr, /^error: FY_LOGIN_FAILED: /m);

    const login = await cli('', ['login', '--name', 'alice', '--password-stdin', '--token-name', 'laptop'], `${PASSWORD}\n`);
    assert.equal(login.code, 0, login.stderr);
    const m = /^export FLEETYARD_TOKEN=(\S+)\n$/.exec(login.stdout);
    assert.ok(m?.[1], login.stdout);
    aliceToken = m[1].replace(/^'|'$/g, '');

    const saved = join(dir, 'alice.env');
    const again = await cli('', ['login', '--name', 'alice', '--password-stdin', '--save', saved], `${PASSWORD}\n`);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, '');
    assert.match(readFileSync(saved, 'utf8'), /^export FLEETYARD_TOKEN=\S+\n$/);
    assert.equal(statSync(saved).mode & 0o777, 0o600);

    const tokens = json<{ name: string; revokedAt: string | null }[]>(await alice('token', 'list', '--json'));
    assert.ok(tokens.some((t) => t.name === 'laptop' && t.revokedAt === null));
  });

  it('creates a token that is shown once, and revokes it by name', async () => {
    const created = await alice('token', 'create', '--name', 'scripted', '--json');
    const { token } = json<{ token: string }>(created);
    assert.match(created.stderr, /will not be shown again/);
    assert.equal((await cli(token, ['ccu', 'balance'])).code, 0);
    ok(await alice('token', 'revoke', 'scripted'));
    const refused = await cli(token, ['ccu', 'balance']);
    assert.equal(refused.code, 8, refused.stderr);
    assert.match(refused.stderr, /^error: FY_UNAUTHENTICATED: /);
  });

  it('quotes and submits a request, waiting until it is approved', async () => {
    const quote = json<{ ccuPerHour: number; totalCcu: number; fits: boolean; quota: { user: { cpu: number | null } } }>(
      await alice('request', 'quote', '--product', 'small', '--size', 's', '--start', '+1h', '--end', '+3h', '--json'),
    );
    assert.equal(quote.fits, true);
    assert.ok(quote.ccuPerHour > 0);
    assert.equal(quote.quota.user.cpu, 4);
    const table = await alice('request', 'quote', '--product', 'small', '--size', 's', '--start', '+1h', '--end', '+3h');
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^fits\s+yes\s*$/m);
    assert.match(table.stdout, /^cost\s+\d+\.\d\d EUR\s*$/m);

    const tooBig = await alice('request', 'quote', '--product', 'small', '--size', 'm', '--quantity', '3', '--end', '+3h', '--json');
    assert.equal(json<{ fits: boolean }>(tooBig).fits, false);

    const created = await alice('request', 'create', '--product', 'small', '--size', 's', '--start', '+1h', '--end', '+3h', '--wait', 'approved', '--timeout', '30', '--json');
    const request = json<{ id: string; status: { state: string } }>(created);
    assert.equal(request.status.state, 'approved');
    assert.match(created.stderr, /is approved/);
    requestId = request.id;

    const listed = json<{ id: string; status: { state: string } }[]>(await alice('request', 'list', '--json'));
    assert.deepEqual(listed.map((r) => [r.id, r.status.state]), [[requestId, 'approved']]);
    const rows = await alice('request', 'list', '--state', 'approved');
    assert.match(rows.stdout, /^ID\s+STATE\s+PRODUCT\s+SIZE/);
    assert.match(rows.stdout, new RegExp(`^${requestId}\\s+approved\\s+small\\s+s\\s+1\\s+sim\\b`, 'm'));
    assert.equal(json<unknown[]>(await admin('request', 'list', '--mine', '--json')).length, 0);
  });

  it('refuses a cloud user the admin commands with the forbidden exit code', async () => {
    const [approve, grant, users] = await Promise.all([
      alice('request', 'approve', requestId, '--comment', 'self-service'),
      alice('ccu', 'grant', 'alice', '1000', '--note', 'free money'),
      alice('user', 'list'),
    ]);
    assert.equal(approve.code, 7, approve.stderr);
    assert.match(approve.stderr, /^error: FY_FORBIDDEN: /);
    assert.equal(grant.code, 7, grant.stderr);
    assert.equal(users.code, 7, users.stderr);
  });

  it('extends the request and cancels it with --wait', async () => {
    const before = json<{ spec: { endAt: string } }>(await alice('request', 'show', requestId, '--json'));
    const extended = json<{ spec: { endAt: string } }>(await alice('request', 'extend', requestId, '--end', '+4h', '--json'));
    assert.ok(Date.parse(extended.spec.endAt) > Date.parse(before.spec.endAt));

    const cancelled = await alice('request', 'cancel', requestId, '--wait', '--timeout', '30', '--json');
    assert.equal(json<{ status: { state: string } }>(cancelled).status.state, 'done');
    const shown = await alice('request', 'show', requestId);
    assert.match(shown.stdout, /^status\.state\s+done\s*$/m);
    assert.match(shown.stdout, /^AT\s+STATE\s+REASON/m);
  });

  it('shows the balance, the ledger and a statement that parses', async () => {
    const balance = json<{ balanceCcu: string; currency: string; burnMilliPerHour: number }>(await alice('ccu', 'balance', '--json'));
    assert.equal(balance.balanceCcu, '100.000');
    assert.equal(balance.burnMilliPerHour, 0);
    const table = await alice('ccu', 'balance');
    assert.match(table.stdout, /^balance\s+100\.000 CCU/m);
    assert.match(table.stdout, /^credits last until\s+/m);
    assert.equal(json<{ balanceCcu: string }>(await admin('ccu', 'balance', '--user', 'alice', '--json')).balanceCcu, '100.000');

    const ledger = json<{ kind: string; amountCcu: string; note: string; usage: unknown }[]>(await alice('ccu', 'ledger', '--json'));
    assert.deepEqual(ledger.map((e) => [e.kind, e.amountCcu, e.note, e.usage]), [['grant', '100.000', 'welcome credits', null]]);

    const file = join(dir, 'statement.csv');
    ok(await alice('ccu', 'statement', '--from', '-1d', '--output', file));
    const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
    assert.deepEqual(header, [...STATEMENT_COLUMNS]);
    assert.equal(rows.length, 1);
    const row = Object.fromEntries(STATEMENT_COLUMNS.map((c, i) => [c, rows[0]?.[i]]));
    assert.equal(row.kind, 'grant');
    assert.equal(row.amount_milli, '100000');
    assert.equal(row.note, 'welcome credits');
    const stdout = await alice('ccu', 'statement');
    assert.deepEqual(parseCsv(stdout.stdout), parseCsv(readFileSync(file, 'utf8')));
  });

  it('disables and enables a user and products', async () => {
    ok(await admin('user', 'disable', 'alice'));
    assert.equal((await alice('ccu', 'balance')).code, 8);
    ok(await admin('user', 'enable', 'alice'));
    ok(await alice('ccu', 'balance'));

    ok(await admin('product', 'disable', 'small'));
    assert.deepEqual(json<unknown[]>(await alice('product', 'list', '--json')), []);
    ok(await admin('product', 'enable', 'small'));
    const products = await alice('product', 'list');
    assert.match(products.stdout, /\bsmall\s+\S+\s+s:1:64:0 m:2:128:0\s+sim\s+no\s+yes\b/);
  });
});

/** RFC 4180 as csv-stringify writes it: quoted fields may hold commas, quotes ("") and newlines. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}
