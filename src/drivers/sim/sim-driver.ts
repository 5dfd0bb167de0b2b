import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Driver, Observation, RuntimeSpec } from '../driver.ts';

/**
 * The simulated driver (`virtualization: 'sim'`): a fake at the driver boundary for scale tests
 * and demos. It changes nothing on the host: no process, no namespace, no mount. It keeps each
 * appliance's state in memory and, when given a state dir, in a JSON file there so a restarted
 * agent remembers what it "runs".
 *
 * It honours the same contract as the real drivers (idempotent ensure and destroy, absent →
 * running ⇄ stopped → absent) so code tested against it behaves the same on a real host. It has
 * no processes, so `pid` is always null; a start stamps `startedAt` and a per-driver sequence
 * number in the handle, which stay the same until the next real transition.
 */

interface SimRecord {
  state: 'running' | 'stopped';
  startedAt: string | null;
  sequence: number | null;
}

export class SimDriver implements Driver {
  readonly virtualization = 'sim' as const;
  private readonly records = new Map<string, SimRecord>();
  private readonly stateFile: string | null;
  private readonly now: () => Date;
  private sequence = 0;

  constructor(opts: { stateDir?: string; now?: () => Date } = {}) {
    this.now = opts.now ?? (() => new Date());
    this.stateFile = opts.stateDir === undefined ? null : join(opts.stateDir, 'sim-driver.json');
    if (this.stateFile !== null) this.load(opts.stateDir as string, this.stateFile);
  }

  async probe(): Promise<{ available: boolean; reason: string | null }> {
    return { available: true, reason: null };
  }

  async ensure(spec: RuntimeSpec, desired: 'running' | 'stopped'): Promise<Observation> {
    const id = spec.applianceId;
    const current = this.records.get(id);
    if (desired === 'running' && current?.state !== 'running') {
      this.records.set(id, { state: 'running', startedAt: this.now().toISOString(), sequence: ++this.sequence });
      this.save();
    } else if (desired === 'stopped' && current?.state !== 'stopped') {
      this.records.set(id, { state: 'stopped', startedAt: null, sequence: null });
      this.save();
    }
    return this.observe(id);
  }

  async inspect(applianceId: string): Promise<Observation> {
    return this.observe(applianceId);
  }

  async destroy(applianceId: string): Promise<void> {
    if (this.records.delete(applianceId)) this.save();
  }

  async list(): Promise<string[]> {
    return [...this.records.keys()].sort();
  }

  private observe(id: string): Observation {
    const r = this.records.get(id);
    if (r === undefined) return { state: 'absent', pid: null, message: null, startedAt: null, handle: {} };
    return {
      state: r.state,
      pid: null,
      message: 'simulated',
      startedAt: r.startedAt,
      handle: r.sequence === null ? { simulated: true } : { simulated: true, sequence: r.sequence },
    };
  }

  private load(dir: string, file: string): void {
    mkdirSync(dir, { recursive: true });
    let saved: { sequence: number; records: Record<string, SimRecord> };
    try {
      saved = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      return;
    }
    this.sequence = saved.sequence;
    for (const [id, r] of Object.entries(saved.records)) this.records.set(id, r);
  }

  /** Written synchronously and renamed into place, so the file is never half written. */
  private save(): void {
    if (this.stateFile === null) return;
    const tmp = `${this.stateFile}.tmp`;
    writeFileSync(tmp, JSON.stringify({ sequence: this.sequence, records: Object.fromEntries(this.records) }));
    renameSync(tmp, this.stateFile);
  }
}
