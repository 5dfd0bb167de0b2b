/**
 * The agent's operations on one appliance, one at a time, and each at most once at a time. The
 * control plane may send a command again because its answer did not come in time (the work took
 * longer than the deadline, or the reply was lost); if that same command is still running, the
 * repeat waits for it and gets its answer instead of starting the work a second time. A different
 * command for the appliance (a stop while it starts) waits its turn behind the running one. One
 * that waited past its own deadline is not started at all: whoever sent it has given up.
 */
export class OperationQueue {
  private readonly current = new Map<string, { key: string; done: Promise<unknown> }>();

  /** Runs `fn` for `applianceId` under `key` (e.g. the verb and the desired state). */
  run<T>(applianceId: string, key: string, deadlineAt: number | null, fn: () => Promise<T>, now: () => number = Date.now): Promise<T> {
    const running = this.current.get(applianceId);
    if (running?.key === key) return running.done as Promise<T>;
    const before = running?.done.catch(() => undefined);
    // Only a command that had to wait is checked against its deadline: one that starts at once
    // is as fresh as its signature says.
    const done = before
      ? before.then(() => {
          if (deadlineAt !== null && now() > deadlineAt) throw new Error(`the ${key} command for ${applianceId} waited past its deadline; not started`);
          return fn();
        })
      : fn();
    const entry = { key, done };
    this.current.set(applianceId, entry);
    const clear = (): void => {
      if (this.current.get(applianceId) === entry) this.current.delete(applianceId);
    };
    done.then(clear, clear);
    return done;
  }

  /** How many appliances have an operation running or waiting (for tests and metrics). */
  get size(): number {
    return this.current.size;
  }
}
