import { mergeCloudConfigs, type CloudConfig } from './cloud-config-merge.ts';
import { stringifyYaml11 } from './yaml-1-1.ts';

/**
 * A VM's NoCloud seed: the three files cloud-init reads from a volume labelled CIDATA
 * (https://cloudinit.readthedocs.io/en/latest/reference/datasources/nocloud.html):
 *
 * - `user-data`: `#cloud-config` with the appliance's groups' cloud-config merged in their order
 *   (cloud-config-merge.ts), then what is Fleetyard's to say, which no group overrides: the
 *   hostname (and the fqdn when its first network has a DNS zone), the user's login (a user with
 *   its SSH key and its password's SHA-512 crypt hash, never the password), root's
 *   configuration-management key when the appliance has one; these users come before any the
 *   groups list.
 * - `meta-data`: instance-id (the appliance's id: the same VM across boots and moves) and
 *   local-hostname.
 * - `network-config`: version 2, one interface per network in the appliance's order, its static
 *   address(es); the default route (the gateway) only on the first; the resolvers and search
 *   zone of each network that publishes its names.
 *
 * What the control plane decides (the plan) travels in the ensure command; what only the agent
 * knows (the password, unsealed there, and the interfaces' MACs) is added by the driver.
 */
export interface SeedNetwork {
  /** The IPv4 address and prefix length; null on an IPv6-only network. */
  address: string | null;
  prefixLength: number | null;
  /** The default route's gateway: the first network's only, null on the others. */
  gateway: string | null;
  address6: { address: string; prefixLength: number; gateway: string | null } | null;
  mtu: number | null;
  nameservers: string[];
  search: string[];
}

/** What the control plane decides of a VM's seed (src/config/cloud-init-plan.ts makes it). */
export interface CloudInitPlan {
  /** `<hostname>.<zone>` when the first network has a DNS zone, else null. */
  fqdn: string | null;
  /** The appliance's groups' cloud-config, merged in their order. */
  cloudConfig: CloudConfig;
  /** The appliance's networks, the first (default route) first. */
  networks: SeedNetwork[];
}

export interface NoCloudSeedInput {
  /** The appliance's id. */
  instanceId: string;
  hostname: string;
  plan: CloudInitPlan;
  /** The login to create; `passwordHash` is a crypt(3) hash (drivers/seed.ts passwordHash). */
  login: { user: string; sshPublicKey: string | null; passwordHash: string | null } | null;
  /** The configuration-management public key root accepts, or null. */
  configSshKey: string | null;
  /** Each network's interface MAC, in the networks' order, where the driver knows it. */
  macs: readonly string[];
}

export interface NoCloudSeed {
  userData: string;
  metaData: string;
  networkConfig: string;
}

/** The file names on the CIDATA volume. */
export const NOCLOUD_FILES: Record<keyof NoCloudSeed, string> = {
  userData: 'user-data',
  metaData: 'meta-data',
  networkConfig: 'network-config',
};

export function buildNoCloudSeed(input: NoCloudSeedInput): NoCloudSeed {
  return {
    userData: renderUserData(userData(input)),
    metaData: stringifyYaml11({ 'instance-id': input.instanceId, 'local-hostname': input.hostname }),
    networkConfig: stringifyYaml11(networkConfig(input.plan.networks, input.macs)),
  };
}

/** The cloud-config document of `user-data` (before it is rendered). */
export function userData(input: Pick<NoCloudSeedInput, 'hostname' | 'plan' | 'login' | 'configSshKey'>): CloudConfig {
  const { login, configSshKey, plan } = input;
  const ours: CloudConfig[] = [];
  if (login) {
    ours.push({
      name: login.user,
      lock_passwd: login.passwordHash === null,
      ...(login.passwordHash === null ? {} : { hashed_passwd: login.passwordHash }),
      ...(login.sshPublicKey === null ? {} : { ssh_authorized_keys: [login.sshPublicKey] }),
    });
  }
  if (configSshKey !== null) ours.push({ name: 'root', ssh_authorized_keys: [configSshKey] });
  const merged = mergeCloudConfigs([plan.cloudConfig]);
  const groupUsers = Array.isArray(merged.users) ? (merged.users as unknown[]) : [];
  const doc: CloudConfig = {
    ...merged,
    hostname: input.hostname,
    ...(plan.fqdn === null ? {} : { fqdn: plan.fqdn }),
    preserve_hostname: false,
  };
  if (ours.length > 0 || groupUsers.length > 0) doc.users = [...ours, ...groupUsers];
  if (configSshKey !== null) doc.disable_root = false;
  if (login?.passwordHash) doc.ssh_pwauth = true;
  return doc;
}

export function renderUserData(doc: CloudConfig): string {
  return `#cloud-config\n${stringifyYaml11(doc)}`;
}

/** Netplan-style version 2 network-config: `eth<N>`, matched by MAC where it is known. */
export function networkConfig(networks: readonly SeedNetwork[], macs: readonly string[]): CloudConfig {
  const ethernets: Record<string, CloudConfig> = {};
  networks.forEach((n, i) => {
    const name = `eth${i}`;
    const mac = macs[i];
    ethernets[name] = {
      ...(mac === undefined ? {} : { match: { macaddress: mac }, 'set-name': name }),
      addresses: [...(n.address !== null ? [`${n.address}/${n.prefixLength}`] : []), ...(n.address6 ? [`${n.address6.address}/${n.address6.prefixLength}`] : [])],
      // gateway4/gateway6 rather than `routes`: cloud-init 22.4 (Debian 12) reads neither
      // `to: default` nor `::/0` right, and netplan still accepts them.
      ...(n.gateway === null ? {} : { gateway4: n.gateway }),
      ...(n.address6?.gateway ? { gateway6: n.address6.gateway } : {}),
      ...(n.nameservers.length > 0 || n.search.length > 0 ? { nameservers: { addresses: n.nameservers, search: n.search } } : {}),
      ...(n.mtu === null ? {} : { mtu: n.mtu }),
    };
  });
  return { version: 2, ethernets };
}
