import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../api/client.ts';
import { renderInApp } from '../../../test/render.tsx';
import type { Product, ProductBody } from './cloud-types.ts';
import { ProductForm } from './product-form.tsx';

const IMAGE = { value: '019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a5b', label: 'debian-12' };
const KERNEL = { value: '019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a60', label: 'vmlinuz-6.1' };

function form(opts: { product?: Product; fail?: ApiError } = {}) {
  const sent: ProductBody[] = [];
  renderInApp(
    <ProductForm
      product={opts.product}
      images={[IMAGE]}
      kernels={[KERNEL]}
      onSubmit={async (body) => {
        sent.push(body);
        if (opts.fail) throw opts.fail;
      }}
    />,
  );
  return sent;
}

const rows = () => screen.getAllByTestId('size-row');

async function pickImage(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByPlaceholderText('Pick an image'));
  await user.click(await screen.findByRole('option', { name: IMAGE.label, hidden: true }));
}

async function fill(user: ReturnType<typeof userEvent.setup>, input: HTMLElement, text: string) {
  await user.clear(input);
  if (text) await user.type(input, text);
}

describe('the product form', () => {
  it('edits the sizes (add, change, remove) and sends exactly the sizes shown', async () => {
    const user = userEvent.setup();
    const sent = form();
    await user.type(screen.getByRole('textbox', { name: /^Name/ }), 'web-server');
    await pickImage(user);
    expect(rows()).toHaveLength(1);
    await fill(user, within(rows()[0] as HTMLElement).getByLabelText('Size 1 name'), 'small');
    await user.click(screen.getByRole('button', { name: 'Add size' }));
    await user.click(screen.getByRole('button', { name: 'Add size' }));
    expect(rows()).toHaveLength(3);
    const second = rows()[1] as HTMLElement;
    await fill(user, within(second).getByLabelText('Size 2 name'), 'scratch');
    const third = rows()[2] as HTMLElement;
    await fill(user, within(third).getByLabelText('Size 3 name'), 'large');
    await fill(user, within(third).getByLabelText('CPUs'), '4');
    await fill(user, within(third).getByLabelText('Memory (MiB)'), '4096');
    await fill(user, within(third).getByLabelText('Disk (MiB)'), '20480');
    // The middle row goes; the one after it keeps what was typed into it.
    await user.click(screen.getByRole('button', { name: 'Remove size 2' }));
    expect(rows()).toHaveLength(2);
    expect((screen.getByLabelText('Size 2 name') as HTMLInputElement).value).toBe('large');
    await user.click(screen.getByRole('checkbox', { name: 'qemu' }));
    await user.click(screen.getByRole('switch', { name: 'HA may be asked for' }));
    await user.click(screen.getByRole('button', { name: 'Create product' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({
      name: 'web-server',
      description: '',
      imageId: IMAGE.value,
      kernelId: null,
      sizes: [
        { name: 'small', cpu: 1, memoryMiB: 256, diskMiB: 1024 },
        { name: 'large', cpu: 4, memoryMiB: 4096, diskMiB: 20480 },
      ],
      virtualizations: ['container', 'qemu'],
      haAllowed: true,
      enabled: true,
    });
  });

  it('shows every mistake at its field and sends nothing until they are fixed', async () => {
    const user = userEvent.setup();
    const sent = form();
    await user.type(screen.getByRole('textbox', { name: /^Name/ }), 'bad name');
    await fill(user, screen.getByLabelText('Size 1 name'), 'a');
    await fill(user, screen.getByLabelText('Memory (MiB)'), '8');
    await user.click(screen.getByRole('button', { name: 'Add size' }));
    await fill(user, screen.getByLabelText('Size 2 name'), 'a');
    await user.click(screen.getByRole('checkbox', { name: 'container' }));
    await user.click(screen.getByRole('button', { name: 'Create product' }));
    expect(await screen.findByText(/must be 1-63 letters/)).toBeTruthy();
    expect(screen.getByText('Pick an image')).toBeTruthy();
    expect(screen.getByText('At least 16')).toBeTruthy();
    expect(screen.getByText('Size names must be unique')).toBeTruthy();
    expect(screen.getByText('Offer at least one virtualization')).toBeTruthy();
    expect(sent).toEqual([]);

    await fill(user, screen.getByRole('textbox', { name: /^Name/ }), 'good-name');
    await pickImage(user);
    await fill(user, within(rows()[0] as HTMLElement).getByLabelText('Memory (MiB)'), '64');
    await fill(user, screen.getByLabelText('Size 2 name'), 'b');
    await user.click(screen.getByRole('checkbox', { name: 'sim' }));
    await user.click(screen.getByRole('button', { name: 'Create product' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]?.sizes.map((s) => [s.name, s.memoryMiB])).toEqual([['a', 64], ['b', 256]]);
    expect(sent[0]?.virtualizations).toEqual(['sim']);
  });

  it('will not send a product without a size', async () => {
    const user = userEvent.setup();
    const sent = form();
    await user.type(screen.getByRole('textbox', { name: /^Name/ }), 'empty');
    await pickImage(user);
    await user.click(screen.getByRole('button', { name: 'Remove size 1' }));
    await user.click(screen.getByRole('button', { name: 'Create product' }));
    expect(await screen.findByText('Offer at least one size')).toBeTruthy();
    expect(sent).toEqual([]);
  });

  it("opens a product with its sizes, keeps its name, and shows the server's refusal", async () => {
    const user = userEvent.setup();
    const product: Product = {
      id: '019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a70',
      name: 'small',
      version: 3,
      generation: 2,
      createdAt: '2026-03-02T08:00:00.000Z',
      updatedAt: '2026-03-02T08:00:00.000Z',
      spec: {
        description: 'A small one',
        imageId: IMAGE.value,
        kernelId: KERNEL.value,
        sizes: [{ name: 's', cpu: 1, memoryMiB: 64, diskMiB: 0 }, { name: 'm', cpu: 2, memoryMiB: 128, diskMiB: 0 }],
        virtualizations: ['container'],
        haAllowed: false,
        enabled: true,
      },
      status: {},
    };
    const sent = form({ product, fail: new ApiError(404, 'FY_NOT_FOUND', 'image 019a… does not exist') });
    expect((screen.getByRole('textbox', { name: /^Name/ }) as HTMLInputElement).disabled).toBe(true);
    expect(rows()).toHaveLength(2);
    await fill(user, within(rows()[1] as HTMLElement).getByLabelText('CPUs'), '3');
    await user.click(screen.getByRole('switch', { name: 'Enabled (users can order it)' }));
    await user.click(screen.getByRole('button', { name: 'Save product' }));
    expect((await screen.findByRole('alert')).textContent).toContain('FY_NOT_FOUND');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ name: 'small', kernelId: KERNEL.value, enabled: false, sizes: [product.spec.sizes[0], { name: 'm', cpu: 3, memoryMiB: 128, diskMiB: 0 }] });
  });
});
