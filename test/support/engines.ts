import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import type { Bus } from '../../src/bus/bus.ts';
import { MemoryBus } from '../../src/bus/memory-bus.ts';
import { NatsBus } from '../../src/bus/nats-bus.ts';
import { systemClock, type Clock } from '../../src/domain/clock.ts';
import { uuidV7Ids, type IdSource } from '../../src/domain/ids.ts';
import { Store } from '../../src/store/store.ts';

/**
 * The engines every store and bus suite runs on: the embedded pair (SQLite + in-process bus) and
 * the scale pair (PostgreSQL + NATS JetStream). Each open gives a fresh, private database or
 * stream and a `cleanup` that removes it; suites call `t.after(cleanup)` right away so it runs
 * even when the test fails. An engine that cannot be reached makes the test fail, never skip:
 * `scripts/ensure-services.sh` is what brings the services up.
 */
export type EngineName = 'sqlite+memory' | 'postgres+nats';

export interface OpenedStore {
  store: Store;
  cleanup(): Promise<void>;
}

export interface OpenedBus {
  bus: Bus;
  /** Unique per open; tests put it into command and notice subjects to stay apart. */
  tag: string;
  /**
   * True when events outlive the process (JetStream). The memory bus is not durable: there the
   * outbox is what carries events across a restart.
   */
  durable: boolean;
  /** Another connection to the same event stream, as a restarted process would open. */
  reconnect(): Promise<Bus>;
  cleanup(): Promise<void>;
}

export interface StoreOptions {
  ids?: IdSource;
  clock?: Clock;
}

export interface Engine {
  name: EngineName;
  openStore(opts?: StoreOptions): Promise<OpenedStore>;
  openBus(): Promise<OpenedBus>;
}

const PG_URL = process.env.FLEETYARD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const NATS_URL = process.env.FLEETYARD_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const HOW_TO_START = 'run `bash scripts/ensure-services.sh` first';

const randomTag = (): string => randomBytes(6).toString('hex');

/** Closes everything even if one step throws, then reports the first failure. */
async function all(steps: Array<() => Promise<unknown>>): Promise<void> {
  const results = await Promise.allSettled(steps.map((s) => s()));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

async function openSqliteStore(opts: StoreOptions): Promise<OpenedStore> {
  const dir = await mkdtemp(join(tmpdir(), 'fy-test-'));
  try {
    const store = await Store.open(join(dir, 'fleetyard.db'), opts.ids ?? uuidV7Ids, opts.clock ?? systemClock);
    return {
      store,
      cleanup: async () => {
        await store.close().catch(() => undefined);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

/** Runs one statement on the maintenance database (CREATE/DROP DATABASE cannot run in a pool tx). */
async function onAdminDb(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (e) {
    throw new Error(`PostgreSQL is not reachable at ${PG_URL} (${String(e)}); ${HOW_TO_START}`);
  }
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function openPostgresStore(opts: StoreOptions): Promise<OpenedStore> {
  const dbName = `fy_test_${randomTag()}`;
  await onAdminDb(`CREATE DATABASE ${dbName}`);
  const drop = (): Promise<void> => onAdminDb(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  const url = new URL(PG_URL);
  url.pathname = `/${dbName}`;
  let store: Store;
  try {
    store = await Store.open(url.toString(), opts.ids ?? uuidV7Ids, opts.clock ?? systemClock);
  } catch (e) {
    await drop();
    throw e;
  }
  return {
    store,
    cleanup: () => all([() => store.close()]).finally(drop),
  };
}

function openMemoryBus(): Promise<OpenedBus> {
  const bus = new MemoryBus();
  return Promise.resolve({
    bus,
    tag: randomTag(),
    durable: false,
    reconnect: () => Promise.reject(new Error('the memory bus does not outlive its process; use the outbox')),
    cleanup: () => bus.close(),
  });
}

async function openNatsBus(): Promise<OpenedBus> {
  const tag = randomTag();
  const opts = { stream: `FY_TEST_${tag}`, subjectPrefix: `fytest.${tag}.events` };
  const open = async (): Promise<NatsBus> => {
    try {
      return await NatsBus.connect(NATS_URL, opts);
    } catch (e) {
      throw new Error(`NATS JetStream is not reachable at ${NATS_URL} (${String(e)}); ${HOW_TO_START}`);
    }
  };
  const buses = [await open()];
  const deleteStream = async (): Promise<void> => {
    const nc = await connect({ servers: NATS_URL });
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.delete(opts.stream);
    } finally {
      await nc.close();
    }
  };
  return {
    bus: buses[0] as NatsBus,
    tag,
    durable: true,
    reconnect: async () => {
      const bus = await open();
      buses.push(bus);
      return bus;
    },
    cleanup: () => all(buses.map((b) => () => b.close())).finally(deleteStream),
  };
}

export function engines(): Engine[] {
  return [
    { name: 'sqlite+memory', openStore: (o = {}) => openSqliteStore(o), openBus: openMemoryBus },
    { name: 'postgres+nats', openStore: (o = {}) => openPostgresStore(o), openBus: openNatsBus },
  ];
}

/** A fresh PostgreSQL database for a whole control plane; `drop` removes it. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const dbName = `fy_test_${randomTag()}`;
  await onAdminDb(`CREATE DATABASE ${dbName}`);
  const url = new URL(PG_URL);
  url.pathname = `/${dbName}`;
  return { url: url.toString(), drop: () => onAdminDb(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`) };
}

/** A NATS namespace of its own for a test, and the cleanup that deletes its stream. */
export function natsNamespace(): { url: string; namespace: string; cleanup(): Promise<void> } {
  const namespace = `fyt${randomTag()}`;
  return {
    url: NATS_URL,
    namespace,
    cleanup: async () => {
      const nc = await connect({ servers: NATS_URL });
      try {
        const jsm = await jetstreamManager(nc);
        await jsm.streams.delete(`FY_${namespace.toUpperCase()}`).catch(() => undefined);
      } finally {
        await nc.close();
      }
    },
  };
}
