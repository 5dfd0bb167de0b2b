import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INITIAL_APPLIANCE_STATUS, type Appliance } from '../../src/domain/appliance.ts';
import type { AppliedConfig, ConfigGroup } from '../../src/domain/config-group.ts';
import { configProgress, mergeApplied } from '../../src/domain/config-progress.ts';

/** Which configuration groups an appliance is due, and how a run's results are recorded. */
const group = (name: string, revision: number, ansible = true): ConfigGroup => ({
  id: `id-${name}`,
  name,
  version: 1,
  generation: 1,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  spec: { description: '', revision, ansible: ansible ? { playbook: '- hosts: all\n' } : null, puppet: ansible ? null : { classes: { ntp: {} } }, cloudInit: null },
  status: {},
});
const applied = (name: string, revision: number, state: 'applied' | 'failed' = 'applied'): AppliedConfig => ({ group: name, revision, state, ok: 1, changed: 1, failed: state === 'failed' ? 1 : 0, message: state, at: '2026-01-01T00:00:00Z' });
const appliance = (names: string[], config: AppliedConfig[] = []): Appliance =>
  ({ id: 'a', name: 'a', spec: { configGroups: names }, status: { ...INITIAL_APPLIANCE_STATUS, config } }) as unknown as Appliance;

describe('configProgress', () => {
  it('is due every group with an Ansible part not applied at its current revision, in the appliance’s order', () => {
    const groups = [group('b', 1), group('a', 3), group('puppet-only', 1, false)];
    const p = configProgress(appliance(['a', 'puppet-only', 'b', 'gone'], [applied('a', 2)]), groups);
    assert.deepEqual(p.todo.map((g) => g.name), ['a', 'b']);
    assert.deepEqual([p.failed, p.done], [null, false]);
  });

  it('is done when every such group has its current revision', () => {
    const p = configProgress(appliance(['a', 'b'], [applied('a', 3), applied('b', 1)]), [group('a', 3), group('b', 1)]);
    assert.deepEqual([p.todo, p.failed, p.done], [[], null, true]);
    assert.equal(configProgress(appliance([]), []).done, true, 'no groups: nothing to wait for');
  });

  it('stops at a group whose current revision failed: it and the groups after it wait for a change', () => {
    const p = configProgress(appliance(['a', 'b', 'c'], [applied('b', 2, 'failed')]), [group('a', 1), group('b', 2), group('c', 1)]);
    assert.deepEqual(p.todo.map((g) => g.name), ['a']);
    assert.equal(p.failed?.group, 'b');
    assert.equal(p.done, false);
    const changed = configProgress(appliance(['a', 'b', 'c'], [applied('a', 1), applied('b', 2, 'failed')]), [group('a', 1), group('b', 3), group('c', 1)]);
    assert.deepEqual(changed.todo.map((g) => g.name), ['b', 'c'], 'a new revision of the failed group is tried again');
  });
});

describe('mergeApplied', () => {
  it('replaces each group’s result, keeps the others, drops groups the appliance no longer carries, in its order', () => {
    const a = appliance(['b', 'a'], [applied('a', 1), applied('old', 1)]);
    assert.deepEqual(mergeApplied(a, [applied('a', 2), applied('b', 1, 'failed')]).map((c) => [c.group, c.revision, c.state]), [['b', 1, 'failed'], ['a', 2, 'applied']]);
  });
});
