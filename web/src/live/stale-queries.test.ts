import { describe, expect, it } from 'vitest';
import { goneQueryKey, staleQueryRoots } from './stale-queries.ts';

describe('which queries an event makes stale', () => {
  it('refreshes a request owner\'s requests, appliances and balance', () => {
    expect(staleQueryRoots({ kind: 'request', type: 'request.approved' })).toEqual(expect.arrayContaining(['requests', 'appliances', 'ccu']));
  });
  it('files quota changes under quotas whatever subject they limit', () => {
    expect(staleQueryRoots({ kind: 'user', type: 'quota.set' })).toContain('quotas');
  });
  it('refreshes nothing for a kind it does not know', () => {
    expect(staleQueryRoots({ kind: 'something-new', type: 'x.y' })).toEqual([]);
  });
  it('drops the queries of a deleted object instead of refetching them', () => {
    expect(goneQueryKey({ kind: 'appliance', type: 'appliance.deleted', objectId: 'a1' })).toEqual(['appliances', 'a1']);
    expect(goneQueryKey({ kind: 'appliance', type: 'appliance.stopped', objectId: 'a1' })).toBeUndefined();
    expect(goneQueryKey({ kind: 'something-new', type: 'x.deleted', objectId: 'a1' })).toBeUndefined();
  });
});
