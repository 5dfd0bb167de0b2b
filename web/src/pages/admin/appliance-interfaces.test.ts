import { describe, expect, it } from 'vitest';
import type { Appliance } from '../../api/types.ts';
import { interfacesText } from './appliance-interfaces.ts';

const of = (spec: Partial<Appliance['spec']>, status: Partial<Appliance['status']>) =>
  ({ spec: { network: 'default', ...spec }, status: { address: null, ...status } }) as Pick<Appliance, 'spec' | 'status'>;

describe("an appliance's interfaces", () => {
  it('lists eth0 on the first network, then each further network in order, with its address', () => {
    expect(interfacesText(of({ moreNetworks: ['lan', 'san'] }, { address: '169.254.1.2', moreAddresses: ['10.0.0.2', '10.1.0.2'] }))).toBe(
      'eth0 default 169.254.1.2 · eth1 lan 10.0.0.2 · eth2 san 10.1.0.2',
    );
  });

  it('adds the IPv6 address of each interface that has one, and shows an IPv6-only one alone', () => {
    const a = of({ moreNetworks: ['lan', 'dual'] }, { address: '169.254.1.2', address6: 'fd00:1::2', moreAddresses: ['10.0.0.2', '10.1.0.2'], moreAddresses6: [null, 'fd00:203::2'] });
    expect(interfacesText(a)).toBe('eth0 default 169.254.1.2 fd00:1::2 · eth1 lan 10.0.0.2 · eth2 dual 10.1.0.2 fd00:203::2');
    expect(interfacesText(of({ network: 'v6' }, { address: null, address6: 'fd00:9::5' }))).toBe('eth0 v6 fd00:9::5');
  });

  it('shows one interface for one network, and — for addresses not given yet', () => {
    expect(interfacesText(of({}, { address: '169.254.1.2' }))).toBe('eth0 default 169.254.1.2');
    expect(interfacesText(of({ moreNetworks: ['lan'] }, {}))).toBe('eth0 default — · eth1 lan —');
  });
});
