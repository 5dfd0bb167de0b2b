import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseStack, stackLine, STACK_ISSUE_CODES, STACK_LIMITS, stringifyStack, validateStack, type StackIssue } from '../../src/domain/stack.ts';

/**
 * The stack document on its own, no server: what parses, every kind of error with its path, code
 * and line, and the canonical text that makes a round trip byte-identical.
 */

const GOOD = `apiVersion: fleetyard.io/v1
kind: Stack
metadata:
  name: shop                 # a Fleetyard name
spec:
  hours: 24
  appliances:
    - name: web
      product: webserver
      size: small
      virtualization: container
      network: default
      ha: false
      count: 2
    - name: db
      product: postgres
      size: medium
  links:
    - from: web
      to: db
`;

const errorsOf = (text: string): StackIssue[] => {
  const r = parseStack(text);
  assert.ok(r.errors, `expected errors for:\n${text}`);
  return r.errors;
};
const one = (text: string): StackIssue => {
  const errors = errorsOf(text);
  assert.equal(errors.length, 1, JSON.stringify(errors));
  return errors[0] as StackIssue;
};
const brief = (e: StackIssue) => ({ path: e.path, code: e.code, line: e.line });

describe('the stack document', () => {
  it('parses a good document into its fields, leaving out what it does not say', () => {
    const r = parseStack(GOOD);
    assert.ok(r.stack, JSON.stringify(r.errors));
    assert.equal(r.stack.metadata.name, 'shop');
    assert.equal(r.stack.spec.hours, 24);
    assert.deepEqual(r.stack.spec.appliances[0], { name: 'web', product: 'webserver', size: 'small', virtualization: 'container', network: 'default', ha: false, count: 2 });
    // Defaults that depend on the catalog are the plan's to fill in, never the parser's.
    assert.deepEqual(r.stack.spec.appliances[1], { name: 'db', product: 'postgres', size: 'medium' });
    assert.deepEqual(r.stack.spec.links, [{ from: 'web', to: 'db' }]);
  });

  it('writes the canonical text: fixed key order, no comments, and a round trip is byte-identical', () => {
    const r = parseStack(GOOD);
    assert.ok(r.stack);
    const text = stringifyStack(r.stack);
    assert.equal(text, GOOD.replace('shop                 # a Fleetyard name', 'shop'));
    const again = parseStack(text);
    assert.ok(again.stack);
    assert.equal(stringifyStack(again.stack), text);
    // Keys in another order, flow style and quoting all come out the same.
    const shuffled = `kind: Stack
spec:
  links: [{to: db, from: web}]
  appliances:
    - {count: 2, ha: false, network: default, virtualization: container, size: small, product: webserver, name: web}
    - {size: "medium", name: 'db', product: postgres}
  hours: 24
metadata: {name: shop}
apiVersion: "fleetyard.io/v1"
`;
    const s = parseStack(shuffled);
    assert.ok(s.stack, JSON.stringify(s.errors));
    assert.equal(stringifyStack(s.stack), text);
  });

  it('keeps a name that YAML would read as another type a string, quoted in the canonical text', () => {
    const doc = { apiVersion: 'fleetyard.io/v1', kind: 'Stack', metadata: { name: '2024' }, spec: { appliances: [{ name: 'true', product: 'p', size: '1.5' }] } } as const;
    const v = validateStack(doc);
    assert.ok(v.stack);
    const text = stringifyStack(v.stack);
    const back = parseStack(text);
    assert.ok(back.stack, JSON.stringify(back.errors));
    assert.deepEqual(back.stack, v.stack);
    assert.equal(stringifyStack(back.stack), text);
  });

  it('refuses an unknown field with its path, pointing at its line', () => {
    assert.deepEqual(brief(one(GOOD.replace('      count: 2\n', '      count: 2\n      colour: red\n'))), { path: 'spec.appliances[0].colour', code: 'unknown-field', line: 15 });
    assert.deepEqual(brief(one(GOOD.replace('kind: Stack\n', 'kind: Stack\nstatus: {}\n'))), { path: 'status', code: 'unknown-field', line: 3 });
    assert.deepEqual(brief(one(GOOD.replace('  name: shop', '  name: shop\n  labels: {a: b}'))), { path: 'metadata.labels', code: 'unknown-field', line: 5 });
  });

  it('names a missing field at its path and the line of the object that lacks it', () => {
    assert.deepEqual(brief(one(GOOD.replace('      product: postgres\n', ''))), { path: 'spec.appliances[1].product', code: 'required', line: 15 });
    assert.deepEqual(brief(one(GOOD.replace('metadata:\n  name: shop                 # a Fleetyard name\n', ''))), { path: 'metadata', code: 'required', line: 1 });
  });

  it('refuses a wrong type or value with its path', () => {
    assert.deepEqual(brief(one(GOOD.replace('count: 2', 'count: two'))), { path: 'spec.appliances[0].count', code: 'invalid-type', line: 14 });
    assert.deepEqual(brief(one(GOOD.replace('count: 2', 'count: 17'))), { path: 'spec.appliances[0].count', code: 'invalid-value', line: 14 });
    assert.deepEqual(brief(one(GOOD.replace('count: 2', 'count: 1.5'))), { path: 'spec.appliances[0].count', code: 'invalid-type', line: 14 });
    assert.deepEqual(brief(one(GOOD.replace('virtualization: container', 'virtualization: docker'))), { path: 'spec.appliances[0].virtualization', code: 'invalid-value', line: 11 });
    assert.deepEqual(brief(one(GOOD.replace('kind: Stack', 'kind: Stak'))), { path: 'kind', code: 'invalid-value', line: 2 });
    assert.deepEqual(brief(one(GOOD.replace('apiVersion: fleetyard.io/v1', 'apiVersion: fleetyard.io/v2'))), { path: 'apiVersion', code: 'invalid-value', line: 1 });
    assert.deepEqual(brief(one(GOOD.replace('  name: shop ', '  name: "my shop" '))), { path: 'metadata.name', code: 'invalid-value', line: 4 });
    assert.deepEqual(brief(one(GOOD.replace('ha: false', 'ha: "no"'))), { path: 'spec.appliances[0].ha', code: 'invalid-type', line: 13 });
    assert.deepEqual(brief(one(GOOD.replace('hours: 24', 'hours: 0'))), { path: 'spec.hours', code: 'invalid-value', line: 6 });
  });

  it('refuses a stack without appliances, two members of one name, and links that join nothing', () => {
    assert.deepEqual(brief(one('apiVersion: fleetyard.io/v1\nkind: Stack\nmetadata: {name: x}\nspec:\n  appliances: []\n')), { path: 'spec.appliances', code: 'invalid-value', line: 5 });
    const twice = errorsOf(GOOD.replace('    - name: db', '    - name: web'));
    assert.deepEqual(twice.map(brief), [
      { path: 'spec.appliances[1].name', code: 'duplicate-name', line: 15 },
      { path: 'spec.links[0].to', code: 'unknown-member', line: 20 },
    ]);
    assert.deepEqual(brief(one(GOOD.replace('to: db', 'to: cache'))), { path: 'spec.links[0].to', code: 'unknown-member', line: 20 });
    assert.deepEqual(brief(one(GOOD.replace('to: db', 'to: web'))), { path: 'spec.links[0]', code: 'self-link', line: 19 });
    assert.deepEqual(brief(one(`${GOOD}    - from: web\n      to: db\n`)), { path: 'spec.links[1]', code: 'duplicate-link', line: 21 });
  });

  it('reports YAML that does not parse, with its line, and no path', () => {
    for (const [text, line] of [
      ['apiVersion: [1\nkind: Stack\n', 2],
      ['a: 1\na: 2\n', 2],
      ['--- {}\n--- {}\n', 2],
      ['apiVersion: !!binary aGVsbG8=\n', 1],
      ['apiVersion: !shell ls\n', 1],
    ] as const) {
      const errors = errorsOf(text);
      assert.ok(errors.length >= 1);
      assert.deepEqual(brief(errors[0] as StackIssue), { path: '', code: 'yaml-syntax', line }, text);
    }
  });

  it('refuses a document that would grow through aliases, or is too large, without building it', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const n of ['b', 'c', 'd', 'e', 'f', 'g']) bomb.push(`${n}: &${n} [${Array(9).fill(`*${String.fromCharCode(n.charCodeAt(0) - 1)}`).join(', ')}]`);
    assert.equal(one(bomb.join('\n')).code, 'yaml-syntax');
    assert.equal(one(`# ${'x'.repeat(STACK_LIMITS.maxBytes)}\n`).code, 'too-large');
  });

  it('says what is wrong with text that is no stack at all', () => {
    assert.deepEqual(brief(one('')), { path: '', code: 'invalid-type', line: undefined });
    assert.deepEqual(brief(one('- 1\n- 2\n')), { path: '', code: 'invalid-type', line: 1 });
    assert.deepEqual(errorsOf('just words\n').map((e) => e.code), ['invalid-type']);
  });

  it('reports every problem at once, each with a code from the published list', () => {
    const errors = errorsOf(GOOD.replace('count: 2', 'count: 0').replace('size: medium', 'size: 5').replace('to: db', 'to: nobody'));
    assert.deepEqual(errors.map((e) => e.path), ['spec.appliances[0].count', 'spec.appliances[1].size', 'spec.links[0].to']);
    for (const e of errors) assert.ok((STACK_ISSUE_CODES as readonly string[]).includes(e.code), e.code);
    assert.deepEqual(errors[1]?.segments, ['spec', 'appliances', 1, 'size']);
  });

  it('checks a parsed value the same way (what the web designer holds)', () => {
    const r = validateStack({ apiVersion: 'fleetyard.io/v1', kind: 'Stack', metadata: { name: 'x' }, spec: { appliances: [{ name: 'a', product: 'p', size: 's', extra: 1 }] } });
    assert.deepEqual(r.errors?.map((e) => [e.path, e.code, e.line]), [['spec.appliances[0].extra', 'unknown-field', undefined]]);
  });

  it('finds the line of a place found later (a size the product lacks)', () => {
    assert.equal(stackLine(GOOD, ['spec', 'appliances', 1, 'size']), 17);
    assert.equal(stackLine(GOOD, ['spec', 'appliances', 1, 'virtualization']), 15);
  });

  it('imports nothing but zod, yaml and its own folder, so a browser bundle can take it', () => {
    const source = readFileSync(new URL('../../src/domain/stack.ts', import.meta.url), 'utf8');
    const imports = [...source.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
    assert.deepEqual(imports, ['zod', 'yaml', './meta.ts', './names.ts', './more-networks.ts']);
    for (const dep of ['./meta.ts', './names.ts', './more-networks.ts']) {
      const inner = readFileSync(new URL(`../../src/domain/${dep}`, import.meta.url), 'utf8');
      assert.deepEqual([...inner.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]).filter((i) => i !== 'zod' && !i?.startsWith('./')), []);
    }
  });
});
