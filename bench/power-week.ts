import type { Reservation } from '../src/domain/reservation.ts';
import type { Resource } from '../src/domain/resource.ts';
import { planPower, type PowerSettings } from '../src/power/power-plan.ts';

/**
 * Green IT over a simulated week: 1,000 simulated hosts (named as such), a day-and-night load of
 * appliances that come and go, and a reservation of whole hosts every two hours, three hours
 * ahead. Every simulated minute the power manager's own plan (src/power/power-plan.ts) decides
 * and the simulation carries its verdicts out as a BMC would: a power-off takes a minute, a boot
 * `BOOT_MIN` minutes, after which the host heartbeats and is awake. Appliances are placed by
 * pack on awake hosts; one that finds no room waits for a host to wake.
 *
 * What it measures: host-hours off against always-on, reservations whose host was not awake at
 * their start (must be 0), and how long appliances waited for capacity.
 */
export const POWER_HOSTS = 1_000;
const DAYS = 7;
const SLOTS_PER_HOST = 32;
const BOOT_MIN = 3;
const MIN = 60_000;
const SETTINGS: PowerSettings = { idleMs: 30 * MIN, spareHosts: 10, leadMs: 10 * MIN, defaultBootMs: BOOT_MIN * MIN, bootTimeoutMs: 30 * MIN };

export interface PowerWeekResult {
  hosts: number;
  days: number;
  /** Host-hours powered off by the plan, and what always-on would have been. */
  hostHoursOff: number;
  hostHoursAlwaysOn: number;
  savedFraction: number;
  reservations: number;
  reservationsLate: number;
  appliancesPlaced: number;
  /** Minutes an appliance waited for a host to wake: p50, p99, max (0 when it found room at once). */
  waitMinutes: { p50: number; p99: number; max: number };
  powerOffs: number;
  powerOns: number;
  /** Wall time of one plan over the whole fleet, p50 and p99. */
  planMs: { p50: number; p99: number };
  runMs: number;
}

interface SimHost {
  resource: Resource;
  used: number;
  /** Minute at which a pending transition completes. */
  doneAt: number | null;
}

export function simulatePowerWeek(signal?: AbortSignal): PowerWeekResult {
  const start = Date.UTC(2026, 5, 1);
  const t0 = performance.now();
  const hosts: SimHost[] = Array.from({ length: POWER_HOSTS }, (_, i) => ({
    resource: simHost(i, start),
    used: 0,
    doneAt: null,
  }));
  const reservations: Reservation[] = [];
  const idleSince = new Map<string, number>();
  let offMs = 0;
  let powerOffs = 0;
  let powerOns = 0;
  let late = 0;
  let placed = 0;
  const waits: number[] = [];
  const waiting: number[] = []; // arrival minute of each appliance still waiting
  const planTimes: number[] = [];
  let appliances = 0;
  const minutes = DAYS * 24 * 60;
  for (let m = 0; m < minutes; m++) {
    if (signal?.aborted) break;
    const now = new Date(start + m * MIN);
    const t = now.getTime();
    // Transitions a BMC or a boot completes.
    for (const h of hosts) {
      const p = h.resource.status.power;
      if (!p || h.doneAt === null || m < h.doneAt) continue;
      h.doneAt = null;
      if (p.state === 'powering-off') h.resource.status.power = { ...p, state: 'off', since: now.toISOString() };
      else if (p.state === 'powering-on') {
        h.resource.status.power = { ...p, state: 'awake', since: now.toISOString(), bootMs: BOOT_MIN * MIN };
        h.resource.status.lastHeartbeatAt = now.toISOString();
      }
    }
    for (const h of hosts) if (h.resource.status.power?.state !== 'off' && h.resource.status.power?.state !== 'powering-off') h.resource.status.lastHeartbeatAt = now.toISOString();

    // Reservations: whole hosts, every two hours, three hours ahead, for two hours.
    if (m % 120 === 0) {
      const from = t + 3 * 60 * MIN;
      const to = from + 2 * 60 * MIN;
      const free = hosts
        .filter((h) => h.used === 0 && !reservations.some((r) => r.hostId === h.resource.id && Date.parse(r.startAt) < to && Date.parse(r.endAt) > from))
        .sort((a, b) => Number(awake(a)) - Number(awake(b)))
        .slice(0, 20);
      for (const [unit, h] of free.entries()) {
        reservations.push({ id: `r-${m}-${unit}`, requestId: `req-${m}`, unit, hostId: h.resource.id, cpu: 1, memoryMiB: 1024, diskMiB: 0, startAt: new Date(from).toISOString(), endAt: new Date(to).toISOString() });
      }
    }
    for (const r of reservations) {
      if (Date.parse(r.startAt) !== t) continue;
      const h = hosts.find((x) => x.resource.id === r.hostId);
      if (!h || !awake(h)) late++;
    }
    for (let i = reservations.length - 1; i >= 0; i--) if (Date.parse((reservations[i] as Reservation).endAt) <= t) reservations.splice(i, 1);

    // The load: appliances wanted now, by the hour of day and the day of the week.
    const hour = (m / 60) % 24;
    const weekend = Math.floor(m / (24 * 60)) % 7 >= 5;
    const load = 0.1 + (weekend ? 0.15 : 0.55) * Math.max(0, Math.sin(((hour - 6) / 14) * Math.PI));
    const wanted = Math.round(load * POWER_HOSTS * SLOTS_PER_HOST);
    while (appliances + waiting.length < wanted) waiting.push(m);
    while (appliances > wanted) {
      const h = hosts.filter((x) => x.used > 0).sort((a, b) => a.used - b.used)[0];
      if (!h) break;
      h.used--;
      appliances--;
    }
    // Place what waits, by pack on awake hosts without a reservation under way.
    const reservedNow = new Set(reservations.filter((r) => Date.parse(r.startAt) <= t + SETTINGS.leadMs + BOOT_MIN * MIN).map((r) => r.hostId));
    const candidates = hosts.filter((h) => awake(h) && !reservedNow.has(h.resource.id) && h.used < SLOTS_PER_HOST).sort((a, b) => b.used - a.used);
    let c = 0;
    while (waiting.length > 0 && c < candidates.length) {
      const h = candidates[c] as SimHost;
      if (h.used >= SLOTS_PER_HOST) {
        c++;
        continue;
      }
      h.used++;
      appliances++;
      placed++;
      waits.push(m - (waiting.shift() as number));
    }

    // The plan, and its verdicts carried out.
    const inUse = new Map(hosts.filter((h) => h.used > 0).map((h) => [h.resource.id, h.used]));
    for (const h of hosts) {
      if (awake(h) && h.used === 0) {
        const since = Date.parse(h.resource.status.power?.since ?? now.toISOString());
        idleSince.set(h.resource.id, Math.max(idleSince.get(h.resource.id) ?? t, h.resource.status.power ? since : 0));
      } else idleSince.delete(h.resource.id);
    }
    const p0 = performance.now();
    const verdicts = planPower({ now, hosts: hosts.map((h) => h.resource), inUse, reservations, waiting: waiting.map(() => ({ virtualization: 'sim' as const, memoryMiB: 4096 })), idleSince, powerable: () => true, settings: SETTINGS });
    planTimes.push(performance.now() - p0);
    const byId = new Map(hosts.map((h) => [h.resource.id, h]));
    for (const v of verdicts) {
      const h = byId.get(v.hostId) as SimHost;
      const p = h.resource.status.power ?? { state: 'awake' as const, since: now.toISOString(), reason: '', offMs: 0, bootMs: null, failures: 0, nextTryAt: null, lastError: null };
      if (v.action === 'off' && p.state === 'awake') {
        h.resource.status.power = { ...p, state: 'powering-off', since: now.toISOString(), reason: v.reason };
        h.doneAt = m + 1;
        powerOffs++;
      } else if (v.action === 'on' && p.state === 'off') {
        offMs += t - Date.parse(p.since);
        h.resource.status.power = { ...p, state: 'powering-on', since: now.toISOString(), reason: v.reason };
        h.doneAt = m + BOOT_MIN;
        powerOns++;
      } else if (v.action === 'take-back' && p.state === 'powering-off') {
        h.resource.status.power = { ...p, state: 'awake', since: now.toISOString(), reason: v.reason };
        h.doneAt = null;
      }
    }
  }
  const end = start + minutes * MIN;
  for (const h of hosts) if (h.resource.status.power?.state === 'off') offMs += end - Date.parse(h.resource.status.power.since);
  const sorted = [...waits].sort((a, b) => a - b);
  const planSorted = [...planTimes].sort((a, b) => a - b);
  const q = (xs: number[], f: number) => xs[Math.min(xs.length - 1, Math.floor(f * xs.length))] ?? 0;
  const hostHoursAlwaysOn = POWER_HOSTS * DAYS * 24;
  return {
    hosts: POWER_HOSTS,
    days: DAYS,
    hostHoursOff: offMs / 3_600_000,
    hostHoursAlwaysOn,
    savedFraction: offMs / 3_600_000 / hostHoursAlwaysOn,
    reservations: Math.floor(minutes / 120) * 20,
    reservationsLate: late,
    appliancesPlaced: placed,
    waitMinutes: { p50: q(sorted, 0.5), p99: q(sorted, 0.99), max: sorted.at(-1) ?? 0 },
    powerOffs,
    powerOns,
    planMs: { p50: q(planSorted, 0.5), p99: q(planSorted, 0.99) },
    runMs: performance.now() - t0,
  };
}

function awake(h: SimHost): boolean {
  const s = h.resource.status.power?.state;
  return s === undefined || s === 'awake';
}

function simHost(i: number, start: number): Resource {
  const at = new Date(start).toISOString();
  return {
    id: `sim-host-${String(i).padStart(4, '0')}`,
    name: `sim-host-${i}`,
    version: 1,
    generation: 1,
    createdAt: at,
    updatedAt: at,
    spec: { type: 'physical', hostId: null, capacity: { cpu: 64, memoryMiB: SLOTS_PER_HOST * 4096, diskMiB: 1_000_000 }, virtualizations: ['sim'], labels: {}, bmc: null },
    status: { state: 'active', powerState: 'on', applianceId: null, address: null, lastHeartbeatAt: at, facts: {} },
  } as Resource;
}
