import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderInApp } from '../../test/render.tsx';

/**
 * The create-appliance form against a stand-in for the server at the network boundary (the
 * component test has no server): which requests it sends, and what it does with the answers.
 * The client captures `fetch` when it is made, so the stand-in goes in before anything imports it.
 */
const server = vi.hoisted(() => {
  const sent: Array<{ method: string; path: string; body: unknown }> = [];
  const answers = new Map<string, () => Response>();
  const json = (status: number, body: unknown) => () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const text = await request.text();
    sent.push({ method: request.method, path: url.pathname + url.search, body: text ? JSON.parse(text) : undefined });
    const answer = answers.get(`${request.method} ${url.pathname}`);
    return answer ? answer() : new Response(JSON.stringify({ error: { code: 'FY_ROUTE_NOT_FOUND', message: 'no route' } }), { status: 404 });
  };
  return { sent, answers, json };
});

const { CreateApplianceForm } = await import('./create-appliance-form.tsx');

const image = (id: string, name: string, state: string) => ({ id, name, status: { state } });
const IMAGES = { items: [image('0190b8a4-0000-7000-8000-00000000000a', 'base', 'ready'), image('0190b8a4-0000-7000-8000-00000000000b', 'half-uploaded', 'importing')], nextCursor: null };
const CREATED = { id: '0190b8a4-0000-7000-8000-0000000000cc', name: 'web-1' };

const disabled = (el: HTMLElement) => (el as HTMLButtonElement).disabled;

afterEach(() => {
  server.sent.length = 0;
  server.answers.clear();
});

async function pickImage(user: ReturnType<typeof userEvent.setup>, name: string) {
  await user.click(screen.getByRole('combobox', { name: /^Image/ }));
  await user.click(await screen.findByRole('option', { name }));
}

describe('the create-appliance form', () => {
  it('keeps Create disabled until it has a name and an image, and offers only ready images', async () => {
    server.answers.set('GET /api/v1/images', server.json(200, IMAGES));
    const user = userEvent.setup();
    renderInApp(<CreateApplianceForm onCreated={() => {}} />);
    const create = screen.getByRole('button', { name: 'Create' });
    expect(disabled(create)).toBe(true);
    await user.type(screen.getByRole('textbox', { name: /name/i }), 'web-1');
    expect(disabled(create)).toBe(true);
    await user.click(screen.getByRole('combobox', { name: /^Image/ }));
    expect(await screen.findByRole('option', { name: 'base' })).toBeTruthy();
    expect(screen.queryByRole('option', { name: 'half-uploaded' })).toBeNull();
    await user.click(screen.getByRole('option', { name: 'base' }));
    expect(disabled(create)).toBe(false);
    await user.clear(screen.getByRole('textbox', { name: /name/i }));
    await user.type(screen.getByRole('textbox', { name: /name/i }), '   ');
    expect(disabled(create)).toBe(true);
    expect(server.sent.filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('sends the appliance it describes, and hands over what the server made', async () => {
    server.answers.set('GET /api/v1/images', server.json(200, IMAGES));
    server.answers.set('POST /api/v1/appliances', server.json(201, CREATED));
    const created = vi.fn();
    const user = userEvent.setup();
    renderInApp(<CreateApplianceForm onCreated={created} />);
    await user.type(screen.getByRole('textbox', { name: /name/i }), 'web-1');
    await pickImage(user, 'base');
    const cpus = screen.getByRole('textbox', { name: 'CPUs' });
    await user.clear(cpus);
    await user.type(cpus, '2');
    await user.click(screen.getByRole('switch', { name: 'Start at once' }));
    await user.click(screen.getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(created).toHaveBeenCalledWith(CREATED));
    expect(server.sent.filter((r) => r.method === 'POST')).toEqual([
      { method: 'POST', path: '/api/v1/appliances', body: { name: 'web-1', imageId: IMAGES.items[0]?.id, requirements: { cpu: 2, memoryMiB: 256 }, start: false } },
    ]);
  });

  it('asks for the virtualization picked, and shows what the server refuses with its code', async () => {
    server.answers.set('GET /api/v1/images', server.json(200, IMAGES));
    server.answers.set('POST /api/v1/appliances', server.json(409, { error: { code: 'FY_NAME_TAKEN', message: 'appliance name "web-1" is already in use' } }));
    const created = vi.fn();
    const user = userEvent.setup();
    renderInApp(<CreateApplianceForm onCreated={created} />);
    await user.type(screen.getByRole('textbox', { name: /name/i }), 'web-1');
    await pickImage(user, 'base');
    await user.click(screen.getByRole('combobox', { name: 'Virtualization' }));
    await user.click(await screen.findByRole('option', { name: 'QEMU VM' }));
    await user.click(screen.getByRole('button', { name: 'Create' }));
    expect((await screen.findByRole('alert')).textContent).toContain('appliance name "web-1" is already in use (FY_NAME_TAKEN)');
    expect(created).not.toHaveBeenCalled();
    expect(server.sent.find((r) => r.method === 'POST')?.body).toEqual({ name: 'web-1', imageId: IMAGES.items[0]?.id, requirements: { cpu: 1, memoryMiB: 256, virtualization: 'qemu' }, start: true });
  });

  it('asks for the further networks picked, in order, and never offers the first again', async () => {
    server.answers.set('GET /api/v1/images', server.json(200, IMAGES));
    server.answers.set('GET /api/v1/networks', server.json(200, { items: ['default', 'lan', 'san'].map((name, i) => ({ id: `0190b8a4-0000-7000-8000-00000000010${i}`, name })), nextCursor: null }));
    server.answers.set('POST /api/v1/appliances', server.json(201, CREATED));
    const created = vi.fn();
    const user = userEvent.setup();
    renderInApp(<CreateApplianceForm onCreated={created} />);
    await user.type(screen.getByRole('textbox', { name: /name/i }), 'web-1');
    await pickImage(user, 'base');
    const further = screen.getByPlaceholderText('None');
    await user.click(further);
    const san = await screen.findByRole('option', { name: 'san' });
    expect(screen.queryByRole('option', { name: 'default' })).toBeNull();
    await user.click(san);
    await user.click(await screen.findByRole('option', { name: 'lan' }));
    await user.click(screen.getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(created).toHaveBeenCalledWith(CREATED));
    expect(server.sent.find((r) => r.method === 'POST')?.body).toEqual({ name: 'web-1', imageId: IMAGES.items[0]?.id, requirements: { cpu: 1, memoryMiB: 256 }, moreNetworks: ['san', 'lan'], start: true });
  });
});
