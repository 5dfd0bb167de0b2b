import { applianceConfigInputs } from '../config/appliance-inputs.ts';
import { cloudInitPlan } from '../config/cloud-init-plan.ts';
import { buildNoCloudSeed, type NoCloudSeed } from '../config/cloud-init-seed.ts';
import { puppetEnc, type EncDocument } from '../config/puppet-enc.ts';
import type { Appliance } from '../domain/appliance.ts';
import type { Repos } from '../store/store.ts';

/** Stands where the seed of a boot has the login's password hash, which only the agent makes. */
export const PASSWORD_HASH_PLACEHOLDER = '(the SHA-512 crypt hash of the password, made at boot)';

export interface ApplianceConfigDocuments {
  groups: string[];
  /** What a Puppet agent on it is best given as certname: its fqdn, else its hostname. */
  certname: string;
  enc: EncDocument;
  /** The NoCloud seed a VM boot gets, but for the interfaces' MACs and the password's hash. */
  cloudInit: NoCloudSeed;
}

/** An appliance's configuration documents as its groups make them now (the ENC route serves `enc`). */
export async function applianceConfigDocuments(repos: Repos, a: Appliance): Promise<ApplianceConfigDocuments> {
  const inputs = await applianceConfigInputs(repos, a);
  const owner = a.spec.ownerId ? await repos.users.get(a.spec.ownerId) : undefined;
  const login = a.spec.login;
  return {
    groups: inputs.groups.map((g) => g.name),
    certname: inputs.fqdn ?? a.spec.hostname,
    enc: puppetEnc({ appliance: a, groups: inputs.groups, fqdn: inputs.fqdn, owner: owner ? { id: owner.id, name: owner.name } : null }),
    cloudInit: buildNoCloudSeed({
      instanceId: a.id,
      hostname: a.spec.hostname,
      plan: cloudInitPlan(a.spec.hostname, inputs.groups, inputs.networks),
      login: login && { user: login.user, sshPublicKey: login.sshPublicKey, passwordHash: login.passwordSealed ? PASSWORD_HASH_PLACEHOLDER : null },
      // Root's configuration-management key (src/identity/config-ssh-key.ts) goes into the boot's
      // seed of an appliance with groups; this view leaves it out.
      configSshKey: null,
      macs: [],
    }),
  };
}
