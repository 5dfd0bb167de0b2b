import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Product } from '../../src/domain/product.ts';
import type { User } from '../../src/domain/user.ts';
import { TestApi } from '../support/api.ts';
import { baseImageTar } from '../support/base-image.ts';
import { startInstallation, type EnginePair, type Installation } from '../support/chaos/installation.ts';
import { judge } from '../support/chaos/verdict.ts';
import { seeded, Workload } from '../support/chaos/workload.ts';
import { TEST_PRICE_LIST } from '../support/cloud-fixture.ts';
import { tokenFor } from '../support/session.ts';

/**
 * The chaos soak. A bounded mix of operations — appliances created, started, stopped, moved
 * (container ⇄ sim) and deleted; cloud requests ordered, approved by policy, provisioned and
 * cancelled — runs against a real installation while its processes are SIGKILLed at random
 * moments and started again: the server, and on PostgreSQL + NATS the agent too. At the end
 * every acknowledged operation is there (0 lost), every running container appliance has exactly
 * one container and every usage period one debit (0 duplicated), and nothing of a deleted or
 * stopped appliance is left on the host (0 leaked).
 *
 * The CI variant runs ~40 operations per engine pair; FLEETYARD_SOAK_MINUTES=N runs N minutes per
 * pair and prints its figures. FLEETYARD_SOAK_SEED replays a run.
 */
const MINUTES = Number(process.env.FLEETYARD_SOAK_MINUTES ?? 0);
const SEED = Number(process.env.FLEETYARD_SOAK_SEED ?? Date.now() % 1_000_000);
const SHORT_OPERATIONS = 40;
/** Long enough to cross a posting period (60 s) in the short variant too, so debits are checked. */
const SHORT_MIN_MS = 75_000;


const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function userToken(inst: Installation): Promise<{ token: string; user: User }> {
  const password = 'soak-password-correct-horse';
  const user = await inst.api.ok<User>('POST', '/api/v1/users', { name: 'soaker', email: 'soaker@example.test', password });
  await inst.api.ok('POST', '/api/v1/ccu/grants', { userId: user.id, ccu: 100_000, note: 'soak' });
  return { token: await tokenFor(inst.api.url, 'soaker', password), user };
}

async function soak(pair: EnginePair, t: { diagnostic(m: string): void }): Promise<void> {
  const inst = await startInstallation(pair);
  try {
    await soakOn(inst, pair, t);
  } finally {
    // Ended by each pair, even a failed one: its server and containers must not run on into
    // the next pair's, sharing the cores.
    await inst.cleanup();
  }
}

async function soakOn(inst: Installation, pair: EnginePair, t: { diagnostic(m: string): void }): Promise<void> {
  const image = await inst.api.uploadImage('base', baseImageTar());
  // Posting every minute, so a soak of a minute or more charges real periods across its kills.
  await inst.api.ok('PUT', '/api/v1/ccu/price-list', { ...TEST_PRICE_LIST, postingPeriodSeconds: 60 });
  const product = await inst.api.ok<Product>('POST', '/api/v1/products', { name: 'soak', imageId: image.id, sizes: [{ name: 's', cpu: 1, memoryMiB: 64, diskMiB: 0 }], virtualizations: ['container'] });
  const { token } = await userToken(inst);
  const user = new TestApi(inst.api.url, token);
  const random = seeded(SEED + (pair === 'sqlite+memory' ? 0 : 1));
  const w = new Workload(() => inst.api, () => user, { imageId: image.id, productId: product.id }, random);

  const started = Date.now();
  const until = MINUTES > 0 ? started + MINUTES * 60_000 : Number.POSITIVE_INFINITY;
  const enough = () => (MINUTES > 0 ? Date.now() >= until : w.tally.operations >= SHORT_OPERATIONS && Date.now() - started >= SHORT_MIN_MS);
  let kills = 0;
  let killerDone = false;
  const killer = (async () => {
    while (!enough()) {
      await sleep(2_000 + random() * 4_000);
      if (enough()) break;
      const which = pair === 'postgres+nats' ? random() : 0;
      if (which < 0.5) await inst.killServer();
      if (which >= 0.35) await inst.killAgent();
      kills++;
      await sleep(300 + random() * 1_200);
      await inst.restart();
    }
    killerDone = true;
  })();
  for (let i = 0; !enough() && i < 100_000; i++) {
    await w.step();
    await sleep(50 + random() * 250);
  }
  await killer;
  assert.ok(killerDone);
  await inst.restart();
  const verdict = await judge(inst, w, 180_000);
  const figures = {
    pair,
    seed: SEED,
    minutes: Math.round((Date.now() - started) / 600) / 100,
    operations: w.tally.operations,
    acknowledged: w.tally.acknowledged,
    unanswered: w.tally.unanswered,
    refused: w.tally.refused,
    kills,
    lost: verdict.lost.length,
    duplicated: verdict.duplicated.length,
    leaked: verdict.leaked.length,
    unconverged: verdict.unconverged.length,
    debits: verdict.debits,
  };
  t.diagnostic(JSON.stringify(figures));
  if (MINUTES > 0) process.stdout.write(`soak figures: ${JSON.stringify(figures)}\n`);
  assert.ok(kills > 0, 'the processes were killed at least once');
  assert.deepEqual(verdict.unconverged, [], `converged after the last restart (seed ${SEED})\n${inst.output()}`);
  assert.ok(verdict.debits > 0, 'usage was charged, so one debit per period was checked');
  assert.deepEqual(verdict.lost, [], `nothing acknowledged was lost (seed ${SEED})`);
  assert.deepEqual(verdict.duplicated, [], `nothing was done twice (seed ${SEED})`);
  assert.deepEqual(verdict.leaked, [], `nothing was left on the host (seed ${SEED})`);
}

describe('chaos soak', () => {
  for (const pair of ['sqlite+memory', 'postgres+nats'] as const) {
    test(`on ${pair}: SIGKILLs during a mix of operations lose nothing, do nothing twice, leak nothing`, { timeout: (MINUTES > 0 ? MINUTES * 60_000 : 0) + 600_000 }, async (t) => {
      await soak(pair, t);
    });
  }
});
