import type { Kysely } from 'kysely';
import type { Appliance } from '../domain/appliance.ts';
import type { Clock } from '../domain/clock.ts';
import { checkNewEvent, type NewEvent } from '../domain/event-types.ts';
import type { IdSource } from '../domain/ids.ts';
import type { Image } from '../domain/image.ts';
import type { Kernel } from '../domain/kernel.ts';
import type { Network } from '../domain/network.ts';
import type { Resource } from '../domain/resource.ts';
import type { Storage } from '../domain/storage.ts';
import { AddressRepo } from './address-repo.ts';
import { applianceCodec, configGroupCodec, groupCodec, imageCodec, kernelCodec, networkCodec, productCodec, requestCodec, resourceCodec, storageCodec, userCodec } from './codecs.ts';
import { CloudRepo } from './cloud-repo.ts';
import type { CloudRequest } from '../domain/cloud-request.ts';
import type { Product } from '../domain/product.ts';
import type { ConfigGroup } from '../domain/config-group.ts';
import { EnrollmentRepo } from './enrollment-repo.ts';
import { StackRepo } from './stack-repo.ts';
import { IdentityRepo } from './identity-repo.ts';
import type { Group, User } from '../domain/user.ts';
import { CheckRepo } from './check-repo.ts';
import { EventRepo, type PendingEvent } from './event-repo.ts';
import { migrateToLatest } from './migrate.ts';
import { ObjectRepo, type Executor } from './object-repo.ts';
import { openDatabase, type Dialect } from './open.ts';
import type { Database } from './schema.ts';

/** Every repository, bound to one executor (the database, or one transaction). */
export class Repos {
  readonly resources: ObjectRepo<Resource>;
  readonly appliances: ObjectRepo<Appliance>;
  readonly images: ObjectRepo<Image>;
  readonly kernels: ObjectRepo<Kernel>;
  readonly storages: ObjectRepo<Storage>;
  readonly networks: ObjectRepo<Network>;
  readonly addresses: AddressRepo;
  /** IPv6 addresses, beside the IPv4 ones. */
  readonly addresses6: AddressRepo;
  readonly events: EventRepo;
  readonly users: ObjectRepo<User>;
  readonly groups: ObjectRepo<Group>;
  readonly identity: IdentityRepo;
  readonly products: ObjectRepo<Product>;
  readonly configGroups: ObjectRepo<ConfigGroup>;
  readonly requests: ObjectRepo<CloudRequest>;
  readonly cloud: CloudRepo;
  readonly enrollment: EnrollmentRepo;
  readonly stacks: StackRepo;
  readonly checks: CheckRepo;

  /** Events emitted in this transaction, written just before it commits (Store.transaction). */
  private readonly pending: PendingEvent[] = [];

  constructor(
    /** The executor these repositories use, so other modules can bind their own repos to the same transaction. */
    readonly db: Executor,
    private readonly ids: IdSource,
    private readonly clock: Clock,
    /** Bound to a transaction: emitted events wait for its end. Otherwise each is written at once. */
    private readonly inTransaction = false,
  ) {
    this.resources = new ObjectRepo(db, resourceCodec);
    this.appliances = new ObjectRepo(db, applianceCodec);
    this.images = new ObjectRepo(db, imageCodec);
    this.kernels = new ObjectRepo(db, kernelCodec);
    this.storages = new ObjectRepo(db, storageCodec);
    this.networks = new ObjectRepo(db, networkCodec);
    this.addresses = new AddressRepo(db);
    this.addresses6 = new AddressRepo(db, 'addresses6');
    this.events = new EventRepo(db);
    this.users = new ObjectRepo(db, userCodec);
    this.groups = new ObjectRepo(db, groupCodec);
    this.identity = new IdentityRepo(db);
    this.products = new ObjectRepo(db, productCodec);
    this.configGroups = new ObjectRepo(db, configGroupCodec);
    this.requests = new ObjectRepo(db, requestCodec);
    this.cloud = new CloudRepo(db);
    this.enrollment = new EnrollmentRepo(db);
    this.stacks = new StackRepo(db);
    this.checks = new CheckRepo(db);
  }

  /**
   * Records an event in the outbox of the current transaction. It is checked against the event
   * registry here, so a wrong emit throws FY_EVENT_INVALID at its site (and the transaction rolls
   * back). Its id, time and owner are fixed now; its seq when the transaction ends, after
   * everything else it writes (see EventRepo.appendAll).
   */
  async emit(e: NewEvent): Promise<void> {
    const { event: checked, ownerId } = checkNewEvent(e);
    const event: PendingEvent = { e: checked, ownerId, id: this.ids.next(), at: this.clock.now() };
    if (this.inTransaction) this.pending.push(event);
    // Outside a transaction the counter and the insert still commit together.
    else await this.db.transaction().execute((trx) => new EventRepo(trx).appendAll([event]));
  }

  /** Writes the events this transaction emitted; the store calls it as the transaction's last step. */
  async flushEvents(): Promise<void> {
    await this.events.appendAll(this.pending.splice(0));
  }
}

/**
 * The store: one schema on SQLite (embedded) or PostgreSQL (scale). State changes go through
 * `transaction`, which is where the change and its event are committed together.
 */
export class Store {
  readonly read: Repos;

  private constructor(
    readonly db: Kysely<Database>,
    readonly dialect: Dialect,
    readonly ids: IdSource,
    readonly clock: Clock,
    private readonly queryListeners: Set<(sql: string) => void>,
  ) {
    this.read = new Repos(db, ids, clock);
  }

  static async open(url: string, ids: IdSource, clock: Clock): Promise<Store> {
    const queryListeners = new Set<(sql: string) => void>();
    const { db, dialect } = openDatabase(url, (sql) => {
      for (const l of queryListeners) l(sql);
    });
    await migrateToLatest(db as unknown as Kysely<unknown>, dialect);
    return new Store(db, dialect, ids, clock, queryListeners);
  }

  /**
   * Calls `listener` with the SQL of every query this store runs (for what a call costs: tests
   * and the metrics of the store). Returns a function that removes it.
   */
  onQuery(listener: (sql: string) => void): () => void {
    this.queryListeners.add(listener);
    return () => this.queryListeners.delete(listener);
  }

  private readonly commitListeners = new Set<() => void>();

  /** Called after every committed transaction (the outbox relay listens, to publish at once). */
  onCommit(listener: () => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  async transaction<T>(fn: (tx: Repos) => Promise<T>): Promise<T> {
    const result = await this.db.transaction().execute(async (trx) => {
      const repos = new Repos(trx, this.ids, this.clock, true);
      const value = await fn(repos);
      await repos.flushEvents();
      return value;
    });
    for (const l of this.commitListeners) l();
    return result;
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
