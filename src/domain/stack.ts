import { z } from 'zod';
import { Document, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { virtualizationSchema } from './meta.ts';
import { nameSchema } from './names.ts';
import { moreNetworksInput, moreNetworksProblems } from './more-networks.ts';

/**
 * A stack: a set of appliances (its members) and the links between them, written as one
 * versioned YAML document. This module is pure (zod and `yaml` only, no Node built-ins) because
 * the web designer imports it too: the canvas and the API read and write the same text the same
 * way. `stringifyStack` writes the canonical form (fixed key order, fixed layout), so
 * `stringifyStack(parseStack(stringifyStack(s)).stack)` is byte-identical to `stringifyStack(s)`.
 *
 * The document says what is wanted; defaults that depend on the catalog (a member's
 * virtualization is its product's first) are filled in by the plan, never written back.
 */
export const STACK_API_VERSION = 'fleetyard.io/v1';
export const STACK_KIND = 'Stack';

/** Bounds that keep a document (and the plan made from it) small enough to answer at once. */
export const STACK_LIMITS = {
  maxBytes: 256 * 1024,
  maxMembers: 32,
  maxCount: 16,
  maxLinks: 128,
  maxHours: 24 * 366,
} as const;

/** A document wrong everywhere is answered with its first problems, not thousands. */
const MAX_ISSUES = 50;

export const STACK_DEFAULTS = { network: 'default', ha: false, count: 1 } as const;

export const stackMemberSchema = z.strictObject({
  name: nameSchema,
  product: nameSchema,
  size: nameSchema,
  virtualization: virtualizationSchema.optional(),
  network: nameSchema.optional(),
  /** Further networks, one interface each after `network` (admins only; cloud appliances join the default network). */
  moreNetworks: moreNetworksInput.optional(),
  ha: z.boolean().optional(),
  count: z.number().int().min(1).max(STACK_LIMITS.maxCount).optional(),
});
export type StackMember = z.infer<typeof stackMemberSchema>;

export const stackLinkSchema = z.strictObject({ from: nameSchema, to: nameSchema });
export type StackLink = z.infer<typeof stackLinkSchema>;

export const stackSpecSchema = z.strictObject({
  /** For cloud users: how long the ordered appliances run, from now. Admins' appliances have no end. */
  hours: z.number().int().min(1).max(STACK_LIMITS.maxHours).optional(),
  appliances: z.array(stackMemberSchema).min(1).max(STACK_LIMITS.maxMembers),
  links: z.array(stackLinkSchema).max(STACK_LIMITS.maxLinks).optional(),
});
export type StackSpec = z.infer<typeof stackSpecSchema>;

export const stackSchema = z
  .strictObject({
    apiVersion: z.literal(STACK_API_VERSION),
    kind: z.literal(STACK_KIND),
    metadata: z.strictObject({ name: nameSchema }),
    spec: stackSpecSchema,
  })
  .superRefine((stack, ctx) => crossCheck(stack, (i) => ctx.addIssue({ code: 'custom', path: i.segments, message: i.message, params: { stackCode: i.code } })));
export type Stack = z.infer<typeof stackSchema>;

/**
 * What the schema of one field cannot see: member names unique, links between two members that
 * exist, each link once. Reads its input defensively, so it also runs on a document whose shape
 * is wrong elsewhere and every problem is reported at once.
 */
function crossCheck(value: unknown, add: (i: { segments: Array<string | number>; code: StackIssueCode; message: string }) => void): void {
  const spec = (value as { spec?: { appliances?: unknown; links?: unknown } } | null)?.spec;
  const members = Array.isArray(spec?.appliances) ? (spec.appliances as unknown[]) : [];
  const seen = new Set<string>();
  members.forEach((m, i) => {
    const { network, moreNetworks } = (m ?? {}) as { network?: unknown; moreNetworks?: unknown };
    if (Array.isArray(moreNetworks) && moreNetworks.every((n) => typeof n === 'string')) {
      const first = typeof network === 'string' ? network : STACK_DEFAULTS.network;
      for (const p of moreNetworksProblems(first, moreNetworks as string[])) {
        add({ segments: ['spec', 'appliances', i, 'moreNetworks', p.index], code: 'duplicate-network', message: p.message });
      }
    }
    const name = (m as { name?: unknown } | null)?.name;
    if (typeof name !== 'string') return;
    if (seen.has(name)) add({ segments: ['spec', 'appliances', i, 'name'], code: 'duplicate-name', message: `member "${name}" appears more than once` });
    seen.add(name);
  });
  const links = new Set<string>();
  (Array.isArray(spec?.links) ? (spec.links as unknown[]) : []).forEach((l, i) => {
    const { from, to } = (l ?? {}) as { from?: unknown; to?: unknown };
    if (typeof from !== 'string' || typeof to !== 'string') return;
    for (const [end, name] of [['from', from], ['to', to]] as const) {
      if (!seen.has(name)) add({ segments: ['spec', 'links', i, end], code: 'unknown-member', message: `no member is named "${name}"` });
    }
    if (from === to) add({ segments: ['spec', 'links', i], code: 'self-link', message: 'a link joins two different members' });
    const key = `${from}\u0000${to}`;
    if (links.has(key)) add({ segments: ['spec', 'links', i], code: 'duplicate-link', message: `the link ${from} → ${to} appears more than once` });
    links.add(key);
  });
}

/** Why a document is refused; stable, so a client may branch on it (never on `message`). */
export const STACK_ISSUE_CODES = [
  'yaml-syntax',
  'too-large',
  'unknown-field',
  'required',
  'invalid-type',
  'invalid-value',
  'duplicate-name',
  'unknown-member',
  'self-link',
  'duplicate-link',
  'duplicate-network',
  // Found when the document is planned against the catalog (products, sizes, networks).
  'unknown-product',
  'unknown-size',
  'unknown-network',
  'not-offered',
] as const;
export type StackIssueCode = (typeof STACK_ISSUE_CODES)[number];

export interface StackIssue {
  /** Where the problem is, e.g. `spec.appliances[1].size`; '' for the document itself. */
  path: string;
  /** The same place as keys and indexes, for a client that walks the document. */
  segments: Array<string | number>;
  code: StackIssueCode;
  message: string;
  /** 1-based line in the text, when the error came from text and the place exists in it. */
  line?: number;
}

export type ParseStackResult = { stack: Stack; errors?: undefined } | { stack?: undefined; errors: StackIssue[] };

export function formatStackPath(segments: ReadonlyArray<string | number>): string {
  let out = '';
  for (const s of segments) out += typeof s === 'number' ? `[${s}]` : out === '' ? s : `.${s}`;
  return out;
}

/** Checks an already-parsed value (JSON from a client, or the designer's own model). */
export function validateStack(value: unknown): ParseStackResult {
  const r = stackSchema.safeParse(value);
  if (r.success) return { stack: r.data };
  const errors = r.error.issues.flatMap((issue) => toIssues(issue, value));
  // Zod refines only a document whose shape is right; then the cross checks run here instead.
  if (!r.error.issues.some((i) => i.code === 'custom')) crossCheck(value, (i) => errors.push({ ...i, path: formatStackPath(i.segments) }));
  return { errors: errors.slice(0, MAX_ISSUES) };
}

/** Parses YAML text into a stack, or says every problem with its place in the text. */
export function parseStack(text: string): ParseStackResult {
  if (text.length > STACK_LIMITS.maxBytes) {
    return { errors: [{ path: '', segments: [], code: 'too-large', message: `the document is larger than ${STACK_LIMITS.maxBytes} characters` }] };
  }
  const lineCounter = new LineCounter();
  // Only YAML 1.2's core types: no !!binary, !!set or !!timestamp turning into objects of their own.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true, resolveKnownTags: false });
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    return {
      errors: problems.slice(0, MAX_ISSUES).map((e) => ({
        path: '',
        segments: [],
        code: 'yaml-syntax' as const,
        message: e.message.split('\n')[0] ?? e.message,
        line: lineCounter.linePos(e.pos[0]).line,
      })),
    };
  }
  let value: unknown;
  try {
    // Aliases expand on conversion; the bound keeps a "billion laughs" document from growing.
    value = doc.toJS({ maxAliasCount: 50 });
  } catch (e) {
    return { errors: [{ path: '', segments: [], code: 'yaml-syntax', message: e instanceof Error ? e.message : String(e) }] };
  }
  const result = validateStack(value);
  if (result.errors === undefined) return result;
  return {
    errors: result.errors.map((issue) => {
      const line = lineOf(doc, lineCounter, issue.segments);
      return line === undefined ? issue : { ...issue, line };
    }),
  };
}

/**
 * The 1-based line of `segments` in `text` (or of the deepest part of it that exists), for
 * problems found after parsing, such as a size the product does not offer.
 */
export function stackLine(text: string, segments: ReadonlyArray<string | number>): number | undefined {
  if (text.length > STACK_LIMITS.maxBytes) return undefined;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, resolveKnownTags: false });
  return doc.errors.length > 0 ? undefined : lineOf(doc, lineCounter, segments);
}

/** The canonical text of a stack: fixed key order, two-space indent, no line folding. */
export function stringifyStack(stack: Stack): string {
  const member = (m: StackMember): Record<string, unknown> =>
    pick(m, ['name', 'product', 'size', 'virtualization', 'network', 'moreNetworks', 'ha', 'count']);
  const spec: Record<string, unknown> = pick(stack.spec, ['hours']);
  spec.appliances = stack.spec.appliances.map(member);
  if (stack.spec.links !== undefined) spec.links = stack.spec.links.map((l) => ({ from: l.from, to: l.to }));
  const ordered = { apiVersion: stack.apiVersion, kind: stack.kind, metadata: { name: stack.metadata.name }, spec };
  return new Document(ordered, { version: '1.2' }).toString({ indent: 2, indentSeq: true, lineWidth: 0, minContentWidth: 0 });
}

/** The number of instances a member asks for, its default filled in. */
export function memberCount(m: StackMember): number {
  return m.count ?? STACK_DEFAULTS.count;
}

function pick<T extends object>(o: T, keys: ReadonlyArray<keyof T>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (o[k] !== undefined) out[k as string] = o[k];
  return out;
}

function toIssues(issue: z.core.$ZodIssue, value: unknown): StackIssue[] {
  const segments = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const make = (segs: Array<string | number>, code: StackIssueCode, message: string): StackIssue => ({
    path: formatStackPath(segs),
    segments: segs,
    code,
    message,
  });
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((k) => make([...segments, k], 'unknown-field', `unknown field "${k}"`));
    case 'custom': {
      const code = (issue.params as { stackCode?: StackIssueCode } | undefined)?.stackCode ?? 'invalid-value';
      return [make(segments, code, issue.message)];
    }
    default:
      if (valueAt(value, segments) === undefined) return [make(segments, 'required', 'is required')];
      return issue.code === 'invalid_type'
        ? [make(segments, 'invalid-type', `must be ${article(issue.expected)}`)]
        : [make(segments, 'invalid-value', issue.message)];
  }
}

function article(expected: string): string {
  return expected === 'int' ? 'an integer' : /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function valueAt(value: unknown, segments: ReadonlyArray<string | number>): unknown {
  let v = value;
  for (const s of segments) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[s];
  }
  return v;
}

/** The line of the deepest node on the path that exists (a missing field points at its parent). */
function lineOf(doc: Document, lc: LineCounter, segments: ReadonlyArray<string | number>): number | undefined {
  let node: unknown = doc.contents;
  let at: Node | undefined = isScalar(node) || isMap(node) || isSeq(node) ? node : undefined;
  for (const s of segments) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === s);
      if (pair === undefined) break;
      // An unknown or wrong field is best shown at its key.
      if (isScalar(pair.key)) at = pair.key;
      node = pair.value;
      if (isMap(node) || isSeq(node)) at = node;
    } else if (isSeq(node) && typeof s === 'number') {
      node = node.items[s];
      if (isMap(node) || isSeq(node) || isScalar(node)) at = node;
      else break;
    } else break;
  }
  const offset = at?.range?.[0];
  return offset === undefined ? undefined : lc.linePos(offset).line;
}
