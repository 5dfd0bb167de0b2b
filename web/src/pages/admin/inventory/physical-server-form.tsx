import { Button, Fieldset, Group, NumberInput, PasswordInput, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { NAME_PATTERN } from '../../../../../src/domain/name-pattern.ts';
import { api, unwrap } from '../../../api/client.ts';
import { ApiErrorAlert } from './api-error-alert.tsx';
import type { PhysicalServerBody, Resource } from './inventory-types.ts';

const MAC = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;
const HOSTNAME = /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const IPV6 = /^[0-9a-fA-F:.]{2,45}$/;

type Field = 'name' | 'hostId' | 'mac' | 'address' | 'port' | 'user' | 'password' | 'cpu' | 'memoryMiB' | 'diskMiB';
type Values = { name: string; hostId: string | null; mac: string; address: string; port: number | string; user: string; password: string; cpu: number | string; memoryMiB: number | string; diskMiB: number | string };

/** Whether a host can network-boot servers: its agent runs the physical driver. */
export const bootsServers = (h: Resource) => h.spec.virtualizations.includes('physical');

/**
 * Registers a physical server: the host whose boot service network-boots it, its boot NIC's
 * MAC, its BMC (the password is sealed at rest by the server and never shown again) and its
 * capacity. What the server refuses is shown with its code and the fields it names.
 */
export function PhysicalServerForm({ hosts, onDone }: { hosts: Resource[]; onDone: (server: Resource) => void }) {
  const queryClient = useQueryClient();
  const booting = hosts.filter(bootsServers);
  const [v, setV] = useState<Values>({
    name: '',
    hostId: booting.length === 1 ? (booting[0] as Resource).id : null,
    mac: '',
    address: '',
    port: 623,
    user: '',
    password: '',
    cpu: 1,
    memoryMiB: 1024,
    diskMiB: 0,
  });
  const [problems, setProblems] = useState<Partial<Record<Field, string>>>({});
  const set = <K extends keyof Values>(k: K) => (value: Values[K]) => setV((cur) => ({ ...cur, [k]: value }));
  const text = (k: 'name' | 'mac' | 'address' | 'user' | 'password') => ({
    value: v[k],
    onChange: (e: ChangeEvent<HTMLInputElement>) => set(k)(e.currentTarget.value),
    error: problems[k],
  });

  const register = useMutation({
    mutationFn: async (body: PhysicalServerBody) => unwrap(await api.POST('/api/v1/resources', { body })),
    onSuccess: async (server) => {
      await queryClient.invalidateQueries({ queryKey: ['resources'] });
      onDone(server);
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = check(v);
    setProblems(found);
    if (Object.keys(found).length > 0 || !v.hostId) return;
    register.mutate({
      name: v.name.trim(),
      hostId: v.hostId,
      mac: v.mac.trim(),
      bmc: { address: v.address.trim(), port: Number(v.port), user: v.user, password: v.password },
      capacity: { cpu: Number(v.cpu), memoryMiB: Number(v.memoryMiB), diskMiB: Number(v.diskMiB) },
    });
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Register a physical server">
      <Stack>
        {register.error && <ApiErrorAlert error={register.error} title="The server was not registered" />}
        <TextInput label="Name" required {...text('name')} data-autofocus />
        <Select
          label="Booted by host"
          description="The host whose boot service network-boots it"
          required
          data={hosts.map((h) => ({ value: h.id, label: bootsServers(h) ? h.name : `${h.name} (no network boot)`, disabled: !bootsServers(h) }))}
          value={v.hostId}
          onChange={set('hostId')}
          error={problems.hostId}
        />
        <TextInput label="MAC address" description="Of the NIC it network-boots from, e.g. 52:54:00:12:34:56" required {...text('mac')} />
        <Fieldset legend="BMC (IPMI)">
          <Stack gap="sm">
            <Group grow align="start">
              <TextInput label="BMC address" required {...text('address')} />
              <NumberInput label="BMC port" min={1} max={65535} value={v.port} onChange={set('port')} error={problems.port} maw={140} />
            </Group>
            <Group grow align="start">
              <TextInput label="BMC user" required autoComplete="off" {...text('user')} />
              <PasswordInput label="BMC password" required autoComplete="new-password" {...text('password')} />
            </Group>
          </Stack>
        </Fieldset>
        <SimpleGrid cols={{ base: 1, xs: 3 }}>
          <NumberInput label="CPUs" min={1} max={1024} value={v.cpu} onChange={set('cpu')} error={problems.cpu} />
          <NumberInput label="Memory (MiB)" min={16} step={1024} value={v.memoryMiB} onChange={set('memoryMiB')} error={problems.memoryMiB} />
          <NumberInput label="Disk (MiB)" min={0} step={1024} value={v.diskMiB} onChange={set('diskMiB')} error={problems.diskMiB} />
        </SimpleGrid>
        <Group justify="flex-end">
          <Button type="submit" loading={register.isPending}>Register</Button>
        </Group>
      </Stack>
    </form>
  );
}

const whole = (x: number | string, min: number, max = Number.MAX_SAFE_INTEGER) => typeof x === 'number' && Number.isInteger(x) && x >= min && x <= max;

function check(v: Values): Partial<Record<Field, string>> {
  const out: Partial<Record<Field, string>> = {};
  const name = v.name.trim();
  if (!name) out.name = 'Give the server a name';
  else if (!NAME_PATTERN.test(name)) out.name = "1-63 letters, digits, '.', '_' or '-', starting with a letter or digit";
  if (!v.hostId) out.hostId = 'Choose the host that boots it';
  if (!MAC.test(v.mac.trim())) out.mac = 'Six pairs of hex digits separated by colons';
  const address = v.address.trim();
  if (!address) out.address = 'The address of its BMC';
  else if (!HOSTNAME.test(address) && !(address.includes(':') && IPV6.test(address))) out.address = 'An IP address or a host name';
  if (!whole(v.port, 1, 65535)) out.port = 'A port from 1 to 65535';
  if (!/^[\x21-\x7e]{1,16}$/.test(v.user)) out.user = '1-16 printable characters, no spaces';
  if (!/^[\x20-\x7e]{1,20}$/.test(v.password)) out.password = '1-20 printable ASCII characters (the IPMI limit)';
  if (!whole(v.cpu, 1, 1024)) out.cpu = '1 to 1024';
  if (!whole(v.memoryMiB, 16)) out.memoryMiB = 'At least 16';
  if (!whole(v.diskMiB, 0)) out.diskMiB = '0 or more';
  return out;
}
