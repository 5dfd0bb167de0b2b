import { sealFor } from '../agent/transit-key.ts';
import { FleetyardError } from '../domain/errors.ts';
import type { SecretBox } from '../identity/secret-box.ts';
import type { Store } from '../store/store.ts';

/**
 * Turns a secret sealed at rest (the installation's SecretBox) into one sealed for the agent of
 * `hostId` (its transit key, see src/agent/transit-key.ts), so the command that carries it shows
 * nothing on the bus. The plaintext exists only inside this call.
 */
export async function sealForHost(store: Store, box: SecretBox, hostId: string, sealedAtRest: string): Promise<string> {
  const host = await store.read.resources.get(hostId);
  const key = host?.status.facts.transitKey;
  if (typeof key !== 'string') {
    throw new FleetyardError('FY_DRIVER_UNAVAILABLE', `host ${host?.name ?? hostId} has not reported a key to receive secrets with; upgrade its agent`, { hostId });
  }
  return sealFor(key, box.open(sealedAtRest));
}
