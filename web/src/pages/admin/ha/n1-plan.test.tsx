import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { HaPlan } from '../../../api/types.ts';
import { renderInApp } from '../../../test/render.tsx';
import type { Resource } from '../inventory/inventory-types.ts';
import { HostLeases } from './host-leases.tsx';
import { N1Plan } from './n1-plan.tsx';

const a = { id: '019a0000-0000-7000-8000-00000000000a', name: 'rack-a' };
const b = { id: '019a0000-0000-7000-8000-00000000000b', name: 'rack-b' };

const plan: HaPlan = {
  generatedAt: '2026-03-02T08:00:00.000Z',
  mode: 'each-host',
  tolerates: false,
  haAppliances: 2,
  scenarios: [
    {
      failed: [a],
      restarts: [
        { applianceId: '019a0000-0000-7000-8000-000000000001', name: 'db', from: a, fits: true, to: b, virtualization: 'qemu', reason: null },
        { applianceId: '019a0000-0000-7000-8000-000000000002', name: 'web', from: a, fits: false, to: null, virtualization: null, reason: 'no host has 1 cpu, 600 MiB memory and 0 MiB disk free' },
      ],
      lost: [{ applianceId: '019a0000-0000-7000-8000-000000000003', name: 'scratch', from: a }],
      unplaced: 1,
    },
    { failed: [b], restarts: [], lost: [], unplaced: 0 },
  ],
};

describe('the N+1 plan', () => {
  it('says N+1 is lost and, per host failing, where each HA appliance restarts or why it cannot', () => {
    renderInApp(<N1Plan plan={plan} />);
    expect(screen.getByTestId('n1-badge').textContent).toBe('N+1 lost');
    const ifA = within(screen.getByRole('region', { name: 'If rack-a failed' }));
    expect(ifA.getByText('1 cannot restart')).toBeTruthy();
    const rows = ifA.getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell').map((c) => c.textContent));
    expect(rows).toEqual([
      ['db', 'restarts on rack-b', '—'],
      ['web', 'cannot restart', 'no host has 1 cpu, 600 MiB memory and 0 MiB disk free'],
      ['scratch', 'lost (not HA)', '—'],
    ]);
    const ifB = within(screen.getByRole('region', { name: 'If rack-b failed' }));
    expect(ifB.getByText('Nothing runs there that would need to restart.')).toBeTruthy();
  });

  it('says N+1 holds when every scenario places everything', () => {
    renderInApp(<N1Plan plan={{ ...plan, tolerates: true, scenarios: [plan.scenarios[1] as HaPlan['scenarios'][number]] }} />);
    expect(screen.getByTestId('n1-badge').textContent).toBe('N+1 holds');
    expect(screen.getByTestId('n1-summary').textContent).toMatch(/Every one of 2 HA appliances/);
  });
});

describe('the host leases', () => {
  it('shows each host\'s lease state, epoch and what it waits for', () => {
    type Lease = NonNullable<Resource['status']['lease']>;
    const host = (name: string, lease?: Lease): Resource => ({
      id: `019a0000-0000-7000-8000-0000000000${name.length}f`,
      name,
      version: 1,
      generation: 1,
      createdAt: '2026-03-02T08:00:00.000Z',
      updatedAt: '2026-03-02T08:00:00.000Z',
      spec: { type: 'physical' as const, hostId: null, capacity: { cpu: 4, memoryMiB: 4096, diskMiB: 0 }, virtualizations: ['qemu' as const], labels: {} },
      status: { state: 'active' as const, powerState: 'on' as const, applianceId: null, address: null, lastHeartbeatAt: null, facts: {}, ...(lease ? { lease } : {}) },
    });
    const fenceFailed: Lease = { state: 'fence-failed', durationMs: 10_000, expiresAt: null, epoch: 3, since: '2026-03-02T08:00:00.000Z', signals: { bmc: 'unreachable', peers: [], checkedAt: null }, fencedBy: null, waitingFor: 'fencing by its BMC or an admin' };
    renderInApp(<HostLeases hosts={[host('h1'), host('h22', fenceFailed)]} />);
    const rows = screen.getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell').map((c) => c.textContent));
    expect(rows).toEqual([
      ['h1', 'live', '—', '—'],
      ['h22', 'fence-failed', '3', 'fencing by its BMC or an admin'],
    ]);
  });
});
