import { TERMINAL_STATES, type CloudRequest, type RequestState } from '../../domain/cloud-request.ts';
import type { ApiClient } from '../api-client.ts';
import { operationFailed, timedOut } from '../cli-error.ts';
import { sleep, streamEvents } from '../event-stream.ts';
import { Progress } from '../progress.ts';

/**
 * `--wait` for cloud requests, built like wait.ts for appliances: level-based, every decision on a
 * fresh GET of the request. The request's events only wake the loop early; the event stream is
 * for admins, so a cloud user's CLI simply polls, which costs at most one interval.
 *
 * Targets: `approved` is reached by any state past the decision (provisioning and active too);
 * `active` and `paused` by those states; `ended` by any terminal state (a cancel ends in `done`).
 */
export type RequestTarget = 'approved' | 'active' | 'paused' | 'ended';

const POLL_MS = 1_000;
const PAST_APPROVAL: ReadonlySet<RequestState> = new Set(['approved', 'provisioning', 'active', 'paused']);

type Verdict = { done: true } | { done: false; failed?: string; note?: string | undefined };

export async function waitForRequest(client: ApiClient, id: string, target: RequestTarget, timeoutMs: number): Promise<CloudRequest> {
  const label = `request ${id}`;
  const progress = new Progress(`${label}: waiting until ${target}`);
  const stop = new AbortController();
  const deadline = Date.now() + timeoutMs;
  let wake: () => void = () => undefined;
  (async () => {
    try {
      for await (const _ of streamEvents(client, { query: { kind: 'request', objectId: id }, signal: stop.signal })) wake();
    } catch {
      // Not an admin, or no stream: polling alone still gets there.
    }
  })().catch(() => undefined);
  try {
    for (;;) {
      const r = await client.get<CloudRequest>(`/api/v1/cloud/requests/${id}`);
      const verdict = judge(r, target);
      const state = `${r.status.state}${r.status.reason ? ` (${r.status.reason})` : ''}`;
      if (verdict.done) {
        progress.done(`${label} is ${state}`);
        return r;
      }
      if (verdict.failed !== undefined) {
        progress.done(`${label} is ${state}`, false);
        throw operationFailed(`${label} will not become ${target}: ${verdict.failed}`);
      }
      progress.update(`${label}: ${verdict.note ?? state}`);
      const left = deadline - Date.now();
      if (left <= 0) {
        progress.clear();
        throw timedOut(`${label} is still ${state} after ${Math.round(timeoutMs / 1000)}s (wanted ${target})`);
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        sleep(Math.min(POLL_MS, left)).then(resolve, resolve);
      });
    }
  } finally {
    stop.abort();
    progress.clear();
  }
}

/** Whether the request is where the user wanted it, can no longer get there, or may still. */
export function judge(r: CloudRequest, target: RequestTarget): Verdict {
  const { state, reason } = r.status;
  const why = `it is ${state}${reason ? `: ${reason}` : ''}`;
  if (target === 'ended') return TERMINAL_STATES.has(state) ? { done: true } : { done: false };
  if (TERMINAL_STATES.has(state) || state === 'deprovisioning') return { done: false, failed: why };
  if (r.spec.cancelled) return { done: false, failed: 'it was cancelled' };
  // A request over the auto-approval limit waits for a person: say so rather than only "new".
  const note = state === 'new' && !r.spec.decision ? 'new, not approved yet (by policy or an admin)' : undefined;
  switch (target) {
    case 'approved':
      return PAST_APPROVAL.has(state) ? { done: true } : { done: false, note };
    case 'active':
      if (state === 'active' && !r.spec.paused) return { done: true };
      if (r.spec.paused) return { done: false, failed: 'it is paused' };
      return { done: false, note };
    case 'paused':
      if (state === 'paused') return { done: true };
      if (!r.spec.paused) return { done: false, failed: 'it was resumed' };
      return { done: false };
  }
}
