import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import ssh2 from 'ssh2';
import { verify } from 'unixcrypt';
import { hostKeyFromConsole, sshRun as sshExec } from '../support/ssh.ts';
import { DEFAULT_REQUIREMENTS } from '../../src/domain/appliance.ts';
import { isFleetyardError } from '../../src/domain/errors.ts';
import { ContainerDriver } from '../../src/drivers/container/container-driver.ts';
import type { Observation, RuntimeLogin, RuntimeSpec } from '../../src/drivers/driver.ts';
import { buildSeed, SEED_PATH, writeSeed } from '../../src/drivers/seed.ts';
import { exec } from '../../src/host/exec.ts';
import { LocalStorage } from '../../src/storage/local-storage.ts';
import { findLeaks, makeTestNetwork, type TestNetwork } from '../support/host-leaks.ts';
import { consoleText } from '../support/console.ts';

/**
 * The user's login inside an appliance, proven the way the user will use it: over SSH to the
 * appliance's address, with the real container driver, the base image built by the project's
 * script, and the `ssh2` client. The client binds to the test bridge's gateway and talks only to
 * addresses of the 169.254 network this file made, and checks the host key the appliance printed
 * on its console. State dir, bridge, appliances and clones all go in `after`, pass or fail.
 */

const { utils } = ssh2;
const stateDir = mkdtempSync(join(tmpdir(), 'fy-login-'));
const storage = new LocalStorage(stateDir);
const driver = new ContainerDriver({ stateDir });
const IMAGE_ID = 'base';
const specs = new Map<string, RuntimeSpec>();
let net: TestNetwork;
let nextHost = 1;

const ready = (async () => {
  net = await makeTestNetwork();
  const tarball = join(stateDir, 'base.tar');
  await exec('bash', [join(import.meta.dirname, '../../scripts/build-base-image.sh'), tarball]);
  await storage.importImage(IMAGE_ID, tarball);
})();

after(async () => {
  for (const id of await driver.list()) await driver.destroy(id).catch(() => undefined);
  for (const id of await storage.listClones()) await storage.removeClone(id).catch(() => undefined);
  await net?.cleanup();
  await rm(stateDir, { recursive: true, force: true });
});

async function makeSpec(login: RuntimeLogin | null, command = ['/bin/sh', '/etc/fleetyard/init']): Promise<RuntimeSpec> {
  await ready;
  const applianceId = `login-${randomBytes(5).toString('hex')}`;
  const { clonePath } = await storage.ensureClone(applianceId);
  const n = nextHost++;
  const spec: RuntimeSpec = {
    applianceId,
    name: applianceId,
    hostname: `host-${n}`,
    command,
    requirements: { ...DEFAULT_REQUIREMENTS, memoryMiB: 48, pids: 64 },
    root: { format: 'rootfs-dir', imagePath: storage.imagePath(IMAGE_ID), clonePath },
    network: { name: 'test', bridge: net.bridge, address: net.address(n), prefixLength: net.prefixLength, gateway: net.gateway },
    env: {},
    login,
  };
  specs.set(applianceId, spec);
  return spec;
}

describe('login with an SSH key', () => {
  const keys = utils.generateKeyPairSync('ed25519', { comment: 'alice@test' });
  let spec: RuntimeSpec;

  before(async () => {
    spec = await makeSpec({ user: 'alice', sshPublicKey: keys.public, password: null });
  });

  it('is applied before the appliance is reported running and lets the user in', async (t) => {
    const t0 = performance.now();
    const obs = await driver.ensure(spec, 'running');
    t.diagnostic(`start with login: ${(performance.now() - t0).toFixed(0)} ms`);
    assert.equal(obs.state, 'running');
    const text = await consoleText(driver, spec.applianceId, 8192);
    const lines = text.split('\n');
    const loginAt = lines.indexOf('fleetyard-login alice ready');
    assert.ok(loginAt >= 0, text);
    const upAt = lines.indexOf(`fleetyard-appliance ${spec.hostname} up`);
    assert.ok(upAt < 0 || upAt > loginAt, text);
    // No waiting: "running" already means SSH accepts the key.
    const r = await sshRun(spec, { username: 'alice', privateKey: keys.private }, 'id -un; hostname; echo ~');
    assert.deepEqual(r, { code: 0, stdout: `alice\n${spec.hostname}\n/home/alice\n` });
  });

  it('installs the key with the permissions sshd insists on, owned by the user', async () => {
    const r = await sshRun(
      spec,
      { username: 'alice', privateKey: keys.private },
      'stat -c "%a %U" ~ ~/.ssh ~/.ssh/authorized_keys; cat ~/.ssh/authorized_keys',
    );
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `755 alice\n700 alice\n600 alice\n${keys.public}\n`);
  });

  it('offers no password login when no password was given', async () => {
    await assert.rejects(sshRun(spec, { username: 'alice', password: 'anything' }, 'true'), /authentication methods failed/);
  });

  it('refuses a key it was not given', async () => {
    const other = utils.generateKeyPairSync('ed25519');
    await assert.rejects(sshRun(spec, { username: 'alice', privateKey: other.private }, 'true'), /authentication methods failed/);
  });
});

describe('login with a generated password', () => {
  const password = randomBytes(18).toString('base64url');
  let spec: RuntimeSpec;
  let obs: Observation;

  before(async () => {
    spec = await makeSpec({ user: 'bob', sshPublicKey: null, password });
    obs = await driver.ensure(spec, 'running');
  });

  it('lets the user in with the password', async () => {
    const r = await sshRun(spec, { username: 'bob', password }, 'id -un; hostname');
    assert.deepEqual(r, { code: 0, stdout: `bob\n${spec.hostname}\n` });
  });

  it('refuses a wrong password, and root', async () => {
    await assert.rejects(sshRun(spec, { username: 'bob', password: `${password}x` }, 'true'), /authentication methods failed/);
    await assert.rejects(sshRun(spec, { username: 'root', password }, 'true'), /authentication methods failed/);
  });

  it('deletes the seed at boot and keeps the plaintext password nowhere', async () => {
    assert.equal(existsSync(join(`/proc/${obs.pid}/root`, SEED_PATH)), false);
    assert.equal(existsSync(join(spec.root.clonePath, 'upper', SEED_PATH)), false);
    const r = await sshRun(spec, { username: 'bob', password }, `test -e /${SEED_PATH} && echo present || echo gone`);
    assert.equal(r.stdout, 'gone\n');
    for (const file of await filesUnder(join(spec.root.clonePath, 'upper'))) {
      assert.ok(!(await readFile(file)).includes(password), `the password is in ${file}`);
    }
    assert.ok(!(await consoleText(driver, spec.applianceId, 1 << 20)).includes(password));
    const shadow = await readFile(join(spec.root.clonePath, 'upper/etc/shadow'), 'utf8');
    assert.match(shadow, /^bob:\$6\$/m);
  });

  it('applies the seed again on restart: one user, and only the new password works', async () => {
    // A password a user might choose, with everything a shell would like to interpret.
    const newPassword = `it's "$HOME" \\ $(id) ${randomBytes(6).toString('hex')}`;
    await driver.ensure(spec, 'stopped');
    const again = { ...spec, login: { user: 'bob', sshPublicKey: null, password: newPassword } };
    await driver.ensure(again, 'running');
    await assert.rejects(sshRun(spec, { username: 'bob', password }, 'true'), /authentication methods failed/);
    const r = await sshRun(spec, { username: 'bob', password: newPassword }, 'grep -c "^bob:" /etc/passwd /etc/group');
    assert.deepEqual(r, { code: 0, stdout: '/etc/passwd:1\n/etc/group:1\n' });
  });
});

describe('the seed', () => {
  const root = join(stateDir, 'seed-root');
  before(() => mkdir(root, { recursive: true }));

  it('carries any value a POSIX shell sources back unchanged, root-only', async () => {
    const login = { user: 'x_y.z-1', sshPublicKey: `ssh-ed25519 AAAA+/== it's "me"`, password: `'; rm -rf / #$(id)\\\`x\`` };
    await writeSeed(root, buildSeed({ hostname: 'h-1', login }));
    const file = join(root, SEED_PATH);
    const st = await stat(file);
    assert.equal(st.mode & 0o777, 0o600);
    assert.equal(st.uid, 0);
    for (const sh of ['/bin/sh', '/bin/busybox']) {
      const args = sh.endsWith('busybox') ? ['sh', '-c'] : ['-c'];
      const script = '. "$1"; printf "%s\\n" "$version" "$hostname" "$login_user" "$login_ssh_key" "$login_password_hash"';
      const { stdout } = await exec(sh, [...args, script, 'sh', file]);
      const [version, hostname, user, key, hash, rest] = stdout.split('\n');
      assert.deepEqual([version, hostname, user, key, rest], ['2', 'h-1', login.user, login.sshPublicKey, ''], sh);
      assert.match(hash ?? '', /^\$6\$[A-Za-z0-9./]{16}\$[A-Za-z0-9./]{86}$/, sh);
      assert.ok(verify(login.password, hash ?? ''), `${sh}: the hash is the password's`);
    }
  });

  it('holds no password, only its SHA-512 crypt hash, salted anew for every seed', () => {
    const password = `pw-${randomBytes(9).toString('hex')}`;
    const login = { user: 'ann', sshPublicKey: null, password };
    const seeds = [buildSeed({ hostname: 'h', login }), buildSeed({ hostname: 'h', login })];
    const hashes = seeds.map((seed) => {
      assert.ok(!seed.includes(password) && !seed.includes('login_password='), seed);
      return /^login_password_hash='(\S+)'$/m.exec(seed)?.[1] ?? '';
    });
    for (const h of hashes) assert.ok(verify(password, h) && !verify(`${password}x`, h));
    assert.notEqual(hashes[0], hashes[1]);
    assert.match(buildSeed({ hostname: 'h', login: { ...login, password: null } }), /^login_password_hash=''$/m);
  });

  it('never follows a symlink the appliance left in its root', async () => {
    const outside = join(stateDir, 'outside');
    await mkdir(outside, { recursive: true });
    const target = join(outside, 'precious');
    await writeFile(target, 'keep');
    // The seed file itself a symlink: replaced, the target untouched.
    await rm(join(root, SEED_PATH), { force: true });
    await symlink(target, join(root, SEED_PATH));
    await writeSeed(root, buildSeed({ hostname: 'h', login: null }));
    assert.ok((await lstat(join(root, SEED_PATH))).isFile());
    assert.equal(await readFile(target, 'utf8'), 'keep');
    // A directory on the way a symlink: refused.
    const evil = join(stateDir, 'evil-root');
    await mkdir(join(evil, 'etc'), { recursive: true });
    await symlink(outside, join(evil, 'etc/fleetyard'));
    await assert.rejects(writeSeed(evil, buildSeed({ hostname: 'h', login: null })), (e) => isFleetyardError(e) && e.code === 'FY_DRIVER_FAILED');
    assert.deepEqual(await readdir(outside), ['precious']);
  });
});

describe('a login that cannot be applied', () => {
  it('refuses a login it cannot carry, before making anything', async () => {
    const spec = await makeSpec({ user: 'Bad User', sshPublicKey: null, password: 'x' });
    await assert.rejects(driver.ensure(spec, 'running'), (e) => isFleetyardError(e) && e.code === 'FY_VALIDATION');
    const withNewline = await makeSpec({ user: 'carol', sshPublicKey: null, password: 'a\nb' });
    await assert.rejects(driver.ensure(withNewline, 'running'), (e) => {
      assert.ok(isFleetyardError(e) && e.code === 'FY_VALIDATION');
      assert.ok(!e.message.includes('a\nb') && !JSON.stringify(e.details).includes('a\\nb'));
      return true;
    });
    for (const s of [spec, withNewline]) assert.equal((await driver.inspect(s.applianceId)).state, 'absent');
  });

  it('fails the start with the console when the appliance reports a failed login', async () => {
    const spec = await makeSpec({ user: 'dave', sshPublicKey: null, password: 'pw' }, [
      '/bin/sh',
      '-c',
      'trap "exit 0" TERM; echo "fleetyard-login dave failed: on purpose"; sleep 60 & wait',
    ]);
    await assert.rejects(driver.ensure(spec, 'running'), (e) => {
      assert.ok(isFleetyardError(e) && e.code === 'FY_DRIVER_FAILED');
      assert.match(e.message, /login of dave failed: on purpose/);
      return true;
    });
    assert.equal((await driver.inspect(spec.applianceId)).state, 'absent');
  });

  it('fails the start when the appliance exits without applying the login', async () => {
    const spec = await makeSpec({ user: 'erin', sshPublicKey: null, password: 'pw' }, ['/bin/sh', '-c', 'echo bye']);
    await assert.rejects(driver.ensure(spec, 'running'), (e) => {
      assert.ok(isFleetyardError(e) && e.code === 'FY_DRIVER_FAILED');
      assert.match(e.message, /the appliance exited[\s\S]*bye/);
      return true;
    });
    assert.equal((await driver.inspect(spec.applianceId)).state, 'absent');
  });
});

describe('after everything', () => {
  it('stop and destroy leave nothing of any appliance behind', async () => {
    for (const spec of specs.values()) {
      assert.equal((await driver.ensure(spec, 'stopped')).state, 'stopped');
      await driver.destroy(spec.applianceId);
      await storage.removeClone(spec.applianceId);
    }
    assert.deepEqual(await findLeaks([...specs.keys()], stateDir), []);
  });
});

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(join(e.parentPath, e.name));
  }
  return out;
}

/**
 * Runs `command` over SSH as the given user (see test/support/ssh.ts). Only addresses in this
 * file's test network are dialled, from its gateway, and the host key must be the one the
 * appliance printed on its console.
 */
async function sshRun(
  spec: RuntimeSpec,
  auth: { username: string; privateKey?: string; password?: string },
  command: string,
): Promise<{ code: number | null; stdout: string }> {
  const host = spec.network.address as string;
  assert.ok(host.startsWith('169.254.') && host.split('.').slice(0, 3).join('.') === net.gateway.split('.').slice(0, 3).join('.'));
  return sshExec({ address: host, localAddress: net.gateway, hostKey: await consoleHostKey(spec.applianceId) }, auth, command);
}

async function consoleHostKey(applianceId: string): Promise<Buffer> {
  return hostKeyFromConsole(await consoleText(driver, applianceId, 1 << 20));
}
