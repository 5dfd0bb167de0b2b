import { sealFor } from '../agent/transit-key.ts';
import { FleetyardError } from '../domain/errors.ts';
import type { SecretBox } from '../identity/secret-box.ts';
import type { Store } from '../store/store.ts';

/**
 * Turns a secret sealed at rest (the installation's SecretBox) into one sealed for the agent of
 * `hostId` (the transit key it enrolled with, see src/agent/transit-key.ts), so the command that
 * carries it shows nothing on the bus. The key comes from the host's enrolment, never from what
 * an agent reports, so a registration cannot redirect secrets. The plaintext exists only inside
 * this call.
 */
export async function sealForHost(store: Store, box: SecretBox, hostId: string, sealedAtRest: string): Promise<string> {
  const keys = await store.read.enrollment.hostKeys(hostId);
  if (!keys) throw new FleetyardError('FY_HOST_NOT_ENROLLED', `host ${hostId} is not enrolled, so no secret can be sealed for it`, { hostId });
  return sealFor(keys.transit_key, box.open(sealedAtRest));
}
