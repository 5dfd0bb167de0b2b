import { isAbsolute, join } from 'node:path';
import type { Clock } from '../domain/clock.ts';
import {
  CHECK_TIMEOUT_SECONDS,
  INITIAL_STANDING,
  checkTiming,
  nextStanding,
  parsePluginOutput,
  pluginArgv,
  stateOfExit,
  type CheckResult,
  type CheckStanding,
  type CheckState,
  type HealthCheck,
} from '../domain/health-check.ts';
import { execAllowFail } from '../host/exec.ts';

/** Debian's monitoring-plugins-basic puts check_tcp, check_http and check_ping here. */
export const NAGIOS_PLUGIN_DIR = '/usr/lib/nagios/plugins';
const MAX_OUTPUT = 4096;

export interface CheckRunnerOptions {
  pluginDir?: string;
  /** Checks that run at once on this host, at most; the others wait their turn. */
  concurrency?: number;
  clock: Clock;
  /** Called with each result that changed the check's standing, or carries perfdata. */
  report: (applianceId: string, result: CheckResult) => Promise<void>;
  log: (msg: string, err?: unknown) => void;
}

interface Scheduled {
  check: HealthCheck;
  key: string;
  standing: CheckStanding;
  timer: NodeJS.Timeout | undefined;
  running: boolean;
  stopped: boolean;
}

interface Target {
  address: string;
  checks: Map<string, Scheduled>;
}

/**
 * Runs the health checks of the appliances this agent runs, with the real plugins (or an admin's
 * command), each on its own schedule: `intervalSeconds` while OK or hard, `retryIntervalSeconds`
 * while soft, keeping Nagios's soft/hard state machine per check. Plugins run as child processes
 * (never a sync spawn), at most `concurrency` at once, each ended after its timeout (UNKNOWN).
 * `set` (from every ensure of a running appliance) replaces what changed and keeps the standing of
 * checks that did not; `stop` (a stop, a destroy) ends them.
 */
export class CheckRunner {
  private readonly targets = new Map<string, Target>();
  private readonly pluginDir: string;
  private readonly concurrency: number;
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly opts: CheckRunnerOptions) {
    this.pluginDir = opts.pluginDir ?? NAGIOS_PLUGIN_DIR;
    this.concurrency = opts.concurrency ?? 8;
  }

  set(applianceId: string, address: string, checks: readonly HealthCheck[]): void {
    let target = this.targets.get(applianceId);
    if (target && target.address !== address) {
      this.stop(applianceId);
      target = undefined;
    }
    if (!target) {
      target = { address, checks: new Map() };
      this.targets.set(applianceId, target);
    }
    const wanted = new Map(checks.map((c) => [c.name, c]));
    for (const [name, s] of target.checks) {
      if (wanted.get(name) && JSON.stringify(wanted.get(name)) === s.key) continue;
      this.cancel(s);
      target.checks.delete(name);
    }
    for (const c of checks) {
      if (target.checks.has(c.name)) continue;
      const s: Scheduled = { check: c, key: JSON.stringify(c), standing: INITIAL_STANDING, timer: undefined, running: false, stopped: false };
      target.checks.set(c.name, s);
      this.schedule(applianceId, target, s, 0);
    }
    if (target.checks.size === 0) this.targets.delete(applianceId);
  }

  stop(applianceId: string): void {
    const target = this.targets.get(applianceId);
    if (!target) return;
    for (const s of target.checks.values()) this.cancel(s);
    this.targets.delete(applianceId);
  }

  stopAll(): void {
    for (const id of [...this.targets.keys()]) this.stop(id);
  }

  /** The appliances whose checks run now (for tests and logs). */
  running(): string[] {
    return [...this.targets.keys()];
  }

  private cancel(s: Scheduled): void {
    s.stopped = true;
    clearTimeout(s.timer);
  }

  private schedule(applianceId: string, target: Target, s: Scheduled, delayMs: number): void {
    if (s.stopped) return;
    s.timer = setTimeout(() => {
      this.runOnce(applianceId, target, s).catch((e: unknown) => this.opts.log(`check ${s.check.name} of ${applianceId} failed to run`, e));
    }, delayMs);
    s.timer.unref();
  }

  private async runOnce(applianceId: string, target: Target, s: Scheduled): Promise<void> {
    if (s.stopped || s.running) return;
    s.running = true;
    const timing = checkTiming(s.check);
    let retry = false;
    try {
      const { state, output, perfdata } = await this.withSlot(() => this.execute(s.check, target.address));
      if (s.stopped) return;
      const prev = s.standing;
      const next = nextStanding(prev, state, timing.maxCheckAttempts);
      retry = next.retry;
      s.standing = { state: next.state, type: next.type, attempt: next.attempt };
      const changed = prev.state !== next.state || prev.type !== next.type || prev.attempt !== next.attempt;
      if (changed || perfdata.length > 0) {
        const result: CheckResult = { check: s.check.name, ...s.standing, maxCheckAttempts: timing.maxCheckAttempts, output, perfdata, checkedAt: this.opts.clock.now().toISOString() };
        await this.opts.report(applianceId, result).catch((e: unknown) => this.opts.log(`reporting check ${s.check.name} of ${applianceId} failed`, e));
      }
    } finally {
      s.running = false;
      this.schedule(applianceId, target, s, retry ? timing.retryIntervalMs : timing.intervalMs);
    }
  }

  private async withSlot<T>(work: () => Promise<T>): Promise<T> {
    while (this.active >= this.concurrency) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await work();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }

  /** Runs the plugin; its exit code is the state, its output the text and perfdata. */
  private async execute(check: HealthCheck, address: string): Promise<{ state: CheckState; output: string; perfdata: CheckResult['perfdata'] }> {
    const { plugin, args, builtin } = pluginArgv(check, address);
    const path = builtin || !isAbsolute(plugin) ? join(this.pluginDir, plugin) : plugin;
    try {
      const r = await execAllowFail(path, args, { timeoutMs: (CHECK_TIMEOUT_SECONDS + 2) * 1000 });
      const out = parsePluginOutput(r.stdout);
      const text = [out.summary || r.stderr.trim().split('\n')[0] || '(no output)', out.longOutput].filter(Boolean).join('\n');
      return { state: stateOfExit(r.exitCode), output: text.slice(0, MAX_OUTPUT), perfdata: out.perfdata.slice(0, 64) };
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      return { state: 'UNKNOWN', output: `UNKNOWN - ${check.kind} check could not run: ${why}`.slice(0, MAX_OUTPUT), perfdata: [] };
    }
  }
}
