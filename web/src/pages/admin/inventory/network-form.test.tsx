import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setCsrfToken } from '../../../api/client.ts';
import { recordApi, type Answer, type RecordedCall } from '../../../test/recorded-api.ts';
import { renderInApp } from '../../../test/render.tsx';
import type { Network } from './inventory-types.ts';
import { NetworkForm } from './network-form.tsx';

const DYN: Network = {
  id: '019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a11',
  name: 'dyn',
  version: 4,
  generation: 2,
  createdAt: '2026-03-02T08:00:00.000Z',
  updatedAt: '2026-03-02T08:00:00.000Z',
  spec: {
    bridge: 'fydyn',
    cidr: '169.254.90.0/24',
    gateway: '169.254.90.1',
    excluded: [],
    ipv6: null,
    dns: { backend: 'rfc2136', zone: 'dyn.internal', server: '192.0.2.53', port: 53, keyName: 'fy', keyAlgorithm: 'hmac-sha256' },
    mtu: 1500,
    vxlan: null,
    tenant: null,
    origin: 'admin',
  },
  status: {},
};

const field = (name: RegExp) => screen.getByRole('textbox', { name });

describe('the network form', () => {
  let answer: (call: RecordedCall) => Answer;
  let recorded: { calls: RecordedCall[]; stop: () => void };

  beforeEach(() => {
    setCsrfToken('csrf-of-this-session');
    answer = () => ({ status: 500, body: {} });
    recorded = recordApi((call) => answer(call));
  });

  afterEach(() => {
    recorded.stop();
    setCsrfToken(null);
  });

  it("makes a network with an IPv6 pool that spans hosts, leaving the MTU to the server's default", { timeout: 20_000 }, async () => {
    const user = userEvent.setup({ delay: null });
    const done = vi.fn();
    answer = () => ({ status: 201, body: DYN });
    renderInApp(<NetworkForm network={null} onDone={done} />);
    await user.click(screen.getByRole('button', { name: 'Create' }));
    expect(await screen.findByText('Give the network a name')).toBeTruthy();
    expect(recorded.calls).toEqual([]);
    await user.click(field(/^Name/));
    await user.paste('backend');
    await user.click(field(/^Bridge/));
    await user.paste('fyback');
    await user.click(field(/^IPv4 CIDR/));
    await user.paste('169.254.80.0/24');
    await user.click(field(/^Excluded IPv4/));
    await user.paste('169.254.80.10-169.254.80.19');
    await user.click(field(/^IPv6 CIDR/));
    await user.paste('fd00:80::/64');
    await user.click(screen.getByRole('checkbox', { name: 'Spans hosts (VXLAN)' }));
    await user.click(screen.getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(done).toHaveBeenCalledTimes(1));
    const [call] = recorded.calls as [RecordedCall];
    expect([call.method, call.path]).toEqual(['POST', '/api/v1/networks']);
    expect(call.body).toEqual({
      name: 'backend',
      bridge: 'fyback',
      cidr: '169.254.80.0/24',
      excluded: [{ first: '169.254.80.10', last: '169.254.80.19' }],
      ipv6: { cidr: 'fd00:80::/64' },
      dns: null,
      spansHosts: true,
    });
  });

  it('changes a network with its version, keeping the stored TSIG secret when none is typed', async () => {
    const user = userEvent.setup({ delay: null });
    const done = vi.fn();
    answer = () => ({ status: 200, body: DYN });
    renderInApp(<NetworkForm network={DYN} onDone={done} />);
    const mtu = field(/^MTU/);
    await user.clear(mtu);
    await user.paste('9000');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(done).toHaveBeenCalledTimes(1));
    const [call] = recorded.calls as [RecordedCall];
    expect([call.method, call.path]).toEqual(['PATCH', `/api/v1/networks/${DYN.id}`]);
    expect(call.body).toMatchObject({ version: 4, mtu: 9000, dns: { backend: 'rfc2136', zone: 'dyn.internal', server: '192.0.2.53', port: 53, keyName: 'fy', keyAlgorithm: 'hmac-sha256' } });
    expect(JSON.stringify(call.body)).not.toContain('keySecret');
  });

  it("shows the server's refusal with its code and message", async () => {
    const user = userEvent.setup({ delay: null });
    answer = () => ({ status: 409, body: { error: { code: 'FY_NETWORK_IN_USE', message: 'network dyn cannot change its cidr: appliances hold 2 of its addresses', details: { field: 'cidr' } } } });
    renderInApp(<NetworkForm network={DYN} onDone={() => undefined} />);
    await user.clear(field(/^IPv4 CIDR/));
    await user.paste('169.254.91.0/24');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const alert = await screen.findByRole('alert');
    expect(screen.getByTestId('error-code').textContent).toBe('FY_NETWORK_IN_USE');
    expect(alert.textContent).toContain('appliances hold 2 of its addresses');
  });
});
