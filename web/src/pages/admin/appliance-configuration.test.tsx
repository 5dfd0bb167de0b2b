import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderInApp } from '../../test/render.tsx';

/** The configuration card against a stand-in for the server at the network boundary. */
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

const { ApplianceConfiguration } = await import('./appliance-configuration.tsx');

const ID = '0190b8a4-0000-7000-8000-0000000000bb';
const PATH = `GET /api/v1/appliances/${ID}/configuration`;
const view = (classes: Record<string, Record<string, unknown>>) => ({
  groups: classes.ntp ? ['base', 'web'] : [],
  certname: 'web-1.lab.internal',
  enc: { environment: 'production', classes, parameters: {} },
  cloudInit: { userData: '#cloud-config\npackages:\n  - curl\nhostname: web-1\n', metaData: '', networkConfig: '' },
});

afterEach(() => server.answers.clear());

describe("an appliance's configuration", () => {
  it('shows its groups, certname, Puppet classes with their parameters and its cloud-init user-data', async () => {
    server.answers.set(PATH, server.json(200, view({ ntp: { servers: ['169.254.0.2'] }, motd: {} })));
    renderInApp(<ApplianceConfiguration applianceId={ID} />);
    const table = await screen.findByTestId('enc-classes');
    const rows = within(table).getAllByRole('row').slice(1).map((r) => r.textContent);
    expect(rows).toEqual(['ntp{"servers":["169.254.0.2"]}', 'motd—']);
    expect(screen.getByText(/base, web/)).toBeTruthy();
    expect(screen.getByText('web-1.lab.internal')).toBeTruthy();
    expect(screen.getByTestId('cloud-init-user-data').textContent).toMatch(/^#cloud-config\npackages:\n {2}- curl/);
  });

  it('says when its groups give no classes, and shows an error the server sends', async () => {
    server.answers.set(PATH, server.json(200, view({})));
    const { unmount } = renderInApp(<ApplianceConfiguration applianceId={ID} />);
    expect(await screen.findByTestId('enc-no-classes')).toBeTruthy();
    unmount();
    server.answers.set(PATH, server.json(403, { error: { code: 'FY_FORBIDDEN', message: 'this needs the admin role' } }));
    renderInApp(<ApplianceConfiguration applianceId={ID} />);
    expect((await screen.findByRole('alert')).textContent).toMatch(/admin role/);
  });
});
