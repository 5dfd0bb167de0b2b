import { type Appliance, reachableAddress } from '../domain/appliance.ts';
import { ApiError, type ApiClient } from './api-client.ts';
import { operationFailed, timedOut } from './cli-error.ts';
import { sleep, streamEvents } from './event-stream.ts';
import { Progress } from './progress.ts';

/**
 * `--wait`: block until an appliance reaches what the user asked for. Level-based, like the
 * reconcilers: the appliance's events only wake the loop early, and every decision is made on a
 * fresh GET of the appliance. So a missed event, a stream the server does not offer or a proxy
 * that buffers it costs at most one poll interval, never a wrong answer.
 */
export type WaitTarget = 'running' | 'stopped' | 'gone';

const POLL_MS = 1_000;

export interface WaitOptions {
  timeoutMs: number;
  /** What the progress line calls the appliance (its name, usually). */
  label: string;
}

type Verdict = { done: true; message: string } | { done: false; failed?: string };

export async function waitForAppliance(
  client: ApiClient,
  id: string,
  target: WaitTarget,
  opts: WaitOptions,
): Promise<void> {
  const progress = new Progress(`appliance ${opts.label}: waiting until ${target === 'gone' ? 'deleted' : target}`);
  const stop = new AbortController();
  const deadline = Date.now() + opts.timeoutMs;
  let wake: () => void = () => undefined;
  (async () => {
    try {
      for await (const _ of streamEvents(client, { query: { kind: 'appliance', objectId: id }, signal: stop.signal })) wake();
    } catch {
      // No stream: polling alone still gets there.
    }
  })().catch(() => undefined);
  let phase = 'unknown';
  try {
    for (;;) {
      const appliance = await getOrNull(client, id);
      if (appliance) phase = appliance.status.phase;
      const verdict = judge(appliance, target);
      if (verdict.done) {
        progress.done(`appliance ${opts.label} ${verdict.message}`);
        return;
      }
      if (verdict.failed !== undefined) {
        progress.done(`appliance ${opts.label} failed`, false);
        throw operationFailed(`appliance ${opts.label} failed${verdict.failed ? `: ${verdict.failed}` : ''}`);
      }
      progress.update(`appliance ${opts.label}: ${phase}`);
      const left = deadline - Date.now();
      if (left <= 0) {
        progress.clear();
        throw timedOut(
          `appliance ${opts.label} is still ${phase} after ${Math.round(opts.timeoutMs / 1000)}s (wanted ${target})`,
        );
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

async function getOrNull(client: ApiClient, id: string): Promise<Appliance | null> {
  try {
    return await client.get<Appliance>(`/api/v1/appliances/${id}`);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

/** Whether the appliance is where the user wanted it, can no longer get there, or may still. */
function judge(a: Appliance | null, target: WaitTarget): Verdict {
  if (target === 'gone') return a ? { done: false } : { done: true, message: 'is deleted' };
  if (!a) return { done: false, failed: 'it was deleted' };
  // Until the reconciler has acted on the latest spec, a `failed` may describe an older wish
  // (the start we just asked for may be the retry that fixes it), so only a current one counts.
  const current = a.status.observedGeneration >= a.generation;
  const { phase } = a.status;
  if (a.deletionRequestedAt || phase === 'deleting') return { done: false, failed: 'it is being deleted' };
  if (current && phase === 'failed') return { done: false, failed: a.status.message ?? '' };
  if (a.spec.desiredState !== target) return { done: false, failed: `someone asked for it to be ${a.spec.desiredState}` };
  if (target === 'running' && phase === 'running') {
    return { done: true, message: `is running${reachableAddress(a) ? ` at ${reachableAddress(a)}` : ''}` };
  }
  // An appliance created with --no-start may rest in `pending` rather than `stopped`.
  if (target === 'stopped' && (phase === 'stopped' || (phase === 'pending' && current))) {
    return { done: true, message: 'is stopped' };
  }
  return { done: false };
}
