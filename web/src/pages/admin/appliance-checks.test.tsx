import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderInApp } from '../../test/render.tsx';

/** The checks card against a stand-in for the server at the network boundary. */
const server = vi.hoisted(() => {
  const answers = new Map<string, () => Response>();
  const json = (status: number, body: unknown) => () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const answer = answers.get(`${request.method} ${url.pathname}`);
    return answer ? answer() : new Response(JSON.stringify({ error: { code: 'FY_ROUTE_NOT_FOUND', message: 'no route' } }), { status: 404 });
  };
  return { answers, json };
});

const { ApplianceChecks, checkTarget } = await import('./appliance-checks.tsx');

const ID = '0190b8a4-0000-7000-8000-0000000000aa';
const PATH = `GET /api/v1/appliances/${ID}/checks`;
const result = (check: string, state: string, type: string, attempt: number, output: string) => ({
  applianceId: ID,
  check,
  state,
  type,
  attempt,
  maxCheckAttempts: 3,
  output,
  perfdata: [],
  checkedAt: '2026-01-01T00:00:00.000Z',
  changedAt: '2026-01-01T00:00:00.000Z',
});

afterEach(() => server.answers.clear());

describe('the health checks of an appliance', () => {
  it('shows each check with what it probes, its state, soft or hard, the attempt and the output', async () => {
    server.answers.set(
      PATH,
      server.json(200, {
        checks: [
          { name: 'web', kind: 'http', port: 80, path: '/health', expectStatus: 200 },
          { name: 'ssh', kind: 'tcp', port: 22 },
          { name: 'alive', kind: 'ping' },
        ],
        results: [result('web', 'CRITICAL', 'SOFT', 2, 'connect to address 10.0.0.2 and port 80: Connection refused'), result('ssh', 'OK', 'HARD', 1, 'TCP OK - 0.001 second response time')],
      }),
    );
    renderInApp(<ApplianceChecks applianceId={ID} />);
    const web = await screen.findByTestId('check-web');
    expect(within(web).getByTestId('check-state').textContent).toBe('CRITICAL soft');
    expect(within(web).getByText('2/3')).toBeTruthy();
    expect(within(web).getByText('HTTP /health (expects 200)')).toBeTruthy();
    expect(within(web).getByTestId('check-output').textContent).toMatch(/Connection refused/);
    expect(within(screen.getByTestId('check-ssh')).getByTestId('check-state').textContent).toBe('OK hard');
    expect(within(screen.getByTestId('check-alive')).getByTestId('check-state').textContent).toBe('not run yet');
  });

  it('says when there are none, and shows an error the server sends', async () => {
    server.answers.set(PATH, server.json(200, { checks: [], results: [] }));
    const { unmount } = renderInApp(<ApplianceChecks applianceId={ID} />);
    expect(await screen.findByText('No health checks.')).toBeTruthy();
    unmount();
    server.answers.set(PATH, server.json(404, { error: { code: 'FY_NOT_FOUND', message: `appliance ${ID} does not exist` } }));
    renderInApp(<ApplianceChecks applianceId={ID} />);
    expect((await screen.findByRole('alert')).textContent).toMatch(/does not exist/);
  });

  it('names what a check probes', () => {
    expect(checkTarget({ name: 'a', kind: 'http', port: 8080 })).toBe('HTTP :8080/');
    expect(checkTarget({ name: 'b', kind: 'command', command: ['check_dummy', '0'] })).toBe('check_dummy 0');
  });
});
