import { sql, type Kysely } from 'kysely';
import type { Capacity, Resource } from '../domain/resource.ts';
import { jsonInteger, jsonText } from './json-fields.ts';
import type { Executor } from './object-repo.ts';
import type { Dialect } from './open.ts';
import type { Database } from './schema.ts';

/** Capacity summed over some rows, with how many rows there were. */
export interface Summed extends Capacity {
  units: number;
}

/** Slots (virtual resources) on one host, by the virtualization they were placed for. */
export interface SlotUsage extends Summed {
  hostId: string;
  /** The slot's `fleetyard.io/virtualization` label, else what its type implies (vm: qemu). */
  virtualization: string;
  /** Counted by a cloud request's reservation rather than against the host's free room. */
  reserved: boolean;
}

/** Physical servers booted by one host, by state, power and whether an appliance holds them. */
export interface ServerUsage extends Summed {
  hostId: string;
  state: string;
  powerState: string;
  inUse: boolean;
  /** Has the BMC and boot MAC that placement needs (a discovered machine has neither yet). */
  bootable: boolean;
}

/** A host as the figures need it: what it offers and whether its lease holds. */
export interface HostFigures {
  id: string;
  virtualizations: string[];
  capacity: Capacity;
  state: Resource['status']['state'];
  powerState: Resource['status']['powerState'];
  lastHeartbeatAt: string | null;
}

/** Capacity promised to cloud requests at one moment, per host. */
export interface ReservedNow extends Capacity {
  hostId: string;
}

/**
 * The aggregate questions the admin dashboard asks, each one GROUP BY query whatever the number of
 * appliances, slots or servers: the database sums and counts, and only the totals come back. The
 * hosts themselves (a few rows per machine room) are the one list read whole.
 */
export class DashboardRepo {
  private readonly db: Kysely<Database>;

  constructor(
    db: Executor,
    private readonly dialect: Dialect,
  ) {
    this.db = db as Kysely<Database>;
  }

  /** How many appliances are in each phase, or requests in each state. */
  async countsBy(table: 'appliances' | 'cloud_requests'): Promise<Map<string, number>> {
    const column = table === 'appliances' ? 'phase' : 'state';
    const rows = await this.db
      .selectFrom(table)
      .select([sql.ref<string>(column).as('key'), (eb) => eb.fn.countAll<number | string>().as('n')])
      .groupBy(sql.ref(column))
      .execute();
    return new Map(rows.map((r) => [r.key, Number(r.n)]));
  }

  /** Every host (a resource that hangs off no other), with the fields the figures use. */
  async hosts(): Promise<HostFigures[]> {
    const rows = await this.db.selectFrom('resources').select(['id', 'spec', 'status']).where('host_id', 'is', null).orderBy('id').execute();
    return rows.map((r) => {
      const spec = JSON.parse(r.spec) as Resource['spec'];
      const status = JSON.parse(r.status) as Resource['status'];
      return {
        id: r.id,
        virtualizations: spec.virtualizations,
        capacity: spec.capacity,
        state: status.state,
        powerState: status.powerState,
        lastHeartbeatAt: status.lastHeartbeatAt,
      };
    });
  }

  async slotUsage(): Promise<SlotUsage[]> {
    const d = this.dialect;
    const label = jsonText(d, 'spec', ['labels', 'fleetyard.io/virtualization']);
    const reserved = sql<number>`case when ${jsonText(d, 'spec', ['labels', 'fleetyard.io/reservation'])} is null then 0 else 1 end`;
    const rows = await this.db
      .selectFrom('resources')
      .select([
        'host_id',
        'type',
        label.as('label'),
        reserved.as('reserved'),
        (eb) => eb.fn.countAll<number | string>().as('units'),
        ...this.capacitySums(),
      ])
      .where('host_id', 'is not', null)
      .where('type', '<>', 'physical')
      .groupBy(['host_id', 'type', label, reserved])
      .execute();
    return rows.map((r) => ({
      hostId: r.host_id as string,
      virtualization: r.label ?? (r.type === 'vm' ? 'qemu' : r.type),
      reserved: Number(r.reserved) === 1,
      ...summed(r),
    }));
  }

  async serverUsage(): Promise<ServerUsage[]> {
    const d = this.dialect;
    const state = jsonText(d, 'status', ['state']);
    const power = jsonText(d, 'status', ['powerState']);
    const inUse = sql<number>`case when ${jsonText(d, 'status', ['applianceId'])} is null then 0 else 1 end`;
    const bootable = sql<number>`case when ${jsonText(d, 'spec', ['bmc'])} is null or ${jsonText(d, 'spec', ['mac'])} is null then 0 else 1 end`;
    const rows = await this.db
      .selectFrom('resources')
      .select(['host_id', state.as('state'), power.as('power'), inUse.as('in_use'), bootable.as('bootable'), (eb) => eb.fn.countAll<number | string>().as('units'), ...this.capacitySums()])
      .where('host_id', 'is not', null)
      .where('type', '=', 'physical')
      .groupBy(['host_id', state, power, inUse, bootable])
      .execute();
    return rows.map((r) => ({
      hostId: r.host_id as string,
      state: r.state ?? 'unknown',
      powerState: r.power ?? 'unknown',
      inUse: Number(r.in_use) === 1,
      bootable: Number(r.bootable) === 1,
      ...summed(r),
    }));
  }

  /** Capacity held by reservations whose window contains `now`, per host. */
  async reservedAt(now: Date): Promise<ReservedNow[]> {
    const at = now.toISOString();
    const rows = await this.db
      .selectFrom('reservations')
      .select(['host_id', (eb) => eb.fn.sum<number | string>('cpu').as('cpu'), (eb) => eb.fn.sum<number | string>('memory_mib').as('memory'), (eb) => eb.fn.sum<number | string>('disk_mib').as('disk')])
      .where('start_at', '<=', at)
      .where('end_at', '>', at)
      .groupBy('host_id')
      .execute();
    return rows.map((r) => ({ hostId: r.host_id, cpu: Number(r.cpu), memoryMiB: Number(r.memory), diskMiB: Number(r.disk) }));
  }

  private capacitySums() {
    const d = this.dialect;
    const sum = (field: keyof Capacity, alias: 'cpu' | 'memory' | 'disk') =>
      sql<number | string | null>`sum(${jsonInteger(d, 'spec', ['capacity', field])})`.as(alias);
    return [sum('cpu', 'cpu'), sum('memoryMiB', 'memory'), sum('diskMiB', 'disk')] as const;
  }
}

/** node-postgres returns sums of bigints as strings. */
function summed(r: { units: number | string; cpu: number | string | null; memory: number | string | null; disk: number | string | null }): Summed {
  return { units: Number(r.units), cpu: Number(r.cpu ?? 0), memoryMiB: Number(r.memory ?? 0), diskMiB: Number(r.disk ?? 0) };
}
