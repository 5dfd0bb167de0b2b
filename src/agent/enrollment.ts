import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bus } from '../bus/bus.ts';
import type { HostFacts } from '../domain/host.ts';
import { isIdentityPublicKey, type IdentityKey } from './identity-key.ts';
import { subjects, type EnrollReply, type EnrollRequest } from './protocol.ts';
import { signMessage, verifyMessage, CONTROL_PLANE } from './signed-message.ts';
import { requestSigned } from './signed-rpc.ts';

/**
 * What an agent keeps of its enrolment: its host id and the control plane's public key, which
 * every command and reply must be signed with. DATA_DIR/enrollment.json, mode 0600. With it the
 * agent needs no join token again: it registers as its host, signing with its identity key.
 */
export interface EnrollmentState {
  hostId: string;
  controlPlaneKey: string;
  enrolledAt: string;
}

const FILE = 'enrollment.json';

export const enrollmentFile = {
  read(dataDir: string): EnrollmentState | undefined {
    const file = join(dataDir, FILE);
    if (!existsSync(file)) return undefined;
    const s = JSON.parse(readFileSync(file, 'utf8')) as Partial<EnrollmentState>;
    if (typeof s.hostId !== 'string' || !isIdentityPublicKey(s.controlPlaneKey)) throw new Error(`${file} is not an enrolment of this agent`);
    return s as EnrollmentState;
  },
  write(dataDir: string, s: EnrollmentState): void {
    const file = join(dataDir, FILE);
    writeFileSync(`${file}.tmp`, `${JSON.stringify(s, null, 2)}\n`, { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  },
};

export interface EnrollInput {
  bus: Bus;
  identity: IdentityKey;
  transitKey: string;
  token: string;
  machineId: string;
  facts: HostFacts;
  now: () => Date;
  timeoutMs?: number;
}

/**
 * Presents the join token with this agent's public keys, signed with the identity key. The reply
 * must be signed by the control-plane key it carries; that key is pinned from then on. (Who may
 * answer on the enrolment subject at all is the NATS server's to restrict: docs/nats-server.conf.)
 */
export async function enroll(input: EnrollInput): Promise<EnrollmentState> {
  const body: EnrollRequest = {
    token: input.token,
    identityKey: input.identity.publicKey,
    transitKey: input.transitKey,
    machineId: input.machineId,
    facts: input.facts,
  };
  const request = signMessage(input.identity, '', subjects.enroll, body, input.now());
  const reply = (await requestSigned(input.bus, subjects.enroll, request, input.timeoutMs ?? 15_000, (env, subject) => {
    if (env.by !== CONTROL_PLANE) return { ok: false, reason: 'not the control plane' };
    let key: unknown;
    try {
      const r = JSON.parse(env.payload) as { ok?: boolean; value?: Partial<EnrollReply> };
      key = r.ok ? r.value?.controlPlaneKey : undefined;
    } catch {
      return { ok: false, reason: 'payload is not JSON' };
    }
    // A refusal cannot be verified (no key is known yet) and is taken as it is: at worst someone
    // who can read the enrolment subject makes this attempt fail, as spending the token would.
    if (key === undefined) return { ok: true, by: env.by, nonce: env.nonce, body: JSON.parse(env.payload) };
    if (!isIdentityPublicKey(key)) return { ok: false, reason: 'no control-plane key' };
    return verifyMessage(env, subject, key, input.now());
  })) as EnrollReply;
  return { hostId: reply.hostId, controlPlaneKey: reply.controlPlaneKey, enrolledAt: input.now().toISOString() };
}
