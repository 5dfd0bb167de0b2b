import { isIdentityPublicKey, type IdentityKey } from '../agent/identity-key.ts';
import { subjects, type EnrollReply, type EnrollRequest } from '../agent/protocol.ts';
import { ReplayGuard, verifyMessage, type SignedEnvelope } from '../agent/signed-message.ts';
import { isTransitPublicKey } from '../agent/transit-key.ts';
import { FleetyardError } from '../domain/errors.ts';
import { parseJoinToken } from '../identity/join-tokens.ts';
import { sameHash } from '../identity/secrets.ts';
import type { Store } from '../store/store.ts';
import { hostByMachineId, validFacts, writeHostRow } from './host-rows.ts';

const invalidToken = () => new FleetyardError('FY_JOIN_TOKEN_INVALID');

/**
 * Enrolment: an agent presents a join token with its identity and transit public keys, signed
 * with the identity key (proof that it holds it). In one transaction the token is spent (one
 * conditional update: exactly once, whatever the concurrency, on both engines), the host row is
 * made or bound, and the keys are recorded in `host_keys`, the only place they are ever written.
 *
 * Which host: a token made for a host (`--host`) re-enrols that host; otherwise an identity that
 * is already enrolled keeps its host (it proves to be that host), a machine id of a host that
 * never enrolled (one from before enrolment existed) takes that host over, and a machine id of an
 * enrolled host is refused (FY_HOST_ALREADY_ENROLLED): replacing an enrolled host's keys needs a
 * token an admin made for that host.
 */
export class HostEnrollment {
  private readonly guard = new ReplayGuard();

  constructor(
    private readonly store: Store,
    private readonly controlPlaneKey: IdentityKey,
  ) {}

  async enroll(env: SignedEnvelope): Promise<EnrollReply> {
    let req: Partial<EnrollRequest>;
    try {
      req = JSON.parse(env.payload) as Partial<EnrollRequest>;
    } catch {
      throw new FleetyardError('FY_VALIDATION', 'malformed enrolment');
    }
    if (req === null || typeof req !== 'object' || !isIdentityPublicKey(req.identityKey) || !isTransitPublicKey(req.transitKey)) {
      throw new FleetyardError('FY_VALIDATION', 'an enrolment needs an Ed25519 identity key and an X25519 transit key');
    }
    if (typeof req.machineId !== 'string' || req.machineId.length === 0 || req.machineId.length > 200 || !validFacts(req.facts)) {
      throw new FleetyardError('FY_VALIDATION', 'malformed enrolment');
    }
    const proof = verifyMessage(env, subjects.enroll, req.identityKey, this.store.clock.now(), this.guard);
    if (env.by !== '' || !proof.ok) throw new FleetyardError('FY_MESSAGE_REFUSED', `enrolment refused: ${proof.ok ? 'signer' : proof.reason}`);
    const token = parseJoinToken(req.token);
    if (!token) throw invalidToken();
    const { identityKey, transitKey, machineId, facts } = req;

    const now = this.store.clock.now();
    const hostId = await this.store.transaction(async (tx) => {
      const row = await tx.enrollment.joinToken(token.id);
      if (!row || !sameHash(row.secret_hash, token.secretHash)) throw invalidToken();
      let existing = row.host_id ? await tx.resources.get(row.host_id) : undefined;
      if (row.host_id && !existing) throw invalidToken();
      if (!existing) {
        const mine = await tx.enrollment.hostKeysByIdentity(identityKey);
        existing = mine ? await tx.resources.get(mine.host_id) : undefined;
      }
      if (!existing) {
        const same = await hostByMachineId(tx, machineId);
        if (same && (await tx.enrollment.hostKeys(same.id))) {
          throw new FleetyardError('FY_HOST_ALREADY_ENROLLED', `machine ${machineId} is enrolled as host ${same.name}; re-enrol it with a join token made for that host`, { hostId: same.id });
        }
        existing = same;
      }
      const id = existing?.id ?? this.store.ids.next();
      if (!(await tx.enrollment.consumeJoinToken(token.id, token.secretHash, id, now))) throw invalidToken();
      const { name } = await writeHostRow(tx, { id, existing, machineId, facts, transitKey, now });
      await tx.enrollment.bindHostKeys({ host_id: id, identity_key: identityKey, transit_key: transitKey, machine_id: machineId, join_token_id: token.id, enrolled_at: now.toISOString() });
      await tx.emit({
        type: 'host.enrolled',
        kind: 'resource',
        objectId: id,
        message: existing ? `host ${name} enrolled again with new keys (join token ${token.id})` : `host ${name} enrolled (join token ${token.id})`,
        data: { joinTokenId: token.id, virtualizations: facts.virtualizations },
      });
      return id;
    });
    return { hostId, controlPlaneKey: this.controlPlaneKey.publicKey };
  }
}
