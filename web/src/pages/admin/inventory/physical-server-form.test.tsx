import { screen, waitFor } from '@testing-library/react';
import userEvent, { type UserEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setCsrfToken } from '../../../api/client.ts';
import { recordApi, type Answer, type RecordedCall } from '../../../test/recorded-api.ts';
import { renderInApp } from '../../../test/render.tsx';
import type { Resource } from './inventory-types.ts';
import { PhysicalServerForm } from './physical-server-form.tsx';

function aHost(id: string, name: string, virtualizations: Resource['spec']['virtualizations']): Resource {
  return {
    id,
    name,
    version: 1,
    generation: 1,
    createdAt: '2026-03-02T08:00:00.000Z',
    updatedAt: '2026-03-02T08:00:00.000Z',
    spec: { type: 'physical', hostId: null, capacity: { cpu: 8, memoryMiB: 16384, diskMiB: 100_000 }, virtualizations, labels: {} },
    status: { state: 'active', powerState: 'on', applianceId: null, address: '127.0.0.1', lastHeartbeatAt: '2026-03-02T08:00:00.000Z', facts: {} },
  };
}

const BOOTS = aHost('019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a01', 'rack-1', ['container', 'physical']);
const NO_BOOT = aHost('019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a02', 'laptop', ['container']);
const ALSO_BOOTS = aHost('019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a04', 'rack-2', ['physical']);

const field = (name: RegExp | string) => screen.getByRole('textbox', { name });

async function fill(user: UserEvent, values: Record<string, string>) {
  for (const [label, value] of Object.entries(values)) {
    const input = label === 'BMC password' ? screen.getByLabelText(/^BMC password/) : field(new RegExp(`^${label}`));
    await user.clear(input);
    // Pasted, not typed key by key: the form re-renders on every key, which is slow in jsdom.
    if (value) await user.paste(value);
  }
}

describe('the physical server registration form', () => {
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

  it('says what is wrong with each field and sends nothing', async () => {
    const user = userEvent.setup({ delay: null });
    renderInApp(<PhysicalServerForm hosts={[BOOTS, ALSO_BOOTS]} onDone={() => undefined} />);
    await user.click(screen.getByRole('button', { name: 'Register' }));
    expect(await screen.findByText('Give the server a name')).toBeTruthy();
    expect(screen.getByText('Choose the host that boots it')).toBeTruthy();
    expect(screen.getByText('Six pairs of hex digits separated by colons')).toBeTruthy();
    expect(screen.getByText('The address of its BMC')).toBeTruthy();
    expect(screen.getByText('1-16 printable characters, no spaces')).toBeTruthy();
    expect(screen.getByText('1-20 printable ASCII characters (the IPMI limit)')).toBeTruthy();

    await fill(user, { Name: 'has a space', 'MAC address': '52:54:00:12:34', 'BMC address': 'bmc_1..lab', 'BMC user': 'ad min', 'BMC password': 'x'.repeat(21) });
    await user.click(screen.getByRole('button', { name: 'Register' }));
    expect(await screen.findByText(/1-63 letters, digits/)).toBeTruthy();
    expect(screen.getByText('Six pairs of hex digits separated by colons')).toBeTruthy();
    expect(screen.getByText('An IP address or a host name')).toBeTruthy();
    expect(recorded.calls).toEqual([]);
  });

  it('offers only hosts that network-boot, and sends the server with its BMC and capacity', async () => {
    const user = userEvent.setup({ delay: null });
    const done = vi.fn();
    answer = (call) => ({ status: 201, body: { ...aHost('019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a03', 'pm-1', []), spec: { ...BOOTS.spec, hostId: BOOTS.id, virtualizations: [] }, echo: call.body } });
    renderInApp(<PhysicalServerForm hosts={[BOOTS, NO_BOOT]} onDone={done} />);
    // The one host that boots servers is chosen already; the other is offered but disabled.
    expect((screen.getByRole('combobox', { name: /^Booted by host/ }) as HTMLInputElement).value).toBe('rack-1');
    await user.click(screen.getByRole('combobox', { name: /^Booted by host/ }));
    // jsdom runs no CSS, so the dropdown's opening transition leaves it "hidden" to queries.
    const option = await screen.findByRole('option', { name: 'laptop (no network boot)', hidden: true });
    expect(option.getAttribute('aria-disabled')).toBe('true');
    expect(screen.getByRole('option', { name: 'rack-1', hidden: true }).getAttribute('aria-disabled')).toBeNull();
    await user.keyboard('{Escape}');

    await fill(user, { Name: 'pm-1', 'MAC address': '52:54:00:AB:cd:01', 'BMC address': '169.254.77.10', 'BMC user': 'admin', 'BMC password': 'bmc secret 1' });
    await user.clear(field(/^BMC port/));
    await user.type(field(/^BMC port/), '6230');
    await user.clear(field(/^CPUs/));
    await user.type(field(/^CPUs/), '4');
    await user.clear(field(/^Memory/));
    await user.type(field(/^Memory/), '8192');
    await user.click(screen.getByRole('button', { name: 'Register' }));

    await waitFor(() => expect(done).toHaveBeenCalledTimes(1));
    expect(recorded.calls).toHaveLength(1);
    const [call] = recorded.calls as [RecordedCall];
    expect([call.method, call.path]).toEqual(['POST', '/api/v1/resources']);
    expect(call.headers.get('x-csrf-token')).toBe('csrf-of-this-session');
    expect(call.body).toEqual({
      name: 'pm-1',
      hostId: BOOTS.id,
      mac: '52:54:00:AB:cd:01',
      bmc: { address: '169.254.77.10', port: 6230, user: 'admin', password: 'bmc secret 1' },
      capacity: { cpu: 4, memoryMiB: 8192, diskMiB: 0 },
    });
  });

  it("shows the server's refusal with its code and the fields it names", async () => {
    const user = userEvent.setup({ delay: null });
    const done = vi.fn();
    answer = () => ({
      status: 400,
      body: { error: { code: 'FY_VALIDATION', message: 'invalid body', details: { issues: [{ path: '/bmc/address', message: 'must be an IP address or a host name' }] } } },
    });
    renderInApp(<PhysicalServerForm hosts={[BOOTS]} onDone={done} />);
    await fill(user, { Name: 'pm-2', 'MAC address': '52:54:00:00:00:02', 'BMC address': 'fe80::1', 'BMC user': 'admin', 'BMC password': 'pw' });
    await user.click(screen.getByRole('button', { name: 'Register' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The server was not registered');
    expect(screen.getByTestId('error-code').textContent).toBe('FY_VALIDATION');
    expect(alert.textContent).toContain('bmc.address: must be an IP address or a host name');
    expect(recorded.calls).toHaveLength(1);
    expect(done).not.toHaveBeenCalled();
  });
});
