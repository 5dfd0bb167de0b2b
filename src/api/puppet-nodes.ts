import type { Appliance } from '../domain/appliance.ts';
import { FleetyardError } from '../domain/errors.ts';
import { isId } from '../domain/ids.ts';
import type { Repos } from '../store/store.ts';

/**
 * The appliance a Puppet certname names. A Puppet agent's certname is by default its fqdn, which
 * for an appliance is `<hostname>.<zone>` of its first network's DNS zone; a network without DNS
 * leaves it the hostname; an operator may set it to the appliance's id. So a certname is tried as
 * an id, then as an fqdn, then as a hostname (case-insensitively, as DNS names are), among the
 * appliances not being deleted. A name two appliances answer to classifies neither.
 */
export async function applianceByCertname(repos: Repos, certname: string): Promise<Appliance> {
  const byId = isId(certname) ? await repos.appliances.get(certname) : undefined;
  if (byId && !byId.deletionRequestedAt) return byId;
  const name = certname.toLowerCase();
  const live = (await repos.appliances.all()).filter((a) => !a.deletionRequestedAt);
  const zones = new Map((await repos.networks.all()).map((n) => [n.name, n.spec.dns?.zone ?? null]));
  const fqdnOf = (a: Appliance) => {
    const zone = zones.get(a.spec.network) ?? null;
    return zone === null ? null : `${a.spec.hostname}.${zone}`.toLowerCase();
  };
  for (const matches of [live.filter((a) => fqdnOf(a) === name), live.filter((a) => a.spec.hostname.toLowerCase() === name)]) {
    if (matches.length === 1) return matches[0] as Appliance;
    if (matches.length > 1) {
      throw new FleetyardError('FY_PUPPET_NODE_AMBIGUOUS', `${matches.length} appliances answer to the certname ${certname}`, { certname, appliances: matches.map((a) => a.id) });
    }
  }
  throw new FleetyardError('FY_PUPPET_NODE_UNKNOWN', `no appliance has the certname ${certname}`, { certname });
}
