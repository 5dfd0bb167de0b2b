import { buildNoCloudSeed, type CloudInitPlan, type NoCloudSeed } from '../config/cloud-init-seed.ts';
import { ipv4Addressing, type RuntimeNetwork, type RuntimeSpec } from './driver.ts';
import { passwordHash } from './seed.ts';

/**
 * The NoCloud seed of one boot (src/config/cloud-init-seed.ts), from the spec the agent was
 * given: the control plane's plan (or, from one that sends none, a plan of the first network
 * alone), completed with what only this host knows: the login's password, unsealed here and
 * turned into its SHA-512 crypt hash, and the MAC of each of the VM's interfaces.
 */
export function noCloudSeedOf(spec: RuntimeSpec, macs: readonly string[]): NoCloudSeed {
  const login = spec.login ?? null;
  return buildNoCloudSeed({
    instanceId: spec.applianceId,
    hostname: spec.hostname,
    plan: spec.cloudInit ?? planOfNetwork(spec.network),
    login: login && { user: login.user, sshPublicKey: login.sshPublicKey, passwordHash: login.password === null ? null : passwordHash(login.password) },
    configSshKey: spec.configSshKey ?? null,
    macs,
  });
}

function planOfNetwork(n: RuntimeNetwork): CloudInitPlan {
  return {
    fqdn: null,
    cloudConfig: {},
    networks: [{ ...ipv4Addressing(n), address6: null, mtu: null, nameservers: [], search: [] }],
  };
}
