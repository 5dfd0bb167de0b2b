import type { Reservation } from '../domain/reservation.ts';
import { quotaLimitsSchema, type QuotaLimits } from '../domain/quota.ts';
import { FleetyardError } from '../domain/errors.ts';
import type { Executor } from './object-repo.ts';
import type { ReservationsTable } from './schema.ts';
import type { Selectable } from 'kysely';

const toReservation = (r: Selectable<ReservationsTable>): Reservation => ({
  id: r.id,
  requestId: r.request_id,
  unit: Number(r.unit),
  hostId: r.host_id,
  cpu: Number(r.cpu),
  memoryMiB: Number(r.memory_mib),
  diskMiB: Number(r.disk_mib),
  startAt: r.start_at,
  endAt: r.end_at,
});

/** Reservations, quotas and the capacity epoch (the serialisation point of approvals). */
export class CloudRepo {
  constructor(private readonly db: Executor) {}

  async reservations(filter: { requestId?: string; hostId?: string } = {}): Promise<Reservation[]> {
    let q = this.db.selectFrom('reservations').selectAll();
    if (filter.requestId) q = q.where('request_id', '=', filter.requestId);
    if (filter.hostId) q = q.where('host_id', '=', filter.hostId);
    return (await q.orderBy('request_id').orderBy('unit').execute()).map(toReservation);
  }

  async insertReservation(r: Reservation): Promise<void> {
    await this.db
      .insertInto('reservations')
      .values({
        id: r.id,
        request_id: r.requestId,
        unit: r.unit,
        host_id: r.hostId,
        cpu: r.cpu,
        memory_mib: r.memoryMiB,
        disk_mib: r.diskMiB,
        start_at: r.startAt,
        end_at: r.endAt,
      })
      .execute();
  }

  async extendReservations(requestId: string, endAt: string): Promise<void> {
    await this.db.updateTable('reservations').set({ end_at: endAt }).where('request_id', '=', requestId).execute();
  }

  async releaseReservations(requestId: string): Promise<number> {
    const r = await this.db.deleteFrom('reservations').where('request_id', '=', requestId).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /**
   * Claims the right to decide about capacity: bumps the epoch if it is still `seen`. Two
   * transactions deciding at once cannot both succeed; the loser re-reads and decides again.
   */
  async bumpCapacityEpoch(): Promise<void> {
    const row = await this.db.selectFrom('capacity_epoch').select('version').where('id', '=', 1).executeTakeFirstOrThrow();
    const seen = Number(row.version);
    const r = await this.db
      .updateTable('capacity_epoch')
      .set({ version: seen + 1 })
      .where('id', '=', 1)
      .where('version', '=', seen)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new FleetyardError('FY_VERSION_CONFLICT', 'capacity was decided concurrently');
  }

  async quota(kind: 'user' | 'group', id: string): Promise<QuotaLimits | undefined> {
    const row = await this.db
      .selectFrom('quotas')
      .select('limits')
      .where('subject_kind', '=', kind)
      .where('subject_id', '=', id)
      .executeTakeFirst();
    return row ? quotaLimitsSchema.parse(JSON.parse(row.limits)) : undefined;
  }

  async setQuota(kind: 'user' | 'group', id: string, limits: QuotaLimits, now: Date): Promise<void> {
    await this.db
      .insertInto('quotas')
      .values({ subject_kind: kind, subject_id: id, limits: JSON.stringify(limits), updated_at: now.toISOString() })
      .onConflict((oc) => oc.columns(['subject_kind', 'subject_id']).doUpdateSet({ limits: JSON.stringify(limits), updated_at: now.toISOString() }))
      .execute();
  }
}
