import type { Selectable } from 'kysely';
import type { CheckResult, CheckStatus, Perfdata } from '../domain/health-check.ts';
import type { Executor } from './object-repo.ts';
import type { ApplianceChecksTable } from './schema.ts';

const toStatus = (r: Selectable<ApplianceChecksTable>): CheckStatus & { hostId: string } => ({
  applianceId: r.appliance_id,
  hostId: r.host_id,
  check: r.check_name,
  state: r.state,
  type: r.state_type,
  attempt: Number(r.attempt),
  maxCheckAttempts: Number(r.max_check_attempts),
  output: r.output,
  perfdata: JSON.parse(r.perfdata) as Perfdata[],
  checkedAt: r.checked_at,
  changedAt: r.changed_at,
});

/** The latest result of each appliance health check (migration 012), one row per check. */
export class CheckRepo {
  constructor(private readonly db: Executor) {}

  async get(applianceId: string, check: string): Promise<(CheckStatus & { hostId: string }) | undefined> {
    const row = await this.db.selectFrom('appliance_checks').selectAll().where('appliance_id', '=', applianceId).where('check_name', '=', check).executeTakeFirst();
    return row ? toStatus(row) : undefined;
  }

  async forAppliance(applianceId: string): Promise<Array<CheckStatus & { hostId: string }>> {
    const rows = await this.db.selectFrom('appliance_checks').selectAll().where('appliance_id', '=', applianceId).orderBy('check_name').execute();
    return rows.map(toStatus);
  }

  async all(): Promise<Array<CheckStatus & { hostId: string }>> {
    const rows = await this.db.selectFrom('appliance_checks').selectAll().orderBy('appliance_id').orderBy('check_name').execute();
    return rows.map(toStatus);
  }

  /** Writes the latest result; `changedAt` moves only when the state or its type changed. */
  async put(applianceId: string, hostId: string, r: CheckResult, changedAt: string): Promise<void> {
    const row = {
      appliance_id: applianceId,
      check_name: r.check,
      host_id: hostId,
      state: r.state,
      state_type: r.type,
      attempt: r.attempt,
      max_check_attempts: r.maxCheckAttempts,
      output: r.output,
      perfdata: JSON.stringify(r.perfdata),
      checked_at: r.checkedAt,
      changed_at: changedAt,
    };
    const { appliance_id: _a, check_name: _c, ...rest } = row;
    await this.db
      .insertInto('appliance_checks')
      .values(row)
      .onConflict((oc) => oc.columns(['appliance_id', 'check_name']).doUpdateSet(rest))
      .execute();
  }

  /** Forgets the checks of an appliance, or those of its checks not in `keep`. */
  async remove(applianceId: string, keep: string[] = []): Promise<void> {
    let q = this.db.deleteFrom('appliance_checks').where('appliance_id', '=', applianceId);
    if (keep.length > 0) q = q.where('check_name', 'not in', keep);
    await q.execute();
  }
}
