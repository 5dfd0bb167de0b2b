/**
 * The last line of defence of a long-running Fleetyard process (`fleetyard server`, `fleetyard
 * agent`). Every failure is meant to be handled where it happens; a promise rejection that still
 * escapes is a bug, but not one a client may turn into an outage, so it is recorded with its stack
 * and the process keeps serving (Node's default would end it). An uncaught exception leaves the
 * process in an unknown state, so that one is recorded and the process exits: a restart is the
 * recovery path every part of Fleetyard is built for.
 */
export function installProcessGuard(name: string, write: (line: string) => void = (l) => process.stderr.write(l)): void {
  process.on('unhandledRejection', (reason) => {
    write(`${name}: unhandled rejection (recorded; still running): ${describe(reason)}\n`);
  });
  process.on('uncaughtException', (err, origin) => {
    write(`${name}: uncaught exception (${origin}); exiting: ${describe(err)}\n`);
    process.exit(70);
  });
}

function describe(reason: unknown): string {
  if (reason instanceof Error) return reason.stack ?? `${reason.name}: ${reason.message}`;
  try {
    return JSON.stringify(reason);
  } catch {
    return String(reason);
  }
}
