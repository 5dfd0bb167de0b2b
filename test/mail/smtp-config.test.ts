import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { inspect } from 'node:util';
import { describe, test } from 'node:test';
import { describeSmtp, smtpConfigFromEnv } from '../../src/mail/smtp-config.ts';

/** SMTP configuration from the environment: what each form means, and that no password shows. */
describe('SMTP configuration', () => {
  test('nothing set means no SMTP', () => {
    assert.equal(smtpConfigFromEnv({}), undefined);
    assert.equal(smtpConfigFromEnv({ FLEETYARD_SMTP_URL: '', FLEETYARD_SMTP_HOST: '' }), undefined);
  });

  test('smtp:// is port 587 with STARTTLS when offered; smtps:// is TLS on 465', () => {
    const plain = smtpConfigFromEnv({ FLEETYARD_SMTP_URL: 'smtp://mail.example.test' });
    assert.deepEqual({ ...plain, auth: plain?.auth }, {
      host: 'mail.example.test', port: 587, secure: false, auth: undefined, from: `fleetyard@${hostname()}`, rejectUnauthorized: true,
    });
    const tls = smtpConfigFromEnv({ FLEETYARD_SMTP_URL: 'smtps://mail.example.test' });
    assert.equal(tls?.port, 465);
    assert.equal(tls?.secure, true);
  });

  test('user and password come from the URL, percent-decoded, or from their own variables', () => {
    const fromUrl = smtpConfigFromEnv({ FLEETYARD_SMTP_URL: 'smtp://ops%40example.test:p%3Ass%2Fw@mail.example.test:2525', FLEETYARD_SMTP_FROM: 'ops@example.test' });
    assert.equal(fromUrl?.auth?.user, 'ops@example.test');
    assert.equal(fromUrl?.auth?.password.reveal(), 'p:ss/w');
    assert.equal(fromUrl?.port, 2525);
    assert.equal(fromUrl?.from, 'ops@example.test');
    const split = smtpConfigFromEnv({ FLEETYARD_SMTP_URL: 'smtp://mail.example.test', FLEETYARD_SMTP_USER: 'ops', FLEETYARD_SMTP_PASSWORD: 'secret-1' });
    assert.equal(split?.auth?.user, 'ops');
    assert.equal(split?.auth?.password.reveal(), 'secret-1');
  });

  test('the parts: host, port, secure, and the certificate check', () => {
    const c = smtpConfigFromEnv({
      FLEETYARD_SMTP_HOST: 'relay.internal',
      FLEETYARD_SMTP_PORT: '465',
      FLEETYARD_SMTP_USER: 'fy',
      FLEETYARD_SMTP_PASSWORD: 'pw',
      FLEETYARD_SMTP_REJECT_UNAUTHORIZED: 'false',
    });
    assert.equal(c?.host, 'relay.internal');
    assert.equal(c?.port, 465);
    assert.equal(c?.secure, true, 'port 465 means TLS unless told otherwise');
    assert.equal(c?.rejectUnauthorized, false);
    assert.equal(smtpConfigFromEnv({ FLEETYARD_SMTP_HOST: 'relay.internal', FLEETYARD_SMTP_SECURE: 'yes' })?.port, 465);
    assert.equal(smtpConfigFromEnv({ FLEETYARD_SMTP_HOST: 'relay.internal', FLEETYARD_SMTP_PORT: '25' })?.secure, false);
  });

  test('invalid settings are refused by name, without quoting a password', () => {
    const cases: Array<[NodeJS.ProcessEnv, RegExp]> = [
      [{ FLEETYARD_SMTP_URL: 'http://u:hunter2@mail.example.test' }, /must start with smtp:\/\/ or smtps:\/\//],
      [{ FLEETYARD_SMTP_URL: 'smtp://u:hunter2@[bad' }, /FLEETYARD_SMTP_URL is not a valid URL/],
      [{ FLEETYARD_SMTP_URL: 'smtp://mail.example.test', FLEETYARD_SMTP_HOST: 'other' }, /either FLEETYARD_SMTP_URL or FLEETYARD_SMTP_HOST/],
      [{ FLEETYARD_SMTP_HOST: 'h', FLEETYARD_SMTP_PORT: '99999' }, /FLEETYARD_SMTP_PORT must be a port number/],
      [{ FLEETYARD_SMTP_HOST: 'h', FLEETYARD_SMTP_SECURE: 'maybe' }, /FLEETYARD_SMTP_SECURE must be true or false/],
      [{ FLEETYARD_SMTP_HOST: 'h', FLEETYARD_SMTP_PASSWORD: 'hunter2' }, /no user: set FLEETYARD_SMTP_USER/],
      [{ FLEETYARD_SMTP_URL: 'smtp://a:hunter2@h', FLEETYARD_SMTP_USER: 'b' }, /name different users/],
    ];
    for (const [env, message] of cases) {
      assert.throws(() => smtpConfigFromEnv(env), (e: unknown) => {
        assert.ok(e instanceof Error);
        assert.match(e.message, message);
        assert.ok(!e.message.includes('hunter2'), e.message);
        return true;
      });
    }
  });

  test('the password shows in no log form of the configuration', () => {
    const c = smtpConfigFromEnv({ FLEETYARD_SMTP_URL: 'smtps://ops:hunter2@mail.example.test' });
    assert.ok(c);
    assert.equal(describeSmtp(c), 'smtps://ops@mail.example.test:465');
    for (const shown of [JSON.stringify(c), inspect(c, { depth: 5 }), String(c.auth?.password), `${c.auth?.password}`]) {
      assert.ok(!shown.includes('hunter2'), shown);
    }
  });
});
