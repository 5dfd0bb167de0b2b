import { Button, Checkbox, Fieldset, Group, NumberInput, PasswordInput, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { NAME_PATTERN } from '../../../../../src/domain/name-pattern.ts';
import { api, unwrap } from '../../../api/client.ts';
import { ApiErrorAlert } from './api-error-alert.tsx';
import type { Network, NetworkCreateBody, NetworkPatchBody } from './inventory-types.ts';

type Backend = 'none' | 'embedded' | 'rfc2136';
interface Values {
  name: string;
  bridge: string;
  cidr: string;
  gateway: string;
  excluded: string;
  ipv6: string;
  ipv6Gateway: string;
  backend: Backend;
  zone: string;
  server: string;
  port: number | string;
  keyName: string;
  keyAlgorithm: string;
  keySecret: string;
  mtu: number | string;
  spansHosts: boolean;
}

const ranges = (text: string) =>
  text
    .split(/[\s,;]+/)
    .filter(Boolean)
    .map((r) => {
      const [first = '', last] = r.split(/-(?=[^-]*$)/);
      return { first, last: last ?? first };
    });

function valuesOf(n: Network | null): Values {
  const dns = n?.spec.dns ?? null;
  return {
    name: n?.name ?? '',
    bridge: n?.spec.bridge ?? '',
    cidr: n?.spec.cidr ?? '',
    gateway: n?.spec.gateway ?? '',
    excluded: (n?.spec.excluded ?? []).map((r) => `${r.first}-${r.last}`).join(', '),
    ipv6: n?.spec.ipv6?.cidr ?? '',
    ipv6Gateway: n?.spec.ipv6?.gateway ?? '',
    backend: dns ? dns.backend : 'none',
    zone: dns?.zone ?? '',
    server: dns?.backend === 'rfc2136' ? dns.server : '',
    port: dns?.backend === 'rfc2136' ? dns.port : 53,
    keyName: dns?.backend === 'rfc2136' ? dns.keyName : '',
    keyAlgorithm: dns?.backend === 'rfc2136' ? dns.keyAlgorithm : 'hmac-sha256',
    keySecret: '',
    mtu: n?.spec.mtu ?? '',
    spansHosts: Boolean(n?.spec.vxlan),
  };
}

/**
 * Makes a network, or changes one (`network` given) with the version it was read at. The
 * server checks everything (pools inside their CIDR, no overlap with another network, a bridge
 * of its own, nothing renumbered while appliances hold addresses) and what it refuses is shown
 * with its code and message. A TSIG secret is sent once and never shown again: left empty on a
 * change, the stored one stays.
 */
export function NetworkForm({ network, onDone }: { network: Network | null; onDone: (n: Network) => void }) {
  const queryClient = useQueryClient();
  const [v, setV] = useState<Values>(() => valuesOf(network));
  const [nameProblem, setNameProblem] = useState<string | undefined>();
  const configured = network?.spec.origin === 'configuration';
  const set = <K extends keyof Values>(k: K) => (value: Values[K]) => setV((cur) => ({ ...cur, [k]: value }));
  const text = (k: 'name' | 'bridge' | 'cidr' | 'gateway' | 'excluded' | 'ipv6' | 'ipv6Gateway' | 'zone' | 'server' | 'keyName') => ({
    value: v[k],
    onChange: (e: ChangeEvent<HTMLInputElement>) => set(k)(e.currentTarget.value),
  });

  // An MTU left at the default follows it: VXLAN takes 50 bytes of every frame.
  const spanHosts = (spans: boolean) =>
    setV((cur) => ({ ...cur, spansHosts: spans, mtu: cur.mtu === (spans ? 1500 : 1450) ? (spans ? 1450 : 1500) : cur.mtu }));

  const save = useMutation({
    mutationFn: async (body: NetworkCreateBody | NetworkPatchBody) =>
      network
        ? unwrap(await api.PATCH('/api/v1/networks/{id}', { params: { path: { id: network.id } }, body: body as NetworkPatchBody }))
        : unwrap(await api.POST('/api/v1/networks', { body: body as NetworkCreateBody })),
    onSuccess: async (n) => {
      await queryClient.invalidateQueries({ queryKey: ['networks'] });
      onDone(n);
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const name = v.name.trim();
    if (!network) {
      const problem = !name ? 'Give the network a name' : NAME_PATTERN.test(name) ? undefined : "1-63 letters, digits, '.', '_' or '-', starting with a letter or digit";
      setNameProblem(problem);
      if (problem) return;
    }
    const dns =
      v.backend === 'none'
        ? null
        : v.backend === 'embedded'
          ? { backend: 'embedded' as const, zone: v.zone.trim() }
          : {
              backend: 'rfc2136' as const,
              zone: v.zone.trim(),
              server: v.server.trim(),
              port: Number(v.port),
              keyName: v.keyName.trim(),
              keyAlgorithm: v.keyAlgorithm as 'hmac-sha256' | 'hmac-sha512',
              ...(v.keySecret ? { keySecret: v.keySecret.trim() } : {}),
            };
    const ipv6 = v.ipv6.trim() ? { cidr: v.ipv6.trim(), ...(v.ipv6Gateway.trim() ? { gateway: v.ipv6Gateway.trim() } : {}) } : null;
    const common = {
      ...(configured ? {} : { bridge: v.bridge.trim(), ...(v.cidr.trim() ? { cidr: v.cidr.trim() } : network ? { cidr: null } : {}), ...(v.gateway.trim() ? { gateway: v.gateway.trim() } : {}), excluded: ranges(v.excluded) }),
      ipv6,
      dns,
      ...(v.mtu === '' ? {} : { mtu: Number(v.mtu) }),
      spansHosts: v.spansHosts,
    };
    save.mutate(network ? { version: network.version, ...common } : ({ name, ...common } as NetworkCreateBody));
  };

  return (
    <form onSubmit={submit} noValidate aria-label={network ? `Change network ${network.name}` : 'Create a network'}>
      <Stack>
        {save.error && <ApiErrorAlert error={save.error} title={network ? 'The network was not changed' : 'The network was not created'} />}
        {!network && <TextInput label="Name" required {...text('name')} error={nameProblem} data-autofocus />}
        {configured && <Text size="sm" c="dimmed">This network comes from the server&apos;s configuration: its bridge and IPv4 pool are changed there.</Text>}
        <SimpleGrid cols={{ base: 1, xs: 2 }}>
          <TextInput label="Bridge" description="The Linux bridge on each host" required disabled={configured} {...text('bridge')} />
          <TextInput label="IPv4 CIDR" description="Prefix length 8..30, e.g. 169.254.80.0/24; empty, with an IPv6 CIDR, for an IPv6-only network" disabled={configured} {...text('cidr')} />
          <TextInput label="IPv4 gateway" description="Default: the first host address" disabled={configured} {...text('gateway')} />
          <TextInput label="Excluded IPv4 ranges" description="first-last, comma separated" disabled={configured} {...text('excluded')} />
          <TextInput label="IPv6 CIDR" description="Optional: fd00::/8, prefix length 64..120" {...text('ipv6')} />
          <TextInput label="IPv6 gateway" description="Default: the first address" {...text('ipv6Gateway')} />
        </SimpleGrid>
        <Fieldset legend="DNS">
          <Stack gap="sm">
            <Group grow align="start">
              <Select
                label="DNS backend"
                data={[{ value: 'none', label: 'None' }, { value: 'embedded', label: 'Embedded (on each host)' }, { value: 'rfc2136', label: 'RFC 2136 updates to a server' }]}
                value={v.backend}
                onChange={(b) => set('backend')((b ?? 'none') as Backend)}
                allowDeselect={false}
              />
              {v.backend !== 'none' && <TextInput label="DNS zone" required {...text('zone')} />}
            </Group>
            {v.backend === 'rfc2136' && (
              <>
                <Group grow align="start">
                  <TextInput label="DNS server" required {...text('server')} />
                  <NumberInput label="DNS port" min={1} max={65535} value={v.port} onChange={set('port')} maw={140} />
                </Group>
                <Group grow align="start">
                  <TextInput label="TSIG key name" required {...text('keyName')} />
                  <Select label="TSIG algorithm" data={['hmac-sha256', 'hmac-sha512']} value={v.keyAlgorithm} onChange={(a) => set('keyAlgorithm')(a ?? 'hmac-sha256')} allowDeselect={false} />
                </Group>
                <PasswordInput
                  label="TSIG secret"
                  description={network?.spec.dns?.backend === 'rfc2136' ? 'Base64; leave empty to keep the stored one (never shown)' : 'Base64, as tsig-keygen prints it; never shown again'}
                  autoComplete="new-password"
                  value={v.keySecret}
                  onChange={(e) => set('keySecret')(e.currentTarget.value)}
                />
              </>
            )}
          </Stack>
        </Fieldset>
        <Group grow align="end">
          <NumberInput label="MTU" description="1280..9000; default 1500, or 1450 when it spans hosts" min={1280} max={9000} value={v.mtu} onChange={set('mtu')} />
          <Checkbox label="Spans hosts (VXLAN)" checked={v.spansHosts} onChange={(e) => spanHosts(e.currentTarget.checked)} mb={8} />
        </Group>
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>{network ? 'Save' : 'Create'}</Button>
        </Group>
      </Stack>
    </form>
  );
}
