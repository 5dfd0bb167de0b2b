import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EVENT_TYPE_NAMES, EVENT_TYPES } from '../../src/domain/event-types.ts';
import { readEventDoc, registryRow } from './event-doc.ts';

/** The registry in src/domain/event-types.ts and docs/events.md must say the same thing. */
describe('docs/events.md', () => {
  const { rows, mentioned } = readEventDoc();

  it('documents every registered event type with its kind, owner, data and description', () => {
    const problems: string[] = [];
    for (const type of EVENT_TYPE_NAMES) {
      const want = registryRow(type);
      const got = rows.get(type);
      if (!got) problems.push(`${type} has no row; add | \`${type}\` | ${want.kind} | ${want.owner} | ${want.data} | ${want.description} |`);
      else if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`${type}: the docs say ${JSON.stringify(got)}, the registry ${JSON.stringify(want)}`);
    }
    assert.deepEqual(problems, []);
  });

  it('mentions no event type that is not registered', () => {
    const unknown = [...new Set([...rows.keys(), ...mentioned])].filter((t) => !Object.hasOwn(EVENT_TYPES, t));
    assert.deepEqual(unknown, [], `docs/events.md mentions unregistered event types: ${unknown.join(', ')}`);
  });
});
