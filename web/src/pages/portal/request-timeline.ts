import type { CloudRequest, RequestState } from './portal-types.ts';

/**
 * A request's lifecycle as a timeline, derived from what the API already keeps:
 *
 * - `createdAt` is when it was submitted;
 * - `status.history` holds every state it entered, with the time and the reason (the request
 *   reconciler appends to it in the transaction that changes the state);
 * - `spec.decision` is an admin's approval or denial with their comment;
 * - `spec` ahead of `status` is a wish not carried out yet (pause, resume, cancel);
 * - the user's own events of the request add what changes no state: a pause, resume or cancel
 *   asked for, an extension of the window, a re-pricing after a move;
 * - what comes next follows from the state and the window (it starts at `startAt`, ends at
 *   `endAt`).
 */
export type StepTone = 'done' | 'current' | 'next' | 'bad';

export interface TimelineStep {
  key: string;
  title: string;
  /** ISO time; null for a step that has no time yet. */
  at: string | null;
  detail: string | null;
  tone: StepTone;
}

/** The part of an event the timeline reads. */
export interface RequestEvent {
  seq: number;
  type: string;
  time: string;
  message: string;
}

const STATE_TITLES: Record<RequestState, string> = {
  new: 'Submitted',
  approved: 'Approved',
  provisioning: 'Provisioning',
  active: 'Active',
  paused: 'Paused',
  deprovisioning: 'Ending',
  done: 'Ended',
  denied: 'Denied',
  failed: 'Failed',
  'no-capacity': 'No capacity',
};
const BAD: ReadonlySet<RequestState> = new Set(['denied', 'failed', 'no-capacity']);
const TERMINAL: ReadonlySet<RequestState> = new Set(['done', 'denied', 'failed', 'no-capacity']);

/** Events that change no state, so the history does not have them. */
const ACTION_TITLES: Record<string, string> = {
  'request.pause-requested': 'Pause requested',
  'request.resume-requested': 'Resume requested',
  'request.cancel-requested': 'Cancel requested',
  'request.extended': 'Window extended',
  'request.repriced': 'Re-priced',
};

type Wish = 'request.pause-requested' | 'request.resume-requested' | 'request.cancel-requested';

/** What the user asked for that the request has not done yet. */
function pendingWish(r: CloudRequest): Wish | null {
  const s = r.status.state;
  if (r.spec.cancelled && !TERMINAL.has(s) && s !== 'deprovisioning') return 'request.cancel-requested';
  if (r.spec.paused && (s === 'active' || s === 'provisioning')) return 'request.pause-requested';
  if (!r.spec.paused && s === 'paused') return 'request.resume-requested';
  return null;
}

function decisionText(r: CloudRequest, state: RequestState, reason: string | null): string | null {
  const d = r.spec.decision;
  const comment = d?.comment.trim();
  if (!d || !comment || (state === 'approved') !== d.approved) return reason;
  // The reconciler writes an admin's denial comment into the reason; say it once.
  if (reason?.includes(comment)) return reason;
  return `${reason ?? (d.approved ? 'approved by an admin' : 'denied by an admin')} — “${comment}”`;
}

function nextStep(r: CloudRequest): TimelineStep | null {
  switch (r.status.state) {
    case 'new':
      return { key: 'next', title: r.spec.decision ? 'Being decided' : 'Waiting for approval', at: null, detail: null, tone: 'next' };
    case 'approved':
      return { key: 'next', title: 'Starts', at: r.spec.startAt, detail: 'its appliances are made shortly before', tone: 'next' };
    case 'provisioning':
    case 'active':
    case 'paused':
      return { key: 'next', title: 'Ends', at: r.spec.endAt, detail: 'its appliances are removed at the end of the window', tone: 'next' };
    case 'deprovisioning':
      return { key: 'next', title: 'Ended', at: null, detail: 'once its appliances are gone', tone: 'next' };
    default:
      return null;
  }
}

export function requestTimeline(r: CloudRequest, events: readonly RequestEvent[] = []): TimelineStep[] {
  const history = r.status.history;
  const last = history.at(-1);
  const steps: TimelineStep[] = [
    {
      key: 'submitted',
      title: 'Submitted',
      at: r.createdAt,
      detail: `${r.spec.quantity} × ${r.spec.size} (${r.spec.virtualization}${r.spec.ha ? ', HA' : ''})`,
      tone: 'done',
    },
  ];
  history.forEach((h, i) => {
    const isLast = i === history.length - 1;
    steps.push({
      key: `state-${i}`,
      title: STATE_TITLES[h.state],
      at: h.at,
      detail: decisionText(r, h.state, h.reason),
      tone: BAD.has(h.state) ? 'bad' : isLast && !TERMINAL.has(h.state) ? 'current' : 'done',
    });
  });
  // An admin's decision the reconciler has not acted on yet.
  const d = r.spec.decision;
  if (d && r.status.state === 'new') {
    steps.push({ key: 'decision', title: d.approved ? 'Approved by an admin' : 'Denied by an admin', at: d.at, detail: d.comment ? `“${d.comment}”` : null, tone: 'current' });
  }
  const wish = pendingWish(r);
  let wishShown = false;
  for (const e of events) {
    const title = ACTION_TITLES[e.type];
    if (!title) continue;
    const outstanding = e.type === wish && (!last || e.time >= last.at);
    wishShown ||= outstanding;
    steps.push({ key: `event-${e.seq}`, title, at: e.time, detail: e.message, tone: outstanding ? 'current' : 'done' });
  }
  if (wish && !wishShown) steps.push({ key: 'wish', title: ACTION_TITLES[wish] as string, at: null, detail: 'being carried out', tone: 'current' });

  // In time order; steps without a time (a wish, what comes next) stay after those with one.
  const timed = steps.filter((s) => s.at !== null).sort((a, b) => (a.at as string).localeCompare(b.at as string));
  const untimed = steps.filter((s) => s.at === null);
  const next = nextStep(r);
  return [...timed, ...untimed, ...(next ? [next] : [])];
}
