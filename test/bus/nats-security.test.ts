import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { NatsBus } from '../../src/bus/nats-bus.ts';
import { natsConnectOptions } from '../../src/bus/nats-security.ts';
import { freePort } from '../support/server-process.ts';

/**
 * The NATS credential settings: a bad combination is refused before connecting, with a message
 * that names the settings; a token is sent as the server expects it (a nats-server of the test's
 * own, on a loopback port, requiring that token). User/password, NKey and TLS with client
 * certificates are shown against docs/nats-server.conf in test/e2e/secure-nats.test.ts.
 */
test('refuses a bad combination of NATS credentials before connecting', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fy-nats-sec-'));
  try {
    assert.throws(() => natsConnectOptions({ user: 'a', token: 't' }), /choose one/);
    assert.throws(() => natsConnectOptions({ password: 'p' }), /needs a user/);
    assert.throws(() => natsConnectOptions({ tlsCert: '/c.pem' }), /go together/);
    const notASeed = join(dir, 'seed');
    writeFileSync(notASeed, 'SUNOTASEED\n');
    assert.throws(() => natsConnectOptions({ nkeySeedFile: notASeed }), /does not hold an NKey user seed/);
    assert.throws(() => natsConnectOptions({ tlsCa: join(dir, 'missing.pem') }), /ENOENT/);
    assert.deepEqual(natsConnectOptions({}), {}, 'no settings: a plain connection');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('connects with a token to a server that requires it, and not without', async (t) => {
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const server = spawn('/usr/sbin/nats-server', ['-a', '127.0.0.1', '-p', String(port), '--auth', token], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(async () => {
    if (server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      process.kill(server.pid as number, 'SIGTERM');
      await exited;
    }
  });
  let out = '';
  server.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const end = Date.now() + 15_000;
  while (!/Server is ready/.test(out)) {
    assert.ok(Date.now() < end && server.exitCode === null, `nats-server did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = `nats://127.0.0.1:${port}`;
  await assert.rejects(NatsBus.connect(url, { events: false }), /Authorization Violation/);
  await assert.rejects(NatsBus.connect(url, { events: false, security: { token: 'guessed' } }), /Authorization Violation/);
  const bus = await NatsBus.connect(url, { events: false, security: { token } });
  try {
    await bus.handle('echo', async (p) => p);
    assert.deepEqual(await bus.request('echo', { hello: 'token' }, 5_000), { hello: 'token' });
    await assert.rejects(bus.publish({} as never), /commands and notices only/, 'an agent connection has no events');
  } finally {
    await bus.close();
  }
});
