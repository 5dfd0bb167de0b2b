import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FleetyardError } from '../domain/errors.ts';
import { isMailTemplateName, secretVariables } from './catalog.ts';

/**
 * Mail templates are plain files, so an admin can reword a mail without a release:
 *
 *   Subject: Your request {{request}} was approved
 *
 *   Hello {{user}}, …
 *
 * The first line is the subject, then one blank line, then the body (plain text). `{{name}}` is
 * replaced by a variable; `{{#name}}…{{/name}}` is kept only when the variable is not empty and
 * `{{^name}}…{{/name}}` only when it is (a section tag alone on its line takes the line with it).
 * Every variable a template uses must be given, even for a section: a missing one is an error
 * naming the template, its file and the variables, never a silently empty hole in a mail.
 *
 * The shipped defaults live in `templates/mail/` at the repository root; an admin's file of the
 * same name in the override directory (DATA_DIR/templates/mail/) is used instead. Files are read
 * on every render: mails are rare, and an edited template takes effect without a restart.
 */
export const DEFAULT_TEMPLATE_DIR = fileURLToPath(new URL('../../templates/mail/', import.meta.url));

/** What a secret variable shows as wherever a mail is displayed rather than sent. */
export const REDACTED = '[hidden]';

export type MailVars = Readonly<Record<string, string | number>>;

export interface RenderedMail {
  subject: string;
  /** The text that is sent. */
  body: string;
  /** The text with secret variables replaced by REDACTED, for display. */
  redactedBody: string;
}

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'var'; name: string }
  | { kind: 'section'; name: string; inverted: boolean; children: Node[] };

type Token =
  | { kind: 'text'; text: string }
  | { kind: 'var' | 'open' | 'open-inverted' | 'close'; name: string; line: number };

const TAG = /\{\{(.*?)\}\}/g;
const TAG_INNER = /^\s*([#^/]?)\s*([A-Za-z][A-Za-z0-9_]*)\s*$/;
const STANDALONE_SECTION = /^[ \t]*\{\{\s*([#^/])\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}[ \t]*$/;
const SUBJECT_LINE = /^Subject:[ \t]*(.*)$/i;

const templateError = (template: string, source: string, message: string): FleetyardError =>
  new FleetyardError('FY_MAIL_TEMPLATE', `mail template "${template}" (${source}): ${message}`, { template, source });

/** One parsed template file. */
export class MailTemplate {
  private constructor(
    readonly name: string,
    /** Where it was read from, for error messages. */
    readonly source: string,
    private readonly subject: Node[],
    private readonly body: Node[],
    /** Every variable the subject or body uses. */
    readonly variables: ReadonlySet<string>,
  ) {}

  static parse(name: string, text: string, source: string): MailTemplate {
    const fail = (message: string): FleetyardError => templateError(name, source, message);
    const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
    const subject = SUBJECT_LINE.exec(lines[0] ?? '');
    if (!subject) throw fail('the first line must be "Subject: …"');
    if (lines.length > 1 && (lines[1] ?? '').trim() !== '') throw fail('the subject line must be followed by a blank line');
    const used = new Set<string>();
    const subjectNodes = buildTree(tokenize(subject[1] ?? '', 1, fail), fail, used);
    const bodyNodes = buildTree(tokenize(lines.slice(2).join('\n'), 3, fail), fail, used);
    return new MailTemplate(name, source, subjectNodes, bodyNodes, used);
  }

  /** Renders with `vars`; throws FY_MAIL_TEMPLATE naming every variable the template needs but lacks. */
  render(vars: MailVars): RenderedMail {
    const missing = [...this.variables].filter((v) => !Object.hasOwn(vars, v) || vars[v] === undefined || vars[v] === null);
    if (missing.length > 0) {
      const given = Object.keys(vars).join(', ') || 'none';
      throw templateError(this.name, this.source, `no value for ${missing.map((m) => `{{${m}}}`).join(', ')} (given: ${given})`);
    }
    const secret = new Set(secretVariables(this.name));
    return {
      // A subject is one header line: whatever a variable holds, it cannot add another header.
      subject: renderNodes(this.subject, vars, new Set()).replace(/\s+/g, ' ').trim(),
      body: renderNodes(this.body, vars, new Set()),
      redactedBody: renderNodes(this.body, vars, secret),
    };
  }
}

function tokenize(text: string, firstLine: number, fail: (m: string) => FleetyardError): Token[] {
  const tokens: Token[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const lineNo = firstLine + i;
    const newline = i < lines.length - 1 ? '\n' : '';
    const standalone = STANDALONE_SECTION.exec(line);
    if (standalone) {
      tokens.push(tagToken(standalone[1] as string, standalone[2] as string, lineNo));
      return;
    }
    let last = 0;
    for (const m of line.matchAll(TAG)) {
      const inner = TAG_INNER.exec(m[1] ?? '');
      if (!inner) throw fail(`line ${lineNo}: "${m[0].slice(0, 60)}" is not a placeholder; use {{name}}, {{#name}}, {{^name}} or {{/name}}`);
      tokens.push({ kind: 'text', text: line.slice(last, m.index) });
      tokens.push(tagToken(inner[1] as string, inner[2] as string, lineNo));
      last = m.index + m[0].length;
    }
    const rest = line.slice(last);
    if (rest.includes('{{')) throw fail(`line ${lineNo}: "{{" is not closed by "}}"`);
    tokens.push({ kind: 'text', text: rest + newline });
  });
  return tokens;
}

function tagToken(sigil: string, name: string, line: number): Token {
  const kind = sigil === '#' ? 'open' : sigil === '^' ? 'open-inverted' : sigil === '/' ? 'close' : 'var';
  return { kind, name, line };
}

function buildTree(tokens: Token[], fail: (m: string) => FleetyardError, used: Set<string>): Node[] {
  const root: Node[] = [];
  const stack: Array<{ name: string; line: number; children: Node[] }> = [];
  const current = (): Node[] => stack.at(-1)?.children ?? root;
  for (const t of tokens) {
    if (t.kind === 'text') {
      if (t.text !== '') current().push(t);
      continue;
    }
    used.add(t.name);
    if (t.kind === 'var') current().push({ kind: 'var', name: t.name });
    else if (t.kind === 'close') {
      const open = stack.pop();
      if (!open) throw fail(`line ${t.line}: {{/${t.name}}} closes no section`);
      if (open.name !== t.name) throw fail(`line ${t.line}: {{/${t.name}}} closes the section {{#${open.name}}} opened on line ${open.line}`);
    } else {
      const children: Node[] = [];
      current().push({ kind: 'section', name: t.name, inverted: t.kind === 'open-inverted', children });
      stack.push({ name: t.name, line: t.line, children });
    }
  }
  const unclosed = stack.at(-1);
  if (unclosed) throw fail(`line ${unclosed.line}: the section {{#${unclosed.name}}} is never closed`);
  return root;
}

function renderNodes(nodes: Node[], vars: MailVars, redact: ReadonlySet<string>): string {
  let out = '';
  for (const n of nodes) {
    if (n.kind === 'text') out += n.text;
    else if (n.kind === 'var') out += redact.has(n.name) ? REDACTED : String(vars[n.name]);
    else if ((String(vars[n.name]) !== '') !== n.inverted) out += renderNodes(n.children, vars, redact);
  }
  return out;
}

export interface MailTemplatesOptions {
  /** Searched first: an admin's own wording (DATA_DIR/templates/mail). */
  overrideDir?: string | undefined;
  /** The shipped defaults; DEFAULT_TEMPLATE_DIR unless a test says otherwise. */
  defaultDir?: string;
}

/** Finds and parses template files: the admin's override first, then the shipped default. */
export class MailTemplates {
  readonly overrideDir: string | undefined;
  readonly defaultDir: string;

  constructor(opts: MailTemplatesOptions = {}) {
    this.overrideDir = opts.overrideDir;
    this.defaultDir = opts.defaultDir ?? DEFAULT_TEMPLATE_DIR;
  }

  /** The template in effect: the override when there is one, else the default. */
  async load(name: string): Promise<MailTemplate> {
    if (this.overrideDir) {
      const found = await readTemplate(name, this.overrideDir);
      if (found) return found;
    }
    return this.loadDefault(name);
  }

  /** The shipped template, ignoring any override. */
  async loadDefault(name: string): Promise<MailTemplate> {
    const found = await readTemplate(name, this.defaultDir);
    if (!found) throw templateError(name, this.defaultDir, 'no such file');
    return found;
  }

  async render(name: string, vars: MailVars): Promise<RenderedMail> {
    return (await this.load(name)).render(vars);
  }
}

/** Reads `<dir>/<name>.txt`; undefined when the file does not exist. */
async function readTemplate(name: string, dir: string): Promise<MailTemplate | undefined> {
  // Only catalog names reach the file system, so a name can never walk out of the directory.
  if (!isMailTemplateName(name)) throw templateError(name, dir, 'unknown template name');
  const path = join(dir, `${name}.txt`);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw templateError(name, path, `cannot be read: ${(e as Error).message}`);
  }
  return MailTemplate.parse(name, text, path);
}
