import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { FleetyardError } from '../../src/domain/errors.ts';
import { MAIL_TEMPLATE_NAMES, MAIL_TEMPLATES } from '../../src/mail/catalog.ts';
import { DEFAULT_TEMPLATE_DIR, MailTemplate, MailTemplates, REDACTED, type MailVars } from '../../src/mail/templates.ts';

/** Sample values: every documented variable of a template, each easy to find in the output. */
function sampleVars(name: keyof typeof MAIL_TEMPLATES): Record<string, string> {
  return Object.fromEntries(Object.keys(MAIL_TEMPLATES[name].variables).map((v) => [v, `<${v}-value>`]));
}

const templateError = (pattern: RegExp) => (e: unknown) =>
  e instanceof FleetyardError && e.code === 'FY_MAIL_TEMPLATE' && pattern.test(e.message);

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fy-mail-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const parse = (text: string): MailTemplate => MailTemplate.parse('request-approved', text, 'test.txt');

describe('shipped mail templates', () => {
  const templates = new MailTemplates();

  test('there is one file per catalog entry and no other', async () => {
    const files = (await readdir(DEFAULT_TEMPLATE_DIR)).filter((f) => f.endsWith('.txt')).map((f) => f.slice(0, -4));
    assert.deepEqual(files.sort(), [...MAIL_TEMPLATE_NAMES].sort());
  });

  for (const name of MAIL_TEMPLATE_NAMES) {
    test(`${name} renders with its documented variables and uses no others`, async () => {
      const template = await templates.load(name);
      const documented = Object.keys(MAIL_TEMPLATES[name].variables);
      const undocumented = [...template.variables].filter((v) => !documented.includes(v));
      assert.deepEqual(undocumented, [], `${name} uses undocumented variables`);
      const vars = sampleVars(name);
      const mail = template.render(vars);
      assert.ok(mail.subject.length > 0 && !mail.subject.includes('\n'));
      assert.ok(mail.body.trim().length > 0);
      assert.ok(!`${mail.subject}${mail.body}`.includes('{{'), 'a placeholder was left in');
      for (const v of template.variables) {
        assert.ok(`${mail.subject}\n${mail.body}`.includes(vars[v] as string), `${name} does not show {{${v}}}`);
      }
    });
  }

  test('templates/mail/README.md lists every template with each of its variables', async () => {
    const readme = await readFile(join(DEFAULT_TEMPLATE_DIR, 'README.md'), 'utf8');
    for (const name of MAIL_TEMPLATE_NAMES) {
      const row = readme.split('\n').find((l) => l.startsWith(`| \`${name}\` |`));
      assert.ok(row, `README.md has no row for ${name}`);
      for (const v of Object.keys(MAIL_TEMPLATES[name].variables)) assert.ok(row.includes(`\`${v}\``), `README.md: ${name} lacks ${v}`);
    }
  });

  const active = {
    user: 'alice', request: 'web-1', state: 'active', reason: 'running', login: 'alice', addresses: '169.254.64.7',
    access: '  ssh alice@169.254.64.7   (web-1-0)', endAt: '2026-02-01T00:00:00.000Z',
  };

  test('request-active gives the address, the login, the ssh command and the password, hidden where shown', async () => {
    const mail = await templates.render('request-active', { ...active, password: 'Tr0ub4dor&3' });
    assert.match(mail.subject, /web-1/);
    assert.match(mail.body, /Address: 169\.254\.64\.7/);
    assert.match(mail.body, /User: +alice/);
    assert.match(mail.body, /^ {2}ssh alice@169\.254\.64\.7 {3}\(web-1-0\)$/m);
    assert.match(mail.body, /Password: Tr0ub4dor&3/);
    assert.ok(!mail.redactedBody.includes('Tr0ub4dor&3'));
    assert.ok(mail.redactedBody.includes(`Password: ${REDACTED}`));
    assert.equal(mail.redactedBody.replace(REDACTED, 'Tr0ub4dor&3'), mail.body);
  });

  test('request-active without a password tells the user to log in with their SSH key', async () => {
    const mail = await templates.render('request-active', { ...active, password: '' });
    assert.ok(!mail.body.includes('Password:'));
    assert.match(mail.body, /SSH key/);
    assert.ok(!/\n\n\n/.test(mail.body), 'a section left an empty line behind');
    assert.equal(mail.redactedBody, mail.body);
  });

  test('an empty comment leaves no empty "Comment:" line', async () => {
    const vars = { ...sampleVars('request-approved'), comment: '' };
    assert.ok(!(await templates.render('request-approved', vars)).body.includes('Comment:'));
    assert.match((await templates.render('request-approved', { ...vars, comment: 'enjoy' })).body, /Comment: +enjoy/);
  });
});

describe('template rendering', () => {
  test('a missing variable is an error naming the template, its file and the variable', () => {
    const t = parse('Subject: {{request}} approved\n\nHello {{user}}, see {{reason}}.\n');
    assert.throws(() => t.render({ user: 'alice' }), (e: unknown) => {
      assert.ok(e instanceof FleetyardError && e.code === 'FY_MAIL_TEMPLATE');
      assert.match(e.message, /request-approved/);
      assert.match(e.message, /test\.txt/);
      assert.match(e.message, /\{\{request\}\}, \{\{reason\}\}/);
      assert.match(e.message, /given: user/);
      return true;
    });
  });

  test('a variable used only by a section must be given too', () => {
    const t = parse('Subject: s\n\n{{#password}}pw{{/password}}\n');
    assert.throws(() => t.render({}), templateError(/\{\{password\}\}/));
    assert.equal(t.render({ password: '' }).body, '\n');
  });

  test('sections keep or drop their text; a tag alone on its line takes the line', () => {
    const t = parse('Subject: s\n\nA\n{{#x}}\nX is {{x}}\n{{/x}}\n{{^x}}\nno X\n{{/x}}\nB {{#x}}inline{{/x}}.\n');
    assert.equal(t.render({ x: '1' }).body, 'A\nX is 1\nB inline.\n');
    assert.equal(t.render({ x: '' }).body, 'A\nno X\nB .\n');
  });

  test('numbers render as text; placeholders may have spaces inside the braces', () => {
    const t = parse('Subject: {{ n }} left\n\n{{n}} credits\n');
    const mail = t.render({ n: 42 } satisfies MailVars);
    assert.equal(mail.subject, '42 left');
    assert.equal(mail.body, '42 credits\n');
  });

  test('a variable cannot add a line to the subject', () => {
    const t = parse('Subject: Request {{request}}\n\nbody\n');
    assert.equal(t.render({ request: 'a\r\nBcc: victim@example.com' }).subject, 'Request a Bcc: victim@example.com');
  });

  test('CRLF files and a byte-order mark are read like plain LF files', () => {
    const t = parse('\uFEFFSubject: s {{user}}\r\n\r\nline 1\r\nline {{user}}\r\n');
    assert.deepEqual(t.render({ user: 'u' }), { subject: 's u', body: 'line 1\nline u\n', redactedBody: 'line 1\nline u\n' });
  });

  const malformed: Array<[string, string, RegExp]> = [
    ['no subject line', 'Hello\n\nbody', /first line must be "Subject: …"/],
    ['no blank line after the subject', 'Subject: s\nbody', /followed by a blank line/],
    ['a tag that is not a placeholder', 'Subject: s\n\nHi {{ user name }}', /line 3: "\{\{ user name \}\}" is not a placeholder/],
    ['an unclosed "{{"', 'Subject: s\n\n\nHi {{user', /line 4: "\{\{" is not closed/],
    ['an unclosed section', 'Subject: s\n\n{{#a}}\nx', /section \{\{#a\}\} is never closed/],
    ['a close without an open', 'Subject: s\n\nx{{/a}}', /\{\{\/a\}\} closes no section/],
    ['crossed sections', 'Subject: s\n\n{{#a}}{{#b}}{{/a}}{{/b}}', /\{\{\/a\}\} closes the section \{\{#b\}\}/],
  ];
  for (const [what, text, message] of malformed) {
    test(`a template with ${what} is refused with the line`, () => {
      assert.throws(() => parse(text), templateError(message));
    });
  }
});

describe('template files', () => {
  test("an admin's file in the override directory is used instead of the shipped one", async (t) => {
    const dir = await tempDir(t);
    await writeFile(join(dir, 'request-denied.txt'), 'Subject: Sorry, {{user}}\n\nCustom text for {{request}}.\n');
    const templates = new MailTemplates({ overrideDir: dir });
    const vars = sampleVars('request-denied');
    const denied = await templates.render('request-denied', vars);
    assert.equal(denied.subject, 'Sorry, <user-value>');
    assert.equal(denied.body, 'Custom text for <request-value>.\n');
    assert.equal((await templates.load('request-denied')).source, join(dir, 'request-denied.txt'));
    // Others still come from the shipped files, and loadDefault ignores the override.
    assert.equal((await templates.load('request-failed')).source, join(DEFAULT_TEMPLATE_DIR, 'request-failed.txt'));
    assert.equal((await templates.loadDefault('request-denied')).source, join(DEFAULT_TEMPLATE_DIR, 'request-denied.txt'));
  });

  test('an override directory that does not exist means the shipped templates', async (t) => {
    const templates = new MailTemplates({ overrideDir: join(await tempDir(t), 'missing') });
    assert.equal((await templates.load('credits-low')).source, join(DEFAULT_TEMPLATE_DIR, 'credits-low.txt'));
  });

  test('only catalog names reach the file system', async () => {
    const templates = new MailTemplates();
    await assert.rejects(templates.load('../../package'), templateError(/unknown template name/));
    await assert.rejects(templates.load('welcome'), templateError(/unknown template name/));
  });

  test('a catalog template without a file is an error naming the directory', async (t) => {
    const dir = await tempDir(t);
    const templates = new MailTemplates({ defaultDir: dir });
    await assert.rejects(templates.load('request-approved'), templateError(new RegExp(`${dir.replace(/[/\\.]/g, '\\$&')}.*no such file`)));
  });
});
