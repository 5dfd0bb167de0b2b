import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ERROR_CODES } from '../../src/domain/errors.ts';
import { readErrorDoc } from './error-doc.ts';

/** The registry in src/domain/errors.ts and docs/errors.md must say the same thing. */
describe('docs/errors.md', () => {
  const { rows, mentioned } = readErrorDoc();

  it('documents every registered code with its HTTP status', () => {
    for (const [code, { status }] of Object.entries(ERROR_CODES)) {
      assert.ok(rows.has(code), `${code} has no row in docs/errors.md`);
      assert.equal(rows.get(code), status, `${code}: docs say ${rows.get(code)}, the registry says ${status}`);
    }
  });

  it('mentions no code that is not registered', () => {
    const unknown = [...mentioned].filter((c) => !(c in ERROR_CODES));
    assert.deepEqual(unknown, [], `docs/errors.md mentions unregistered codes: ${unknown.join(', ')}`);
  });
});
