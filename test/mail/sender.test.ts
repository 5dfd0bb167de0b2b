import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { FakeClock } from '../../src/domain/clock.ts';
import { SecretBox } from '../../src/identity/secret-box.ts';
import { MailRepo, type MailRow } from '../../src/mail/mail-repo.ts';
import { MailSender } from '../../src/mail/mail-sender.ts';
import { MailOutbox, type OutgoingMail, type Sealer } from '../../src/mail/outbox.ts';
import type { RetryPolicy } from '../../src/mail/retry-policy.ts';
import { smtpConfigFromEnv } from '../../src/mail/smtp-config.ts';
import { MailTemplates } from '../../src/mail/templates.ts';
import type { Store } from '../../src/store/store.ts';
import { engines, type Engine } from '../support/engines.ts';
import { aNewEvent } from '../support/objects.ts';
import { SMTP_PASSWORD, SMTP_USER, startTestSmtpServer, type TestSmtpServer } from './smtp-test-server.ts';

/**
 * The mail outbox and sender against a real SMTP server on loopback, on SQLite and PostgreSQL.
 * Retries run on a FakeClock: advancing it fires the sender's timer, and `sender.idle()` waits
 * for the pass that timer started; nothing sleeps and nothing is timed.
 */

const ALICE = 'alice@example.test';
/** Alice's user id: the mails to her, and their events, are hers. */
const ALICE_ID = '0190b8a4-0000-7000-8000-0000000000a1';
const FROM = 'Fleetyard <noreply@fleetyard.example.test>';
const ACTIVE = {
  user: 'alice', request: 'web-1', state: 'active', reason: 'running', login: 'alice', addresses: '169.254.64.7',
  access: '  ssh alice@169.254.64.7   (web-1-0)', endAt: '2026-02-01T00:00:00.000Z',
};
const RETRY: RetryPolicy = { firstDelayMs: 30_000, maxDelayMs: 3_600_000, maxAttempts: 4 };

interface Harness {
  store: Store;
  clock: FakeClock;
  smtp: TestSmtpServer;
  outbox: MailOutbox;
  sender: MailSender;
  logs: string[];
  mails: MailRepo;
  /** Records `mail` in a transaction of its own (which kicks the sender) and waits for the pass. */
  enqueue(mail: Partial<OutgoingMail>): Promise<string>;
  /** Moves the clock and waits for whatever sending that started. */
  advance(ms: number): Promise<void>;
  row(id: string): Promise<MailRow>;
}

interface HarnessOptions {
  /** 'none': the sender has no SMTP configuration at all. */
  smtp?: 'up' | 'none';
  overrideDir?: string;
  sealer?: Sealer;
}

let keys = 0;
const approved = (over: Partial<OutgoingMail> = {}): OutgoingMail => ({
  to: ALICE,
  recipientId: ALICE_ID,
  template: 'request-approved',
  vars: {
    user: 'alice', request: 'web-1', state: 'approved', reason: 'approved by policy',
    startAt: '2026-01-01T00:00:00.000Z', endAt: '2026-02-01T00:00:00.000Z', ccuPerHour: '1.5', comment: '',
  },
  idempotencyKey: `test:${++keys}`,
  related: { kind: 'request', id: '0190b8a4-0000-7000-8000-000000000001' },
  ...over,
});

async function harness(t: TestContext, engine: Engine, opts: HarnessOptions = {}): Promise<Harness> {
  const clock = new FakeClock();
  const { store, cleanup } = await engine.openStore({ clock });
  const smtp = await startTestSmtpServer();
  const logs: string[] = [];
  const log = (msg: string): void => void logs.push(msg);
  const outbox = new MailOutbox({ templates: new MailTemplates({ overrideDir: opts.overrideDir }), ids: store.ids, clock, sealer: opts.sealer, log });
  const config = smtpConfigFromEnv({
    FLEETYARD_SMTP_URL: `smtp://${SMTP_USER}:${encodeURIComponent(SMTP_PASSWORD)}@127.0.0.1:${smtp.port}`,
    FLEETYARD_SMTP_FROM: FROM,
  });
  const sender = new MailSender({ store, smtp: opts.smtp === 'none' ? undefined : config, clock, retry: RETRY, sealer: opts.sealer, log });
  store.onCommit(() => sender.kick());
  t.after(async () => {
    await sender.stop();
    await smtp.stop();
    await cleanup();
    const leaked = logs.filter((l) => l.includes(SMTP_PASSWORD));
    assert.deepEqual(leaked, [], 'a log line shows the SMTP password');
  });
  sender.start();
  await sender.idle();
  const mails = new MailRepo(store.db);
  return {
    store,
    clock,
    smtp,
    outbox,
    sender,
    logs,
    mails,
    async enqueue(mail) {
      const { id } = await store.transaction((tx) => outbox.enqueueMail(tx, approved(mail)));
      await sender.idle();
      return id;
    },
    async advance(ms) {
      clock.advance(ms);
      await sender.idle();
    },
    async row(id) {
      const row = await mails.get(id);
      assert.ok(row, `mail ${id} is recorded`);
      return row;
    },
  };
}

for (const engine of engines()) {
  describe(`mail outbox and sender on ${engine.name}`, () => {
    test('a mail recorded in a transaction arrives with its recipient, subject and body', async (t) => {
      const h = await harness(t, engine);
      const id = await h.enqueue({
        template: 'request-active',
        vars: { ...ACTIVE, password: 'Gen-3rated-Pw' },
      });
      assert.equal(h.smtp.received.length, 1);
      const got = h.smtp.received[0];
      assert.ok(got);
      assert.deepEqual(got.to, [ALICE]);
      assert.equal(got.from, 'noreply@fleetyard.example.test');
      assert.equal(got.subject, 'Your request web-1 is ready: how to log in');
      assert.match(got.text, /ssh alice@169\.254\.64\.7/);
      assert.match(got.text, /Password: Gen-3rated-Pw/);
      assert.equal(got.messageId, `<${id}@fleetyard.example.test>`);
      assert.equal(got.headers['auto-submitted'], 'auto-generated');

      const row = await h.row(id);
      assert.equal(row.state, 'sent');
      assert.equal(Number(row.attempts), 1);
      assert.equal(row.message_id, got.messageId);
      assert.equal(row.sent_at, h.clock.now().toISOString());
      assert.equal(row.next_attempt_at, null);
      // Once sent, the generated password is gone from the record; it was only ever in the mail.
      assert.ok(!row.body_text.includes('Gen-3rated-Pw') && !row.body_redacted.includes('Gen-3rated-Pw'));
      assert.match(row.body_redacted, /Password: \[hidden\]/);
      const events = await h.store.read.events.list({ kind: 'mail', objectId: id });
      assert.deepEqual(events.map((e) => e.type), ['mail.queued', 'mail.sent']);
      assert.deepEqual(events.map((e) => e.ownerId), [ALICE_ID, ALICE_ID], 'the events of a mail belong to its recipient');
      assert.ok(!JSON.stringify(events).includes('Gen-3rated-Pw'));
      assert.equal(h.clock.pendingTimers(), 0, 'nothing is left to wake up for');
    });

    test('with a key, a body holding a password is sealed until it is sent', async (t) => {
      const dir = await mkdtemp(join(tmpdir(), 'fy-mail-key-'));
      t.after(() => rm(dir, { recursive: true, force: true }));
      const h = await harness(t, engine, { sealer: SecretBox.forDataDir(dir) });
      await h.smtp.stop();
      const withPassword = await h.enqueue({ template: 'request-active', vars: { ...ACTIVE, password: 'Gen-3rated-Pw' } });
      const withKey = await h.enqueue({ template: 'request-active', vars: { ...ACTIVE, password: '' } });
      const pending = await h.row(withPassword);
      assert.equal(pending.state, 'pending');
      assert.equal(pending.body_sealed, 1);
      assert.ok(!JSON.stringify(pending).includes('Gen-3rated-Pw'), 'the password is not readable at rest');
      assert.equal((await h.row(withKey)).body_sealed, 0, 'a mail without a secret needs no sealing');

      await h.smtp.start();
      await h.advance(30_000);
      assert.equal(h.smtp.received.length, 2);
      assert.match(h.smtp.received.find((m) => m.text.includes('Password:'))?.text ?? '', /Password: Gen-3rated-Pw/);
      const sent = await h.row(withPassword);
      assert.equal(sent.state, 'sent');
      assert.equal(sent.body_sealed, 0);
      assert.equal(sent.body_text, sent.body_redacted);
    });

    test('a rolled-back transaction records and sends nothing', async (t) => {
      const h = await harness(t, engine);
      await assert.rejects(
        h.store.transaction(async (tx) => {
          await h.outbox.enqueue(tx, approved());
          throw new Error('the change failed');
        }),
        /the change failed/,
      );
      h.sender.kick();
      await h.sender.idle();
      assert.equal(h.smtp.dataAttempts, 0);
      assert.deepEqual((await h.mails.list()).items, []);
    });

    test('the same idempotency key twice records and sends one mail, and the transaction goes on', async (t) => {
      const h = await harness(t, engine);
      const mail = approved();
      const [first, second] = await h.store.transaction(async (tx) => {
        const a = await h.outbox.enqueueMail(tx, mail);
        const b = await h.outbox.enqueueMail(tx, { ...mail, vars: { ...mail.vars, reason: 'replayed' } });
        // On PostgreSQL a failed statement would abort the transaction: this write proves it did not.
        await tx.emit(aNewEvent('r1', 'after the replay'));
        return [a, b];
      });
      await h.sender.idle();
      // A replay in a later transaction (a reconciler running the transition again) is a no-op too.
      const third = await h.store.transaction((tx) => h.outbox.enqueueMail(tx, mail));
      await h.sender.idle();
      assert.deepEqual([first.created, second.created, third.created], [true, false, false]);
      assert.equal(second.id, first.id);
      assert.equal(third.id, first.id);
      assert.equal(h.smtp.received.length, 1);
      assert.match(h.smtp.received[0]?.text ?? '', /Decision: +approved by policy/);
      assert.equal((await h.mails.list()).items.length, 1);
      assert.equal((await h.store.read.events.list({ objectId: 'r1', type: 'resource.removed' })).length, 1);
    });

    test('a server answering 4xx is retried with backoff on the clock until the mail is sent', async (t) => {
      const h = await harness(t, engine);
      h.smtp.refuseData = (n) => (n <= 2 ? { code: 451, message: '4.3.0 try again later' } : undefined);
      const id = await h.enqueue({});
      let row = await h.row(id);
      assert.equal(row.state, 'pending');
      assert.equal(Number(row.attempts), 1);
      assert.match(row.last_error ?? '', /451/);
      const start = h.clock.now().getTime();
      assert.equal(row.next_attempt_at, new Date(start + 30_000).toISOString());

      await h.advance(29_999);
      assert.equal(h.smtp.dataAttempts, 1, 'not retried before it is due');
      await h.advance(1);
      row = await h.row(id);
      assert.equal(Number(row.attempts), 2);
      assert.equal(row.next_attempt_at, new Date(start + 30_000 + 60_000).toISOString(), 'the wait doubles');

      await h.advance(60_000);
      row = await h.row(id);
      assert.equal(row.state, 'sent');
      assert.equal(Number(row.attempts), 3);
      assert.equal(h.smtp.dataAttempts, 3);
      assert.equal(h.smtp.received.length, 1);
      const events = await h.store.read.events.list({ kind: 'mail', objectId: id });
      assert.deepEqual(events.map((e) => e.type), ['mail.queued', 'mail.deferred', 'mail.deferred', 'mail.sent']);
      assert.ok(events.every((e) => e.ownerId === ALICE_ID), 'a mail sent later still knows whose it is');
      assert.ok(h.logs.some((l) => l.includes(`mail ${id}`) && l.includes('attempt 1 of 4 failed') && l.includes('451')));
    });

    test('a server that is down at first is retried until it answers', async (t) => {
      const h = await harness(t, engine);
      await h.smtp.stop();
      const id = await h.enqueue({});
      let row = await h.row(id);
      assert.equal(row.state, 'pending');
      assert.equal(Number(row.attempts), 1);
      assert.match(row.last_error ?? '', /ECONNREFUSED|connect/i);

      await h.smtp.start();
      await h.advance(30_000);
      row = await h.row(id);
      assert.equal(row.state, 'sent');
      assert.equal(Number(row.attempts), 2);
      assert.equal(h.smtp.received.length, 1);
    });

    test('after the last attempt a mail is failed, other mails still go out, and an admin retry sends it', async (t) => {
      const h = await harness(t, engine);
      h.smtp.refusedRecipients.add('gone@example.test');
      const bad = await h.enqueue({ to: 'gone@example.test' });
      const good = await h.enqueue({});
      assert.equal((await h.row(good)).state, 'sent', 'a failing mail does not hold up the next one');

      for (const wait of [30_000, 60_000, 120_000]) await h.advance(wait);
      const row = await h.row(bad);
      assert.equal(row.state, 'failed');
      assert.equal(Number(row.attempts), RETRY.maxAttempts);
      assert.equal(row.next_attempt_at, null);
      assert.match(row.last_error ?? '', /550/);
      assert.equal(h.clock.pendingTimers(), 0, 'a failed mail is not tried again on its own');
      assert.ok(h.logs.some((l) => l.includes(`mail ${bad}`) && l.includes('giving up')));
      await h.advance(24 * 3_600_000);
      assert.equal(Number((await h.row(bad)).attempts), RETRY.maxAttempts);

      // Later mails are unaffected.
      const later = await h.enqueue({});
      assert.equal((await h.row(later)).state, 'sent');

      // The address is fixed on the server's side; an admin's retry sends the mail again at once.
      h.smtp.refusedRecipients.clear();
      const retried = await h.store.transaction((tx) => new MailRepo(tx.db).retry(bad, h.clock.now()));
      assert.equal(retried?.state, 'pending');
      assert.equal(Number(retried?.attempts), 0);
      await h.sender.idle();
      const sent = await h.row(bad);
      assert.equal(sent.state, 'sent');
      assert.equal(Number(sent.attempts), 1);
      assert.deepEqual(h.smtp.received.map((m) => m.to[0]), [ALICE, ALICE, 'gone@example.test']);
      // A sent mail cannot be retried.
      assert.equal(await h.mails.retry(bad, h.clock.now()), undefined);
    });

    test('a mail is claimed by one sender at a time, and a claim that outlives its sender expires', async (t) => {
      // No SMTP here, so the only senders are the two this test plays by hand.
      const h = await harness(t, engine, { smtp: 'none' });
      const id = await h.enqueue({});
      const row = await h.row(id);
      const now = h.clock.now();
      const until = new Date(now.getTime() + 60_000);
      const claims = await Promise.all([h.mails.claim(row, now, until), h.mails.claim(row, now, until)]);
      const first = claims.find((c) => c !== undefined);
      assert.equal(claims.filter((c) => c !== undefined).length, 1, 'exactly one claim wins');
      assert.ok(first);
      // While claimed it is not due, and an admin retry leaves it alone.
      assert.deepEqual(await h.mails.due(now, 10), []);
      assert.equal(await h.mails.retry(id, now), undefined);

      // The first sender died mid-send: once its claim expires, another sender takes the mail.
      const later = new Date(until.getTime());
      const [expired] = await h.mails.due(later, 10);
      assert.equal(expired?.id, id);
      const second = await h.mails.claim(expired as MailRow, later, new Date(later.getTime() + 60_000));
      assert.ok(second);
      assert.equal(Number(second.attempts), 2);
      // The first sender's late answer changes nothing; the second one's counts.
      assert.equal(await h.mails.markSent(first, later, '<late@example.test>'), false);
      assert.equal(await h.mails.markSent(second, later, '<second@example.test>'), true);
      const sent = await h.row(id);
      assert.equal(sent.state, 'sent');
      assert.equal(sent.message_id, '<second@example.test>');
    });

    test('without SMTP, mails stay recorded as pending and a log line says why', async (t) => {
      const h = await harness(t, engine, { smtp: 'none' });
      const id = await h.enqueue({});
      await h.advance(3_600_000);
      const row = await h.row(id);
      assert.equal(row.state, 'pending');
      assert.equal(Number(row.attempts), 0);
      assert.equal(h.smtp.dataAttempts, 0);
      assert.ok(h.logs.some((l) => /no SMTP server is configured.*FLEETYARD_SMTP_URL/.test(l)));
    });

    test("a broken admin override falls back to the shipped template; an unpreparable mail is recorded as failed", async (t) => {
      const dir = await mkdtemp(join(tmpdir(), 'fy-mail-override-'));
      t.after(() => rm(dir, { recursive: true, force: true }));
      await writeFile(join(dir, 'request-approved.txt'), 'Subject: {{request}} ok\n\nDear {{fullName}}\n');
      const h = await harness(t, engine, { overrideDir: dir });
      const id = await h.enqueue({});
      assert.equal((await h.row(id)).state, 'sent');
      assert.equal(h.smtp.received[0]?.subject, 'Your request web-1 was approved');
      assert.ok(h.logs.some((l) => /\{\{fullName\}\}.*using the shipped template instead/.test(l)));

      // Neither an unknown template nor a bad address aborts the caller's transaction.
      const [unknown, badAddress] = await h.store.transaction(async (tx) => [
        await h.outbox.enqueueMail(tx, approved({ template: 'no-such-template' })),
        await h.outbox.enqueueMail(tx, approved({ to: 'not an address' })),
      ]);
      await h.sender.idle();
      for (const [r, reason] of [[unknown, /unknown template name/], [badAddress, /not an e-mail address/]] as const) {
        const row = await h.row(r.id);
        assert.equal(row.state, 'failed');
        assert.equal(Number(row.attempts), 0);
        assert.match(row.last_error ?? '', reason);
        assert.equal(await h.mails.retry(r.id, h.clock.now()), undefined, 'there is nothing to send again');
      }
      assert.equal(h.smtp.received.length, 1);
    });
  });
}
