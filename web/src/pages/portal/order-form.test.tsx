import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderInApp } from '../../test/render.tsx';
import { OrderForm } from './order-form.tsx';
import type { OrderBody, Product, Quote } from './portal-types.ts';

const product = (over: Partial<Product['spec']> & { id?: string; name?: string } = {}): Product => {
  const { id = '019a0000-0000-7000-8000-0000000000a1', name = 'small', ...spec } = over;
  return {
    id,
    name,
    version: 1,
    generation: 1,
    createdAt: '2026-03-01T00:00:00.000Z',
    updatedAt: '2026-03-01T00:00:00.000Z',
    spec: {
      description: 'A small Debian',
      imageId: 'img',
      kernelId: null,
      sizes: [
        { name: 's', cpu: 1, memoryMiB: 64, diskMiB: 0 },
        { name: 'm', cpu: 2, memoryMiB: 512, diskMiB: 1024 },
      ],
      virtualizations: ['container', 'qemu'],
      haAllowed: false,
      enabled: true,
      ...spec,
    },
    status: {},
  };
};

/**
 * The server's answer, computed from the body the way the API computes it for the test price
 * list (10 CCU per CPU, 8 per GiB, 2 for a container) and a quota of 2 appliances and 3 CPUs.
 */
function priceLikeTheServer(body: OrderBody): Quote {
  const size = body.size === 'm' ? { cpu: 2, memoryMiB: 512 } : { cpu: 1, memoryMiB: 64 };
  const q = body.quantity ?? 1;
  const perOne = size.cpu * 10 + (size.memoryMiB / 1024) * 8 + (body.virtualization === 'container' ? 2 : 0);
  const hours = (Date.parse(body.endAt) - Date.parse(body.startAt)) / 3_600_000;
  const breach = q > 2 ? `quota exceeded: appliances: asks ${q}, 2 left` : size.cpu * q > 3 ? `quota exceeded: cpu: asks ${size.cpu * q}, 3 left` : null;
  return {
    ccuPerHour: perOne * q,
    totalCcu: perOne * q * hours,
    currency: { code: 'EUR', amount: (perOne * q * hours) / 1000 },
    components: [{ component: 'cpu', quantity: size.cpu * q, ccuPerHour: size.cpu * q * 10 }],
    quota: { user: { appliances: 2, cpu: 3, memoryMiB: null, diskMiB: null, ccuPerMonth: 500 }, group: null },
    fits: breach === null,
    breach,
  };
}

function setup(products: Product[] = [product()], debounceMs = 10) {
  const quoted: OrderBody[] = [];
  const submitted: OrderBody[] = [];
  const quote = (body: OrderBody) => {
    quoted.push(body);
    return Promise.resolve(priceLikeTheServer(body));
  };
  const submit = (body: OrderBody) => {
    submitted.push(body);
    return Promise.resolve();
  };
  const now = () => new Date(2026, 2, 2, 9, 0);
  renderInApp(<OrderForm products={products} quote={quote} submit={submit} now={now} debounceMs={debounceMs} />);
  return { quoted, submitted, user: userEvent.setup() };
}

const submitButton = () => screen.getByRole('button', { name: 'Submit request' }) as HTMLButtonElement;
const quantity = () => screen.getByRole('textbox', { name: 'Quantity' });

describe('the order form', () => {
  it('prices the first choice at once and shows the price per hour, the total and the quota headroom', async () => {
    const { quoted } = setup();
    expect((await screen.findByTestId('price-per-hour')).textContent).toContain('12.5 CCU/h');
    expect(screen.getByTestId('total-ccu').textContent).toContain('25 CCU');
    expect(screen.getByTestId('quota-verdict').textContent).toContain('This order fits your quota.');
    const headroom = screen.getByTestId('quota-headroom');
    const cpu = within(headroom).getByText('CPUs').closest('tr') as HTMLElement;
    expect(within(cpu).getAllByRole('cell').map((c) => c.textContent)).toEqual(['CPUs', '1', '3', 'ok']);
    expect(within(within(headroom).getByText('Memory (MiB)').closest('tr') as HTMLElement).getByText('unlimited')).toBeTruthy();
    expect(quoted[0]).toEqual({
      productId: '019a0000-0000-7000-8000-0000000000a1',
      size: 's',
      quantity: 1,
      startAt: new Date(2026, 2, 2, 9, 0).toISOString(),
      endAt: new Date(2026, 2, 2, 11, 0).toISOString(),
      virtualization: 'container',
    });
    await waitFor(() => expect(submitButton().disabled).toBe(false));
  });

  it('disables submitting while a change is being priced and when the order does not fit, saying why', async () => {
    const { user, quoted } = setup();
    await waitFor(() => expect(submitButton().disabled).toBe(false));
    await user.clear(quantity());
    await user.type(quantity(), '3');
    await waitFor(() => expect(quoted.at(-1)?.quantity).toBe(3));
    const verdict = await screen.findByText('quota exceeded: appliances: asks 3, 2 left');
    expect(verdict.closest('[data-testid="quota-verdict"]')?.textContent).toContain('Does not fit');
    expect(submitButton().disabled).toBe(true);
    expect(screen.getByText('This order does not fit your quota.')).toBeTruthy();
    const appliances = within(screen.getByTestId('quota-headroom')).getByText('Appliances').closest('tr') as HTMLElement;
    expect(within(appliances).getByText('over')).toBeTruthy();
    // Like Horizon's flavor table, a size that would break the quota says so before it is picked.
    await user.clear(quantity());
    await user.type(quantity(), '2');
    await waitFor(() => expect(submitButton().disabled).toBe(false));
    const m = screen.getByTestId('sizes').querySelector('[data-size="m"]') as HTMLElement;
    expect(within(m).getByText(/over: CPUs/)).toBeTruthy();
    await user.click(within(m).getByRole('radio', { name: 'm' }));
    expect(submitButton().disabled).toBe(true);
    expect(await screen.findByText('quota exceeded: cpu: asks 4, 3 left')).toBeTruthy();
  });

  it('asks for one quote when the choices rest, not one per key', async () => {
    const { user, quoted } = setup([product()], 400);
    await waitFor(() => expect(quoted).toHaveLength(1));
    await user.clear(quantity());
    await user.type(quantity(), '12');
    await waitFor(() => expect(quoted.at(-1)?.quantity).toBe(12));
    expect(quoted.map((b) => b.quantity)).toEqual([1, 12]);
  });

  it('sends the choices as the body of the request: size, virtualization, HA, quantity and window', async () => {
    const { user, submitted } = setup([product({ haAllowed: true })]);
    await user.click(screen.getByRole('radio', { name: 'qemu' }));
    await user.click(screen.getByRole('switch', { name: /High availability/ }));
    await user.clear(quantity());
    await user.type(quantity(), '2');
    const end = screen.getByLabelText(/^End/);
    await user.clear(end);
    await user.type(end, '2026-03-02T15:30');
    await waitFor(() => expect(screen.getByTestId('total-ccu').textContent).toContain(`${(10 + 0.5) * 2 * 6.5} CCU`));
    await waitFor(() => expect(submitButton().disabled).toBe(false));
    await user.click(submitButton());
    await waitFor(() => expect(submitted).toHaveLength(1));
    expect(submitted[0]).toEqual({
      productId: '019a0000-0000-7000-8000-0000000000a1',
      size: 's',
      quantity: 2,
      startAt: new Date(2026, 2, 2, 9, 0).toISOString(),
      endAt: new Date(2026, 2, 2, 15, 30).toISOString(),
      virtualization: 'qemu',
      ha: true,
    });
  });

  it('offers HA only where the product allows it, and refuses a window that ends before it starts', async () => {
    const { user, quoted } = setup();
    expect(screen.queryByRole('switch', { name: /High availability/ })).toBeNull();
    await waitFor(() => expect(quoted).toHaveLength(1));
    const end = screen.getByLabelText(/^End/);
    await user.clear(end);
    await user.type(end, '2026-03-02T08:00');
    expect(await screen.findAllByText('The end must come after the start.')).not.toHaveLength(0);
    expect(submitButton().disabled).toBe(true);
    expect(quoted).toHaveLength(1);
  });
});
