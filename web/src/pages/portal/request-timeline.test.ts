import { describe, expect, it } from 'vitest';
import type { CloudRequest } from './portal-types.ts';
import { requestTimeline, type RequestEvent } from './request-timeline.ts';

const T = (minutes: number) => new Date(Date.UTC(2026, 2, 2, 9, minutes)).toISOString();

function request(over: { spec?: Partial<CloudRequest['spec']>; status?: Partial<CloudRequest['status']> } = {}): CloudRequest {
  return {
    id: '019a0000-0000-7000-8000-000000000001',
    name: 'req-000000000001',
    version: 1,
    generation: 1,
    createdAt: T(0),
    updatedAt: T(0),
    spec: {
      ownerId: 'u1',
      productId: 'p1',
      size: 's',
      quantity: 2,
      virtualization: 'container',
      ha: false,
      startAt: T(5),
      endAt: T(125),
      decision: null,
      paused: false,
      cancelled: false,
      ...over.spec,
    },
    status: {
      state: 'new',
      reason: 'submitted',
      observedGeneration: 0,
      ccuPerHour: 12.5,
      applianceIds: [],
      login: null,
      activeSince: null,
      history: [],
      ...over.status,
    },
  };
}

const titles = (r: CloudRequest, events?: RequestEvent[]) => requestTimeline(r, events).map((s) => `${s.title}:${s.tone}`);

describe('the timeline of a request', () => {
  it('starts at the submission and waits for an approval', () => {
    const steps = requestTimeline(request());
    expect(steps.map((s) => s.title)).toEqual(['Submitted', 'Waiting for approval']);
    expect(steps[0]).toMatchObject({ at: T(0), detail: '2 × s (container)', tone: 'done' });
    expect(steps[1]).toMatchObject({ at: null, tone: 'next' });
  });

  it('follows the history of states, the last one current, and says when it ends', () => {
    const r = request({
      status: {
        state: 'active',
        history: [
          { state: 'approved', at: T(1), reason: 'approved by policy' },
          { state: 'provisioning', at: T(3), reason: 'the start time is near' },
          { state: 'active', at: T(4), reason: 'every appliance is running with the login in place' },
        ],
      },
    });
    expect(titles(r)).toEqual(['Submitted:done', 'Approved:done', 'Provisioning:done', 'Active:current', 'Ends:next']);
    expect(requestTimeline(r).at(-1)?.at).toBe(T(125));
    expect(requestTimeline(r)[1]?.detail).toBe('approved by policy');
  });

  it("shows an admin's approval comment with the approval", () => {
    const r = request({
      spec: { decision: { approved: true, by: 'admin-id', comment: 'enjoy the GPUs', at: T(2) } },
      status: { state: 'approved', history: [{ state: 'approved', at: T(2), reason: 'approved by an admin' }] },
    });
    const approved = requestTimeline(r).find((s) => s.title === 'Approved');
    expect(approved?.detail).toBe('approved by an admin — “enjoy the GPUs”');
    expect(titles(r)).toEqual(['Submitted:done', 'Approved:current', 'Starts:next']);
  });

  it("shows a denial as bad and ended, with the admin's comment once", () => {
    const r = request({
      spec: { decision: { approved: false, by: 'admin-id', comment: 'not this week', at: T(2) } },
      status: { state: 'denied', history: [{ state: 'denied', at: T(2), reason: 'denied by an admin: not this week' }] },
    });
    expect(titles(r)).toEqual(['Submitted:done', 'Denied:bad']);
    expect(requestTimeline(r)[1]?.detail).toBe('denied by an admin: not this week');
  });

  it("shows an admin's decision the reconciler has not acted on yet", () => {
    const r = request({ spec: { decision: { approved: true, by: 'admin-id', comment: '', at: T(2) } } });
    expect(titles(r)).toEqual(['Submitted:done', 'Approved by an admin:current', 'Being decided:next']);
  });

  it('shows a pause asked for but not done yet, from the spec alone or from its event', () => {
    const active = {
      state: 'active' as const,
      history: [
        { state: 'approved' as const, at: T(1), reason: 'approved by policy' },
        { state: 'active' as const, at: T(4), reason: 'running' },
      ],
    };
    const r = request({ spec: { paused: true }, status: active });
    expect(titles(r)).toEqual(['Submitted:done', 'Approved:done', 'Active:current', 'Pause requested:current', 'Ends:next']);
    const withEvent = titles(r, [{ seq: 9, type: 'request.pause-requested', time: T(6), message: 'pause requested' }]);
    expect(withEvent).toEqual(['Submitted:done', 'Approved:done', 'Active:current', 'Pause requested:current', 'Ends:next']);
  });

  it('puts past actions in time order among the states, and shows a resume asked for', () => {
    const r = request({
      status: {
        state: 'paused',
        history: [
          { state: 'approved', at: T(1), reason: 'approved by policy' },
          { state: 'active', at: T(4), reason: 'running' },
          { state: 'paused', at: T(8), reason: 'paused by the user: resources released, clones kept' },
        ],
      },
    });
    const events: RequestEvent[] = [
      { seq: 3, type: 'request.pause-requested', time: T(7), message: 'pause requested' },
      { seq: 4, type: 'request.extended', time: T(9), message: 'request req-1 extended' },
      { seq: 5, type: 'request.paused', time: T(8), message: 'duplicates the history; left out' },
    ];
    expect(titles(r, events)).toEqual([
      'Submitted:done',
      'Approved:done',
      'Active:done',
      'Pause requested:done',
      'Paused:current',
      'Window extended:done',
      'Resume requested:current',
      'Ends:next',
    ]);
  });

  it('ends with the reason it ended, and nothing after', () => {
    const r = request({
      spec: { cancelled: true },
      status: {
        state: 'done',
        history: [
          { state: 'approved', at: T(1), reason: 'approved by policy' },
          { state: 'active', at: T(4), reason: 'running' },
          { state: 'deprovisioning', at: T(10), reason: 'cancelled by the user' },
          { state: 'done', at: T(11), reason: 'cancelled by the user' },
        ],
      },
    });
    expect(titles(r)).toEqual(['Submitted:done', 'Approved:done', 'Active:done', 'Ending:done', 'Ended:done']);
    expect(requestTimeline(r).at(-1)?.detail).toBe('cancelled by the user');
  });
});
