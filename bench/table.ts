import Table from 'cli-table3';
import { formatBytes } from './bytes.ts';
import type { LifecycleRow } from './lifecycle.ts';
import type { PxeBootResult } from './pxe-boot.ts';
import type { FailoverResult } from './failover.ts';
import type { QemuConsoleResult } from './qemu-console.ts';
import type { BenchResult } from './result.ts';
import type { Summary } from './stats.ts';
import { latencyVerdict, ratioVerdict, TARGETS } from './targets.ts';
import type { VmCloneResult } from './vm-clone-time.ts';

type Row = (name: string, s: Summary, target?: string, verdict?: string) => void;
type Section = (text: string) => void;

const HEAD = ['figure (ms)', 'n', 'p50', 'p95', 'p99', 'max', 'target', 'result'];
const TOP_COMMANDS = 5;
const LATENCY_TARGET = `p50≤${TARGETS.requestToRunningP50Ms} p99≤${TARGETS.requestToRunningP99Ms}`;

/** The one table `npm run bench` prints: machine, latencies against targets, where time goes. */
export function renderTable(r: BenchResult): string {
  const t = new Table({ head: HEAD, style: { head: [], border: [], compact: true }, colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'left', 'left'] });
  const section = (text: string) => t.push([{ colSpan: HEAD.length, content: text }]);
  const row = (name: string, s: Summary, target = '', verdict = '') =>
    t.push([name, s.n, fmt(s.p50), fmt(s.p95), fmt(s.p99), fmt(s.max), target, verdict]);
  const ratioRow = (name: string, x: number) => t.push([name, '', fmt(x) + 'x', '', '', '', `≤${TARGETS.cloneRatioMax}x`, ratioVerdict(x)]);
  const m = r.machine;
  if (m) {
    section(
      `machine: ${m.cores} × ${m.model}, ${(m.memoryMiB / 1024).toFixed(1)} GiB, kernel ${m.kernel}, node ${m.node}; ` +
        `load average (1 min) ${m.loadAverage[0]} at start, ${r.loadAverageAtEnd[0] ?? '?'} at end`,
    );
    row('fsync 4 KiB in data dir', m.fsync);
  }
  for (const l of r.lifecycles) lifecycleRows(l, section, row);
  if (r.clone) {
    section('clone: base busybox image + filler, O(1) clone over overlayfs');
    for (const img of r.clone.images) {
      row(`ensureClone, ${img.label}`, img.ensureClone);
      row(`ensureClone + overlay mount, ${img.label}`, img.cloneAndMount);
      row(`request→running, ${img.label} image`, img.lifecycle.requestToRunning);
    }
    ratioRow('ratio 1GiB/10MiB, clone + mount', r.clone.ratio.cloneAndMountP50);
    ratioRow('ratio 1GiB/10MiB, request→running', r.clone.ratio.requestToRunningP50);
  }
  if (r.vmClone) vmCloneRows(r.vmClone, section, row, ratioRow);
  if (r.qemuConsole) qemuConsoleRows(r.qemuConsole, section, row);
  if (r.pxe) pxeRows(r.pxe, section, row);
  if (r.failover) failoverRows(r.failover, section, row);
  if (r.checks) {
    const c = r.checks;
    section(
      `health checks: ${c.checksPerMinuteAsked} a minute asked, ${c.checksPerMinuteDone} a minute done over ${(c.runMs / 1000).toFixed(0)} s (check_tcp, 8 at once); ` +
        `CPU per check: node ${fmt(c.nodeCpuMsPerCheck)} ms, plugin ${fmt(c.pluginCpuMsPerCheck)} ms; event loop ${Math.round(c.eventLoopUtilization * 100)}% busy`,
    );
  }
  if (r.power) {
    const p = r.power;
    section(
      `power: a simulated week on ${p.hosts} simulated hosts (day-and-night load, ${p.appliancesPlaced} appliances placed, ${p.reservations} reserved hosts), ` +
        `${p.powerOffs} power-offs, ${p.powerOns} power-ons; plan of the whole fleet p50 ${fmt(p.planMs.p50)} ms, p99 ${fmt(p.planMs.p99)} ms; ${(p.runMs / 1000).toFixed(1)} s`,
    );
    t.push([`host-hours off (always-on: ${p.hostHoursAlwaysOn})`, '', Math.round(p.hostHoursOff), '', '', '', '', `${Math.round(p.savedFraction * 100)}% saved`]);
    t.push(['reservations started late', p.reservations, String(p.reservationsLate), '', '', '', String(TARGETS.powerLateReservations), p.reservationsLate <= TARGETS.powerLateReservations ? 'PASS' : 'MISS']);
    t.push(['minutes an appliance waited for a host to wake', p.appliancesPlaced, p.waitMinutes.p50, '', p.waitMinutes.p99, p.waitMinutes.max, '', '']);
  }
  section('release');
  t.push(['host leaks after delete (findLeaks, findVmLeaks)', r.leaks.checked, String(r.leaks.count), '', '', '', '0', r.leaks.count === 0 ? 'PASS' : 'FAIL']);
  t.push(['residue after teardown', '', String(r.cleanup.residue.length), '', '', '', '0', r.cleanup.residue.length === 0 ? 'PASS' : 'FAIL']);
  return t.toString();
}

function lifecycleRows(l: LifecycleRow, section: Section, row: Row): void {
  const done = l.requestToRunning.n || 1;
  const c = l.cpu;
  section(
    `${l.label}: ${l.count} appliances, concurrency ${l.concurrency}, ${(l.wallMs / 1000).toFixed(1)} s` +
      `${l.errors.length ? `, ${l.errors.length} ERRORS` : ''}; CPU per lifecycle: node ${fmt(c.nodeCpuMs / done)} ms, ` +
      `host commands ${fmt(c.childrenCpuMs / done)} ms; event loop ${Math.round(c.eventLoopUtilization * 100)}% busy`,
  );
  row('request→running', l.requestToRunning, LATENCY_TARGET, latencyVerdict(l.requestToRunning));
  for (const [phase, s] of Object.entries(l.breakdown.running)) row(`  ${phase}`, s);
  row('stop→stopped', l.stopToStopped);
  row('delete→deleted (all released)', l.deleteToDeleted);
  const cmds = Object.values(l.hostCommands);
  const spawns = cmds.reduce((a, x) => a + x.n, 0);
  const blocked = cmds.reduce((a, x) => a + x.blockingMs, 0);
  section(
    `host commands: ${fmt(spawns / done)} per lifecycle; spawn() held the event loop ${fmt(blocked / (spawns || 1))} ms each, ` +
      `${fmt(blocked / done)} ms per lifecycle; slowest kinds (ms per command):`,
  );
  for (const [cmd, s] of Object.entries(l.hostCommands).slice(0, TOP_COMMANDS)) row(`  ${cmd}`, s);
}

function vmCloneRows(v: VmCloneResult, section: Section, row: Row, ratioRow: (name: string, x: number) => void): void {
  section('VM disk clone: DiskImages.ensureDiskClone, a qcow2 over the image\'s base disk (qemu-img create -b)');
  for (const img of v.images) {
    section(
      `  ${img.label} image: ${formatBytes(img.fillerBytesWritten)} of real data written in ${sec(img.fillMs)}; base disk built in ` +
        `${sec(img.baseDiskMs)} (mkfs.ext4 -d, qemu-img convert, sync): ${formatBytes(img.baseDisk.allocatedBytes)} allocated, ` +
        `${formatBytes(img.baseDisk.virtualBytes)} virtual; one clone allocates ${formatBytes(img.cloneAllocatedBytes)}`,
    );
  }
  if (v.reduced) section(`  NOTE: ${v.reduced}`);
  for (const img of v.images) row(`ensureDiskClone, ${img.label} base disk`, img.ensureDiskClone);
  const [small, big] = v.images;
  ratioRow(`ratio ${big?.label ?? '?'}/${small?.label ?? '?'}, disk clone`, v.ratioP50);
}

function qemuConsoleRows(q: QemuConsoleResult, section: Section, row: Row): void {
  section(
    `VM through the control plane: ${q.samples.length} VMs one after the other (+${q.warmup.length} warm-up), ` +
      `${q.memoryMiB} MiB, accel ${q.accel ?? '?'} (asked: ${q.accelAsked}); console file polled every 10 ms`,
  );
  row('request→"appliance up" on console', q.requestToUp);
  row('request→running', q.requestToRunning);
  for (const [phase, s] of Object.entries(q.phases)) row(`  ${phase}`, s);
  row('delete→deleted (VM, tap, disk clone)', q.deleteToDeleted);
}

function pxeRows(p: PxeBootResult, section: Section, row: Row): void {
  section(`PXE boot of a simulated server (ipmi_sim BMC, diskless QEMU with iPXE, dnsmasq, file server): ${p.samples.length} boots`);
  row('ensure(running)', p.ensure);
  row('power-on→running', p.powerOnToRunning);
  for (const [phase, s] of Object.entries(p.phases)) row(`  ${phase}`, s);
}

function failoverRows(variants: FailoverResult[], section: Section, row: Row): void {
  for (const f of variants) {
    for (const s of f.bySize) {
      section(`failover ${f.driver} ${s.appliances}: ${s.appliances} HA appliance(s) from a dead host (${f.hosts}, lease ${f.leaseMs / 1000} s, ${f.fencing}); ms from the host's death`);
      row('  detect (lease out + second signal)', s.detect);
      row('  fenced (BMC off, confirmed)', s.fence);
      if (s.ended.n > 0) row("  dead host's containers ended (power cut)", s.ended);
      row('  placed elsewhere', s.place);
      row('  running elsewhere, per appliance', s.perAppliance);
      row('all running elsewhere', s.allRunning, `p99≤${TARGETS.failoverP99Ms / 1000} s`, failoverVerdict(s.allRunning));
    }
  }
}

function failoverVerdict(s: Summary): string {
  if (s.n === 0) return 'n/a';
  return s.p99 <= TARGETS.failoverP99Ms ? 'PASS' : 'MISS';
}

/** One line per variant and size, after the table: `failover container 50: all running elsewhere p50 … p99 …`. */
export function failoverLines(variants: FailoverResult[]): string[] {
  const ms = (x: number) => (Number.isFinite(x) ? `${Math.round(x)} ms` : '–');
  return variants.flatMap((f) =>
    f.bySize.map(
      (s) =>
        `failover ${f.driver} ${s.appliances}: all running elsewhere p50 ${ms(s.allRunning.p50)} p99 ${ms(s.allRunning.p99)} (${s.allRunning.n} runs, ${f.hosts}); ` +
        `p50 detect ${ms(s.detect.p50)}, fenced ${ms(s.fence.p50)}, placed ${ms(s.place.p50)}, running ${ms(s.start.p50)}; ${failoverVerdict(s.allRunning)}`,
    ),
  );
}

function sec(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return '–';
  return x < 10 ? x.toFixed(2) : x.toFixed(1);
}
