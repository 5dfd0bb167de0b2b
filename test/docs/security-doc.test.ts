import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

/**
 * docs/security.md names the test behind each claim. This keeps it true: every test file it names
 * exists, and every test name it quotes ("…") is found in the file named before it, so a renamed
 * or deleted test shows up here instead of leaving a claim without proof.
 */
const root = join(import.meta.dirname, '../..');
const doc = readFileSync(join(root, 'docs/security.md'), 'utf8');

test('every test docs/security.md names exists, with every test name it quotes', () => {
  const problems: string[] = [];
  let files = 0;
  let names = 0;
  // Each proof is an italic span: *file, "name"; "name"; other-file …*; a span that quotes
  // names only refers to the file named last.
  let current: string | undefined;
  for (const span of doc.replace(/\*\*/g, '').match(/\*[^*]+\*/g) ?? []) {
    for (const token of span.matchAll(/(test\/[\w./-]+\.test\.ts)|"([^"]+)"/g)) {
      if (token[1]) {
        current = token[1];
        files++;
        if (!existsSync(join(root, current))) problems.push(`${current} does not exist`);
        continue;
      }
      const quoted = (token[2] as string).replace(/\s+/g, ' ').replace(/…$/, '').trim();
      names++;
      if (!current) {
        problems.push(`"${quoted}" names no file before it`);
        continue;
      }
      const source = existsSync(join(root, current)) ? readFileSync(join(root, current), 'utf8').replace(/\\'/g, "'") : '';
      if (!source.includes(quoted)) problems.push(`"${quoted}" is not a test of ${current}`);
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(files >= 30 && names >= 30, `the document names its proofs (${files} files, ${names} names)`);
});
