import { FleetyardError } from '../domain/errors.ts';
import type { Executor } from './object-repo.ts';

/**
 * IPAM bookkeeping: which address of which network an appliance holds, one repository per family
 * (`addresses` for IPv4, `addresses6` for IPv6). The primary key (network, address) makes a double
 * allocation impossible even with two control planes racing.
 */
export class AddressRepo {
  constructor(
    private readonly db: Executor,
    private readonly table: 'addresses' | 'addresses6' = 'addresses',
  ) {}

  async forAppliance(networkId: string, applianceId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom(this.table)
      .select('address')
      .where('network_id', '=', networkId)
      .where('appliance_id', '=', applianceId)
      .executeTakeFirst();
    return row?.address;
  }

  async taken(networkId: string): Promise<Set<string>> {
    const rows = await this.db.selectFrom(this.table).select('address').where('network_id', '=', networkId).execute();
    return new Set(rows.map((r) => r.address));
  }

  /**
   * Claims `address`; false if someone else holds it already (or this appliance holds another).
   * A conflict is resolved by the database (ON CONFLICT DO NOTHING) instead of a caught error, because
   * on PostgreSQL a failed statement aborts the whole transaction and a caller trying the next
   * address in the same transaction would get nothing but errors.
   */
  async claim(networkId: string, address: string, applianceId: string, now: Date): Promise<boolean> {
    const result = await this.db
      .insertInto(this.table)
      .values({ network_id: networkId, address, appliance_id: applianceId, created_at: now.toISOString() })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  /** Every address held on the network with its appliance, in address order of insertion. */
  async held(networkId: string): Promise<Array<{ address: string; applianceId: string }>> {
    const rows = await this.db
      .selectFrom(this.table)
      .select(['address', 'appliance_id'])
      .where('network_id', '=', networkId)
      .orderBy('created_at')
      .orderBy('address')
      .execute();
    return rows.map((r) => ({ address: r.address, applianceId: r.appliance_id }));
  }

  async countOn(networkId: string): Promise<number> {
    const r = await this.db
      .selectFrom(this.table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('network_id', '=', networkId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async releaseAll(applianceId: string): Promise<void> {
    await this.db.deleteFrom(this.table).where('appliance_id', '=', applianceId).execute();
  }

  async count(): Promise<number> {
    const r = await this.db.selectFrom(this.table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    if (!r) throw new FleetyardError('FY_INTERNAL');
    return Number(r.n);
  }
}
