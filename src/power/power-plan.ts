import { hostIsLive, isHost } from '../domain/host.ts';
import type { Virtualization } from '../domain/meta.ts';
import type { Reservation } from '../domain/reservation.ts';
import type { Resource } from '../domain/resource.ts';

/**
 * What the power manager would do now, as a pure function of the fleet: one verdict per host,
 * each with its reason. The manager (power-manager.ts) carries out the `off` and `on` verdicts;
 * the API shows them all as the power plan.
 *
 * A host is put to sleep only when all of these hold: it is awake and live, runs nothing (no
 * appliance, no physical server of its in use), has no reservation starting within the lead time
 * plus its boot time, has been idle for `idleMs` (hysteresis: a host just woken is idle from its
 * wake), can be powered on again (it has a BMC), and enough idle hosts stay awake for every
 * virtualization it offers (`spareHosts`). A host asleep is woken when a reservation on it starts
 * within the lead time plus its boot time, when appliances wait for capacity no awake host has
 * (as many hosts as their memory needs, those already booting counted), or when fewer idle hosts
 * than `spareHosts` are awake for one of its virtualizations. A host whose power-off has not
 * been confirmed is still on: when it is needed again it is simply taken back (no power-on, so
 * a flaky BMC cannot make it cycle).
 */
export interface PowerSettings {
  /** How long a host must have been idle before it is powered off. */
  idleMs: number;
  /** Idle hosts kept awake per virtualization, for work that arrives unannounced. */
  spareHosts: number;
  /** How long before a reservation starts its host must be awake (plus the host's boot time). */
  leadMs: number;
  /** A host's boot time until one is measured. */
  defaultBootMs: number;
  /** A host woken that has not heartbeated after this long is sent its power-on again. */
  bootTimeoutMs: number;
}

export interface PowerInput {
  now: Date;
  hosts: Resource[];
  /** Per host: how many appliances run on it (or are placed there), physical servers in use included. */
  inUse: Map<string, number>;
  reservations: Reservation[];
  /** Appliances that wait for capacity nobody awake has: their virtualization and memory. */
  waiting: Array<{ virtualization: Virtualization; memoryMiB: number }>;
  /** Per host: since when (ms) it has been seen idle. */
  idleSince: Map<string, number>;
  /** Per host: whether it can be powered (it has a BMC). */
  powerable: (h: Resource) => boolean;
  settings: PowerSettings;
}

export type PowerAction = 'off' | 'on' | 'take-back' | 'none';

export interface PowerVerdict {
  hostId: string;
  host: string;
  state: 'awake' | 'powering-off' | 'off' | 'powering-on' | 'not-live';
  action: PowerAction;
  reason: string;
}

export function planPower(input: PowerInput): PowerVerdict[] {
  const { now, settings } = input;
  const t = now.getTime();
  const hosts = input.hosts.filter(isHost);
  const stateOf = (h: Resource): PowerVerdict['state'] => {
    const s = h.status.power?.state ?? 'awake';
    if (s === 'awake' && !hostIsLive(h, now)) return 'not-live';
    return s;
  };
  const bootMs = (h: Resource) => h.status.power?.bootMs ?? settings.defaultBootMs;
  // Per host, its first reservation not yet over: one pass over the reservations for the fleet.
  const firstAhead = new Map<string, Reservation>();
  for (const r of input.reservations) {
    if (Date.parse(r.endAt) <= t) continue;
    const seen = firstAhead.get(r.hostId);
    if (!seen || Date.parse(r.startAt) < Date.parse(seen.startAt)) firstAhead.set(r.hostId, r);
  }
  const nextReservation = (h: Resource): Reservation | undefined => firstAhead.get(h.id);
  /** A reservation on the host that is under way or starts within its lead time and boot time. */
  const reservedSoon = (h: Resource): Reservation | undefined => {
    const r = nextReservation(h);
    return r && Date.parse(r.startAt) - t <= settings.leadMs + bootMs(h) ? r : undefined;
  };
  const idle = (h: Resource) => (input.inUse.get(h.id) ?? 0) === 0;

  const verdicts = new Map<string, PowerVerdict>();
  const say = (h: Resource, action: PowerAction, reason: string) =>
    verdicts.set(h.id, { hostId: h.id, host: h.name, state: stateOf(h), action, reason });

  // Idle hosts awake (or soon awake) per virtualization: the spares.
  const spares = new Map<Virtualization, number>();
  const countSpare = (h: Resource, by: number) => {
    for (const v of h.spec.virtualizations) spares.set(v, (spares.get(v) ?? 0) + by);
  };
  const sleepCandidates: Resource[] = [];
  const bootingSpares: Resource[] = [];
  const asleep: Resource[] = [];
  /** Memory of the hosts booting (or woken in this plan), per virtualization they offer. */
  const booting = new Map<Virtualization, number>();
  const addBooting = (h: Resource) => {
    for (const v of h.spec.virtualizations) booting.set(v, (booting.get(v) ?? 0) + h.spec.capacity.memoryMiB);
  };

  for (const h of hosts) {
    const state = stateOf(h);
    const used = input.inUse.get(h.id) ?? 0;
    const soon = reservedSoon(h);
    if (state === 'not-live') {
      say(h, 'none', 'it is not live: its lease is for the failure detector, not for the power manager');
      continue;
    }
    if (state === 'powering-on') {
      addBooting(h);
      // A booting host is a spare to come: counted when deciding what may sleep, not what must wake.
      if (idle(h) && !soon) bootingSpares.push(h);
      const waited = t - Date.parse(h.status.power?.since ?? now.toISOString());
      if (waited >= settings.bootTimeoutMs) say(h, 'on', `woken ${Math.round(waited / 1000)} s ago and still no heartbeat: its power-on is sent again`);
      else say(h, 'none', `booting since ${Math.round(waited / 1000)} s (${h.status.power?.reason ?? 'woken'})`);
      continue;
    }
    if (state === 'off' || state === 'powering-off') {
      asleep.push(h);
      continue;
    }
    // Awake and live.
    if (used > 0) {
      say(h, 'none', `it runs ${used} appliance${used === 1 ? '' : 's'}`);
      continue;
    }
    if (soon) {
      // Held for its reservation: no spare for work that arrives unannounced.
      say(h, 'none', `a reservation (request ${soon.requestId}) ${Date.parse(soon.startAt) <= t ? 'is under way' : `starts at ${soon.startAt}`}`);
      continue;
    }
    countSpare(h, 1);
    if (!input.powerable(h)) {
      say(h, 'none', 'it has no BMC to power it on again with');
      continue;
    }
    const idleFor = t - (input.idleSince.get(h.id) ?? t);
    if (idleFor < settings.idleMs) {
      say(h, 'none', `idle for ${Math.round(idleFor / 1000)} s of the ${Math.round(settings.idleMs / 1000)} s before it may sleep`);
      continue;
    }
    sleepCandidates.push(h);
  }

  // Wake: reservations first, then appliances waiting for capacity, then the spare count.
  const wake = (h: Resource, reason: string) => {
    const state = stateOf(h);
    say(h, state === 'powering-off' ? 'take-back' : 'on', state === 'powering-off' ? `${reason}; its power-off was never confirmed, so it is taken back as it is` : reason);
    if (idle(h) && !reservedSoon(h)) countSpare(h, 1);
    addBooting(h);
  };
  const byBoot = [...asleep].sort((a, b) => bootMs(a) - bootMs(b) || a.name.localeCompare(b.name));
  for (const h of byBoot) {
    const soon = reservedSoon(h);
    if (soon) wake(h, `a reservation (request ${soon.requestId}) starts at ${soon.startAt}, within its lead time and boot time (${Math.round((settings.leadMs + bootMs(h)) / 1000)} s)`);
  }
  // Enough hosts for what waits: their memory, booting ones counted, shortest boot first.
  const need = new Map<Virtualization, { n: number; memoryMiB: number }>();
  for (const w of input.waiting) {
    const x = need.get(w.virtualization) ?? { n: 0, memoryMiB: 0 };
    need.set(w.virtualization, { n: x.n + 1, memoryMiB: x.memoryMiB + w.memoryMiB });
  }
  for (const [v, asked] of need) {
    for (const h of byBoot) {
      if ((booting.get(v) ?? 0) >= asked.memoryMiB) break;
      if (verdicts.has(h.id) || !h.spec.virtualizations.includes(v)) continue;
      wake(h, `${asked.n} appliance${asked.n === 1 ? '' : 's'} wait for ${v} capacity that no awake host has`);
    }
  }
  for (const h of byBoot) {
    if (verdicts.has(h.id)) continue;
    const short = h.spec.virtualizations.find((v) => (spares.get(v) ?? 0) < settings.spareHosts);
    if (short) wake(h, `fewer than ${settings.spareHosts} idle ${short} host${settings.spareHosts === 1 ? '' : 's'} would be awake`);
  }

  // Sleep: the longest idle first, while the spares allow (those booting now counted).
  for (const h of bootingSpares) countSpare(h, 1);
  sleepCandidates.sort((a, b) => (input.idleSince.get(a.id) ?? t) - (input.idleSince.get(b.id) ?? t) || a.name.localeCompare(b.name));
  const waitedFor = new Set(input.waiting.map((w) => w.virtualization));
  for (const h of sleepCandidates) {
    const wanted = h.spec.virtualizations.find((v) => waitedFor.has(v));
    if (wanted) {
      say(h, 'none', `appliances wait for ${wanted} capacity: no ${wanted} host sleeps meanwhile`);
      continue;
    }
    const short = h.spec.virtualizations.find((v) => (spares.get(v) ?? 0) - 1 < settings.spareHosts);
    if (short) {
      say(h, 'none', `kept awake as a spare: ${settings.spareHosts} idle ${short} host${settings.spareHosts === 1 ? '' : 's'} stay on`);
      continue;
    }
    countSpare(h, -1);
    say(h, 'off', `idle for ${Math.round((t - (input.idleSince.get(h.id) ?? t)) / 1000)} s, no reservation soon, and enough spares stay awake`);
  }

  for (const h of asleep) {
    if (verdicts.has(h.id)) continue;
    const state = stateOf(h);
    say(h, state === 'powering-off' ? 'off' : 'none', state === 'powering-off' ? `its power-off is not confirmed yet: ${h.status.power?.lastError ?? 'tried again'}` : `asleep: ${h.status.power?.reason ?? 'idle'}`);
  }
  return hosts.map((h) => verdicts.get(h.id)).filter((v): v is PowerVerdict => v !== undefined);
}
