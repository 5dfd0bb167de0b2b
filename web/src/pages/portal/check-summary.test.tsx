import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Appliance } from '../../api/types.ts';
import { renderInApp } from '../../test/render.tsx';

/** The portal's health column against a stand-in for the server at the network boundary. */
const server = vi.hoisted(() => {
  const asked: string[] = [];
  const answers = new Map<string, () => Response>();
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const key = `${request.method} ${new URL(request.url).pathname}`;
    asked.push(key);
    const answer = answers.get(key);
    return answer ? answer() : new Response(JSON.stringify({ error: { code: 'FY_ROUTE_NOT_FOUND', message: 'no route' } }), { status: 404 });
  };
  return { asked, answers };
});

const { CheckSummary } = await import('./check-summary.tsx');

const ID = '0190b8a4-0000-7000-8000-0000000000bb';
const appliance = (checks: unknown[] | undefined) => ({ id: ID, name: 'mine', spec: { checks } }) as unknown as Appliance;

afterEach(() => {
  server.answers.clear();
  server.asked.length = 0;
});

describe("the health of a cloud user's appliance", () => {
  it('shows each check with its state and type', async () => {
    server.answers.set(`GET /api/v1/appliances/${ID}/checks`, () =>
      new Response(
        JSON.stringify({
          checks: [{ name: 'web', kind: 'http' }, { name: 'ssh', kind: 'tcp', port: 22 }],
          results: [{ applianceId: ID, check: 'web', state: 'WARNING', type: 'SOFT', attempt: 1, maxCheckAttempts: 3, output: 'HTTP WARNING', perfdata: [], checkedAt: 'x', changedAt: 'x' }],
        }),
        { status: 200, headers: { 'content-type': 'application/json' } },
      ),
    );
    renderInApp(<CheckSummary appliance={appliance([{ name: 'web', kind: 'http' }, { name: 'ssh', kind: 'tcp', port: 22 }])} />);
    expect((await screen.findByTestId('check-state')).textContent).toBe('web WARNING soft');
    expect(screen.getByText('ssh: not run yet')).toBeTruthy();
  });

  it('asks nothing for an appliance without checks', () => {
    renderInApp(<CheckSummary appliance={appliance(undefined)} />);
    expect(screen.getByText('—')).toBeTruthy();
    expect(server.asked).toEqual([]);
  });
});
