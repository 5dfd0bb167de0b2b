import { waitForExit } from '../../host/processes.ts';
import { killHard } from './qemu-process.ts';
import { QmpClient } from './qmp-client.ts';

/** Talking to a running QEMU over its command socket, and ending it. */

/** The guest's own shutdown (its init gets 10 s, then is killed) must fit in this. */
const GUEST_SHUTDOWN_MS = 15_000;

/** One short QMP session: a QMP socket serves one client at a time, so none is kept open. */
export async function qmpSession<T>(socket: string, work: (c: QmpClient) => Promise<T>, timeoutMs: number): Promise<T> {
  const client = await QmpClient.connect(socket, timeoutMs);
  try {
    return await work(client);
  } finally {
    client.close();
  }
}

/**
 * Ends a QEMU, asking the guest first (the ACPI power button; skipped when not `graceful`, e.g.
 * for a guest that never came up and would not answer), then QEMU (`quit`), then the kernel
 * (SIGKILL). Resolves with which one it took, once the process is gone.
 */
export async function stopQemu(qmpSocket: string, pid: number, graceful: boolean): Promise<string> {
  const poweredOff =
    graceful &&
    (await qmpSession(
      qmpSocket,
      async (c) => {
        await c.execute('system_powerdown');
        return waitForExit(pid, GUEST_SHUTDOWN_MS);
      },
      2_000,
    ).catch(() => false));
  if (poweredOff) return 'powered off by the guest';
  const quit = await qmpSession(qmpSocket, (c) => c.execute('quit'), 2_000).then(
    () => waitForExit(pid, 3_000),
    () => false,
  );
  if (quit) return 'QEMU quit';
  await killHard(pid);
  return 'killed';
}
