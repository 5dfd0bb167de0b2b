import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ConfigGroup } from '../../src/domain/config-group.ts';
import { FleetyardError } from '../../src/domain/errors.ts';
import { uuidV7Ids } from '../../src/domain/ids.ts';
import { freshMeta } from '../../src/domain/meta.ts';
import { engines } from '../support/engines.ts';

/** Configuration groups (migration 017), the same on SQLite and on PostgreSQL. */
const at = new Date('2026-03-02T08:00:00Z');
const aGroup = (name: string): ConfigGroup => ({
  ...freshMeta(uuidV7Ids.next(), name, at),
  spec: { description: '', revision: 1, ansible: { playbook: '- hosts: all\n  tasks: []\n' }, puppet: { classes: { ntp: { servers: ['a', 'b'] } } }, cloudInit: null },
  status: {},
});

for (const engine of engines()) {
  describe(`configuration groups on ${engine.name}`, () => {
    test('are stored whole, found by name, unique by name, changed with a version check and deleted', async (t) => {
      const { store, cleanup } = await engine.openStore();
      t.after(cleanup);
      const g = await store.transaction((tx) => tx.configGroups.insert(aGroup('motd')));
      assert.deepEqual(await store.read.configGroups.getByName('motd'), g);
      await assert.rejects(store.transaction((tx) => tx.configGroups.insert(aGroup('motd'))), (e) => e instanceof FleetyardError && e.code === 'FY_NAME_TAKEN');
      const changed = await store.transaction((tx) => tx.configGroups.update({ ...g, spec: { ...g.spec, revision: 2 } }, at, true));
      assert.deepEqual([changed.spec.revision, changed.generation], [2, g.generation + 1]);
      await assert.rejects(store.transaction((tx) => tx.configGroups.update({ ...g, spec: { ...g.spec, revision: 3 } }, at, true)), (e) => e instanceof FleetyardError && e.code === 'FY_VERSION_CONFLICT');
      assert.deepEqual((await store.read.configGroups.list({ filters: { name: 'motd' } })).items.map((x) => x.spec.revision), [2]);
      assert.equal(await store.transaction((tx) => tx.configGroups.delete(g.id)), true);
      assert.equal(await store.read.configGroups.get(g.id), undefined);
    });
  });
}
