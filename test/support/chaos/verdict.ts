import { join } from 'node:path';
import { BillingRepo } from '../../../src/billing/billing-repo.ts';
import { verifyLedger } from '../../../src/billing/verify-ledger.ts';
import type { Appliance } from '../../../src/domain/appliance.ts';
import { systemClock } from '../../../src/domain/clock.ts';
import type { CloudRequest } from '../../../src/domain/cloud-request.ts';
import type { FleetyardEvent } from '../../../src/domain/event.ts';
import { uuidV7Ids } from '../../../src/domain/ids.ts';
import { exec } from '../../../src/host/exec.ts';
import { Store } from '../../../src/store/store.ts';
import { findLeaks } from '../host-leaks.ts';
import type { Installation } from './installation.ts';
import type { Workload } from './workload.ts';

/** What a soak found at the end: each list names what went wrong, so empty lists are the promise kept. */
export interface Verdict {
  lost: string[];
  duplicated: string[];
  leaked: string[];
  /** Objects that never reached their own spec within the deadline. */
  unconverged: string[];
  debits: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function all<T>(inst: Installation, path: string): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const r: { items: T[]; nextCursor: string | null } = await inst.api.ok('GET', `${path}${path.includes('?') ? '&' : '?'}limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    out.push(...r.items);
    cursor = r.nextCursor;
    if (!cursor) return out;
  }
  return out;
}

const settled = (a: Appliance): boolean => (a.spec.desiredState === 'running' ? a.status.phase === 'running' : a.status.phase === 'stopped');
const requestSettled = (r: CloudRequest): boolean => (r.spec.cancelled ? r.status.state === 'done' : r.status.state === 'active');

/** Waits until every appliance and request has reached its own spec (bounded), then judges. */
export async function judge(inst: Installation, w: Workload, deadlineMs: number): Promise<Verdict> {
  const end = Date.now() + deadlineMs;
  let appliances: Appliance[] = [];
  let requests: CloudRequest[] = [];
  for (;;) {
    appliances = await all<Appliance>(inst, '/api/v1/appliances');
    requests = await all<CloudRequest>(inst, '/api/v1/cloud/requests');
    const pending = appliances.filter((a) => a.deletionRequestedAt !== null || !settled(a)).length + requests.filter((r) => !requestSettled(r)).length;
    if (pending === 0 || Date.now() > end) break;
    await sleep(500);
  }
  const v: Verdict = { lost: [], duplicated: [], leaked: [], unconverged: [], debits: 0 };
  for (const a of appliances) {
    if (a.deletionRequestedAt !== null) v.unconverged.push(`appliance ${a.name}: still being deleted (${a.status.phase} ${a.status.message ?? ''})`);
    else if (!settled(a)) v.unconverged.push(`appliance ${a.name}: wants ${a.spec.desiredState}, is ${a.status.phase} (${a.status.message ?? ''})`);
  }
  for (const r of requests) if (!requestSettled(r)) v.unconverged.push(`request ${r.name}: ${r.status.state} (${r.status.reason ?? ''})`);

  // Lost: an acknowledged operation whose effect is not there.
  const byId = new Map(appliances.map((a) => [a.id, a]));
  for (const [id, e] of w.appliances) {
    if (e.uncertain || e.want === undefined) continue;
    const a = byId.get(id);
    if (e.want === 'deleted') {
      if (a) v.lost.push(`appliance ${a.name}: its deletion was acknowledged, it is still there`);
      continue;
    }
    if (!a) v.lost.push(`appliance ${id}: acknowledged as ${e.want}, it is gone`);
    else if (a.spec.desiredState !== e.want) v.lost.push(`appliance ${a.name}: acknowledged ${e.want}, its spec says ${a.spec.desiredState}`);
    else if (e.virtualization && a.status.virtualization !== e.virtualization && !rolledBack(a, e.virtualization))
      v.lost.push(`appliance ${a.name}: moved to ${e.virtualization}, it is on ${a.status.virtualization} (last move: ${JSON.stringify(a.status.lastMove ?? null)})`);
  }
  const reqById = new Map(requests.map((r) => [r.id, r]));
  for (const [id, e] of w.requests) {
    if (e.uncertain || e.want === undefined) continue;
    const r = reqById.get(id);
    if (!r) v.lost.push(`request ${id}: acknowledged, it is gone`);
    else if (e.want === 'cancelled' && !r.spec.cancelled) v.lost.push(`request ${r.name}: its cancel was acknowledged, it is not cancelled`);
  }

  // Duplicated: one container process per running container appliance, none for anything else.
  const runc = JSON.parse((await exec('runc', ['--root', inst.runcRoot, 'list', '--format', 'json'])).stdout || '[]') as Array<{ id: string; status: string }> | null;
  const containers = (runc ?? []).filter((c) => c.status === 'running');
  for (const a of appliances) {
    const n = containers.filter((c) => c.id === a.id).length;
    const want = a.status.phase === 'running' && a.status.virtualization === 'container' ? 1 : 0;
    if (n !== want) v.duplicated.push(`appliance ${a.name} (${a.status.phase} on ${a.status.virtualization}): ${n} containers running`);
  }
  for (const c of containers) if (!byId.has(c.id)) v.duplicated.push(`container ${c.id} runs for no appliance`);
  const names = new Set<string>();
  for (const a of appliances) {
    if (names.has(a.name)) v.duplicated.push(`two appliances named ${a.name}`);
    names.add(a.name);
  }

  // One debit per usage period, each explained by its usage.
  const store = await Store.open(inst.databaseUrl, uuidV7Ids, systemClock);
  try {
    const repo = new BillingRepo(store.db);
    const periods = new Set<string>();
    for (const meter of await repo.allMeters()) {
      for (const u of await repo.usageRecordsOfMeter(meter.id)) {
        const key = `${u.meterId} ${u.periodStart}`;
        if (periods.has(key)) v.duplicated.push(`meter ${u.meterId} charged twice for the period from ${u.periodStart}`);
        periods.add(key);
      }
    }
    v.debits = (await repo.debits()).length;
    for (const p of await verifyLedger(store)) v.duplicated.push(`ledger: ${p.kind} ${p.message}`);
  } finally {
    await store.close();
  }

  // Leaked: nothing on the host of any appliance that is gone, or of one that is stopped.
  const seen = new Set<string>();
  for (let after = 0, page = 0; page < 10_000; page++) {
    const r = await inst.api.ok<{ items: FleetyardEvent[]; nextCursor: string | null }>('GET', `/api/v1/events?kind=appliance&limit=1000&afterSeq=${after}`);
    for (const e of r.items) seen.add(e.objectId);
    if (!r.nextCursor) break;
    after = Number(r.nextCursor);
  }
  const gone = [...seen].filter((id) => !byId.has(id));
  v.leaked.push(...(await findLeaks(gone, inst.containerStateDir, { storageRoot: inst.storageRoot })));
  const stopped = appliances.filter((a) => a.status.phase === 'stopped' || a.status.virtualization !== 'container').map((a) => a.id);
  const stoppedLeaks = await findLeaks(stopped, inst.containerStateDir, { storageRoot: join(inst.storageRoot, 'no-clones-expected-here') });
  // A stopped appliance keeps its clone; everything else of its runtime must be gone.
  v.leaked.push(...stoppedLeaks.filter((l) => !/: clone /.test(l)));
  return v;
}

/**
 * An acknowledged move asks for a move; one whose target failed (a kill in the middle, say) is
 * rolled back by design, the appliance running where it was with its data, and says so in
 * `status.lastMove`. That is the move's outcome, reported, not a lost operation.
 */
function rolledBack(a: Appliance, to: string): boolean {
  const m = a.status.lastMove;
  return m !== null && m !== undefined && m.to === to && m.outcome === 'rolled-back';
}
