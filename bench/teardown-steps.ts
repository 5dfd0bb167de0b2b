/**
 * Best-effort teardown: each step is tried whatever failed before, and what went wrong is
 * collected (with the step's name) instead of thrown, so one failure never leaves the rest behind.
 */
export function teardownSteps(): { step: (what: string, f: () => Promise<unknown>) => Promise<void>; errors: string[] } {
  const errors: string[] = [];
  const step = async (what: string, f: () => Promise<unknown>): Promise<void> => {
    try {
      await f();
    } catch (e) {
      errors.push(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  return { step, errors };
}
