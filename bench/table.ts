import Table from 'cli-table3';
import type { LifecycleRow } from './lifecycle.ts';
import type { BenchResult } from './result.ts';
import type { Summary } from './stats.ts';
import { latencyVerdict, ratioVerdict, TARGETS } from './targets.ts';

const HEAD = ['figure (ms)', 'n', 'p50', 'p95', 'p99', 'max', 'target', 'result'];
const TOP_COMMANDS = 5;
const LATENCY_TARGET = `p50≤${TARGETS.requestToRunningP50Ms} p99≤${TARGETS.requestToRunningP99Ms}`;

/** The one table `npm run bench` prints: machine, latencies against targets, where time goes. */
export function renderTable(r: BenchResult): string {
  const t = new Table({ head: HEAD, style: { head: [], border: [], compact: true }, colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'left', 'left'] });
  const section = (text: string) => t.push([{ colSpan: HEAD.length, content: text }]);
  const row = (name: string, s: Summary, target = '', verdict = '') =>
    t.push([name, s.n, fmt(s.p50), fmt(s.p95), fmt(s.p99), fmt(s.max), target, verdict]);
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
    const ratioRow = (name: string, x: number) => t.push([name, '', fmt(x) + 'x', '', '', '', `≤${TARGETS.cloneRatioMax}x`, ratioVerdict(x)]);
    ratioRow('ratio 1GiB/10MiB, clone + mount', r.clone.ratio.cloneAndMountP50);
    ratioRow('ratio 1GiB/10MiB, request→running', r.clone.ratio.requestToRunningP50);
  }
  section('release');
  t.push(['host leaks after delete (findLeaks)', r.leaks.checked, String(r.leaks.count), '', '', '', '0', r.leaks.count === 0 ? 'PASS' : 'FAIL']);
  t.push(['residue after teardown', '', String(r.cleanup.residue.length), '', '', '', '0', r.cleanup.residue.length === 0 ? 'PASS' : 'FAIL']);
  return t.toString();
}

function lifecycleRows(
  l: LifecycleRow,
  section: (text: string) => void,
  row: (name: string, s: Summary, target?: string, verdict?: string) => void,
): void {
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

function fmt(x: number): string {
  if (!Number.isFinite(x)) return '–';
  return x < 10 ? x.toFixed(2) : x.toFixed(1);
}
