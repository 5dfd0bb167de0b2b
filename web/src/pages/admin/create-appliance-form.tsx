import { Alert, Button, Group, MultiSelect, NumberInput, Select, Stack, Switch, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, errorText, unwrap } from '../../api/client.ts';
import type { Appliance } from '../../api/types.ts';

const VIRTUALIZATIONS = [
  { value: 'any', label: 'Any (the cheapest to start)' },
  { value: 'container', label: 'Container' },
  { value: 'qemu', label: 'QEMU VM' },
  { value: 'physical', label: 'Physical server' },
  { value: 'sim', label: 'Simulated' },
] as const;
type Virtualization = (typeof VIRTUALIZATIONS)[number]['value'];

/**
 * Creates an appliance from a ready image (POST /appliances). Create stays disabled until it has
 * a name and an image; what else the server refuses (a name taken, one with a space) comes back
 * as its error, with its code. Its first network (eth0, its default route) and any further ones
 * (eth1, … in the order picked) come from the networks that exist; the first is not offered again.
 */
export function CreateApplianceForm({ onCreated }: { onCreated: (a: Appliance) => void | Promise<void> }) {
  const queryClient = useQueryClient();
  const images = useQuery({
    queryKey: ['images', 'for-appliances'],
    queryFn: async () => unwrap(await api.GET('/api/v1/images', { params: { query: { limit: 200 } } })),
  });
  const [name, setName] = useState('');
  const [imageId, setImageId] = useState<string | null>(null);
  const [virtualization, setVirtualization] = useState<Virtualization>('any');
  const [cpu, setCpu] = useState<number>(1);
  const [memoryMiB, setMemory] = useState<number>(256);
  const [start, setStart] = useState(true);
  const [network, setNetwork] = useState('default');
  const [moreNetworks, setMoreNetworks] = useState<string[]>([]);
  const networks = useQuery({
    queryKey: ['networks', 'for-appliances'],
    queryFn: async () => unwrap(await api.GET('/api/v1/networks', { params: { query: { limit: 200 } } })),
  });
  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/appliances', {
          body: {
            name: name.trim(),
            imageId: imageId ?? '',
            requirements: { cpu, memoryMiB, ...(virtualization === 'any' ? {} : { virtualization }) },
            ...(network === 'default' ? {} : { network }),
            ...(moreNetworks.length > 0 ? { moreNetworks } : {}),
            start,
          },
        }),
      ),
    onSuccess: async (a) => {
      await queryClient.invalidateQueries({ queryKey: ['appliances'] });
      await onCreated(a);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (ready) create.mutate();
  };
  const options = (images.data?.items ?? []).filter((i) => i.status.state === 'ready').map((i) => ({ value: i.id, label: i.name }));
  const ready = name.trim() !== '' && imageId !== null;
  const networkNames = (networks.data?.items ?? []).map((n) => n.name);
  const pickFirst = (v: string | null) => {
    const first = v ?? 'default';
    setNetwork(first);
    setMoreNetworks((m) => m.filter((x) => x !== first));
  };
  return (
    <form onSubmit={submit} aria-label="Create appliance">
      <Stack>
        {create.error && <Alert color="red" role="alert">{errorText(create.error)}</Alert>}
        {images.error && <Alert color="red" role="alert">Images: {errorText(images.error)}</Alert>}
        <TextInput
          label="Name"
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          description="Letters, digits, '.', '_' or '-', starting with a letter or digit"
          maxLength={63}
          data-autofocus
        />
        <Select
          label="Image"
          required
          data={options}
          value={imageId}
          onChange={setImageId}
          placeholder={images.isPending ? 'Loading…' : options.length === 0 ? 'No image is ready' : 'Pick an image'}
          searchable
          nothingFoundMessage="No ready image has that name"
        />
        <Select label="Virtualization" data={[...VIRTUALIZATIONS]} value={virtualization} onChange={(v) => setVirtualization((v as Virtualization | null) ?? 'any')} allowDeselect={false} />
        <Group grow>
          <Select label="Network" description="eth0, its default route" data={networkNames.length > 0 ? networkNames : ['default']} value={network} onChange={pickFirst} allowDeselect={false} />
          <MultiSelect
            label="Further networks"
            description="eth1, eth2, … in the order picked"
            data={networkNames.filter((n) => n !== network)}
            value={moreNetworks}
            onChange={setMoreNetworks}
            maxValues={7}
            placeholder={moreNetworks.length === 0 ? 'None' : undefined}
          />
        </Group>
        <Group grow>
          <NumberInput label="CPUs" min={1} max={256} value={cpu} onChange={(v) => setCpu(Number(v) || 1)} />
          <NumberInput label="Memory (MiB)" min={16} step={64} value={memoryMiB} onChange={(v) => setMemory(Number(v) || 16)} />
        </Group>
        <Switch label="Start at once" checked={start} onChange={(e) => setStart(e.currentTarget.checked)} />
        <Button type="submit" loading={create.isPending} disabled={!ready}>Create</Button>
      </Stack>
    </form>
  );
}
