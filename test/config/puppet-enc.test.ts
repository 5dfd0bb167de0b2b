import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { puppetEnc, renderEnc } from '../../src/config/puppet-enc.ts';
import { aConfigGroup, anAppliance } from '../support/objects.ts';

/** The external node classifier's document: YAML that parses back (as YAML 1.1, Puppet's) to the groups' classes. */
describe('Puppet ENC document', () => {
  const appliance = anAppliance('web-1', 'img', { status: { address: '169.254.7.5', phase: 'running' }, ownerId: 'u-1' });
  appliance.spec.labels = { tier: 'web', 'team/owner': 'ops' };
  const base = aConfigGroup('base', { puppet: { classes: { ntp: { servers: ['169.254.7.1'], iburst: true }, motd: {} } } });
  const cloudOnly = aConfigGroup('cloud-only', { cloudInit: { cloudConfig: { packages: ['curl'] } } });
  const web = aConfigGroup('web', { puppet: { classes: { ntp: { servers: ['169.254.9.1'] }, 'profile::nginx': { worker_processes: 'on' } } } });

  it('maps the groups to classes in order, a later group winning a parameter, and says who the node is', () => {
    const text = renderEnc(puppetEnc({ appliance, groups: [base, cloudOnly, web], fqdn: 'web-1.lab.internal', owner: { id: 'u-1', name: 'alice' } }));
    const doc = parse(text, { version: '1.1' }) as Record<string, Record<string, unknown>>;
    assert.equal(doc.environment, 'production');
    assert.deepEqual(Object.keys(doc.classes ?? {}), ['ntp', 'motd', 'profile::nginx']);
    assert.deepEqual(doc.classes, {
      ntp: { servers: ['169.254.9.1'], iburst: true },
      motd: {},
      'profile::nginx': { worker_processes: 'on' },
    });
    assert.deepEqual(doc.parameters, {
      fleetyard_appliance_id: appliance.id,
      fleetyard_appliance_name: 'web-1',
      fleetyard_hostname: 'web-1',
      fleetyard_fqdn: 'web-1.lab.internal',
      fleetyard_owner: 'alice',
      fleetyard_owner_id: 'u-1',
      fleetyard_labels: { tier: 'web', 'team/owner': 'ops' },
      fleetyard_network: 'default',
      fleetyard_address: '169.254.7.5',
      fleetyard_address6: null,
      fleetyard_more_addresses: [],
      fleetyard_config_groups: ['base', 'cloud-only', 'web'],
    });
    // Every parameter is a valid Puppet variable name that no fact shares.
    for (const name of Object.keys(doc.parameters ?? {})) assert.match(name, /^fleetyard_[a-z0-9_]+$/);
  });

  it('an appliance without Puppet classes is still classified, with none', () => {
    const doc = parse(renderEnc(puppetEnc({ appliance, groups: [cloudOnly], fqdn: null, owner: null })), { version: '1.1' }) as Record<string, unknown>;
    assert.deepEqual(doc.classes, {});
    assert.equal((doc.parameters as Record<string, unknown>).fleetyard_fqdn, null);
  });
});
