import type { ChunkStart, FileChunk } from '../src/host/files.ts';
import { hasConsole, type ConsoleCapability, type Driver, type Observation, type RuntimeSpec } from '../src/drivers/driver.ts';
import { nowMs } from './clock.ts';

/** Start and end (epoch ms) of one driver call. */
export interface Span {
  startMs: number;
  endMs: number;
}

/**
 * Wraps the real container driver and records when each `ensure` and `destroy` began and ended,
 * per appliance. It changes nothing else: the control plane, its agent and the driver run as in
 * production. The spans let a request→running latency be split into "before the driver", "in the
 * driver" and "after the driver" without touching src/.
 *
 * Only the first span of each kind per appliance is kept: the benchmark starts and stops each
 * appliance once, and a retry after a failure would only blur the split.
 */
export class TimedDriver implements Driver, ConsoleCapability {
  readonly virtualization: Driver['virtualization'];
  readonly starts = new Map<string, Span>();
  readonly stops = new Map<string, Span>();
  readonly destroys = new Map<string, Span>();

  constructor(private readonly inner: Driver) {
    this.virtualization = inner.virtualization;
  }

  probe(): ReturnType<Driver['probe']> {
    return this.inner.probe();
  }

  async ensure(spec: RuntimeSpec, desired: 'running' | 'stopped'): Promise<Observation> {
    const startMs = nowMs();
    const obs = await this.inner.ensure(spec, desired);
    const spans = desired === 'running' ? this.starts : this.stops;
    if (!spans.has(spec.applianceId)) spans.set(spec.applianceId, { startMs, endMs: nowMs() });
    return obs;
  }

  inspect(applianceId: string): Promise<Observation> {
    return this.inner.inspect(applianceId);
  }

  async destroy(applianceId: string): Promise<void> {
    const startMs = nowMs();
    await this.inner.destroy(applianceId);
    if (!this.destroys.has(applianceId)) this.destroys.set(applianceId, { startMs, endMs: nowMs() });
  }

  list(): Promise<string[]> {
    return this.inner.list();
  }

  /** Forwarded so GET …/logs works: the benchmark reads it to know the init is ready. */
  async readConsole(applianceId: string, start: ChunkStart, maxBytes: number): Promise<FileChunk> {
    return hasConsole(this.inner) ? this.inner.readConsole(applianceId, start, maxBytes) : { data: Buffer.alloc(0), offset: 0, size: 0 };
  }
}
