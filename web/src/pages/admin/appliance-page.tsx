import { Alert, Anchor, Button, Card, Code, Group, Modal, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, errorText, unwrap } from '../../api/client.ts';
import type { Appliance } from '../../api/types.ts';
import { PhaseBadge } from '../../components/phase-badge.tsx';
import { formatLabels } from '../../../../src/domain/placement-constraints.ts';
import { ApplianceChecks } from './appliance-checks.tsx';
import { ApplianceConfiguration } from './appliance-configuration.tsx';
import { ApplianceConsole } from './appliance-console.tsx';
import { interfacesText } from './appliance-interfaces.ts';
import { AppliancePlacement } from './appliance-placement.tsx';
import { useHosts, virtualizationOf } from './use-hosts.ts';

const TARGETS = ['container', 'qemu', 'physical', 'sim'] as const;
type Target = (typeof TARGETS)[number];

/**
 * One appliance as it changes (its query is refreshed by its live events): start, stop, move to
 * another virtualization, delete (after a confirmation), why it waits when it is not placed and
 * where the scheduler would put it (host by host), its health checks, what its configuration
 * groups make of it and its console.
 */
export default function AppliancePage() {
  const { id = '' } = useParams();
  // Once this page asked for the deletion it is on its way out: it reads nothing more, since the
  // appliance may be gone before the answer comes back.
  const [leaving, setLeaving] = useState(false);
  const appliance = useQuery({
    queryKey: ['appliances', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/appliances/{id}', { params: { path: { id } } })),
    enabled: !leaving,
  });
  const [consoleOpen, setConsoleOpen] = useState(false);
  if (appliance.error) {
    return (
      <Stack>
        <Title order={1} size="h2">Appliance</Title>
        <Alert color="red" role="alert">{errorText(appliance.error)}</Alert>
        <Anchor component={Link} to="/admin/appliances">All appliances</Anchor>
      </Stack>
    );
  }
  const a = appliance.data;
  if (!a) return <Text>Loading…</Text>;
  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Group gap="sm">
          <Title order={1} size="h2">{a.name}</Title>
          <PhaseBadge phase={a.status.phase} />
        </Group>
        <Actions a={a} onLeaving={setLeaving} />
      </Group>
      <Waiting a={a} />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Details a={a} />
        <Card withBorder>
          <Stack gap={4}>
            <Text size="sm"><b>Desired:</b> {a.spec.desiredState}</Text>
            <Text size="sm"><b>Image:</b> <Code>{a.spec.imageId}</Code></Text>
            <Text size="sm"><b>Network:</b> {a.spec.network} · <b>hostname</b> {a.spec.hostname}</Text>
            <Text size="sm"><b>Id:</b> <Code>{a.id}</Code></Text>
            {a.spec.configGroups && a.spec.configGroups.length > 0 && (
              <Text size="sm" data-testid="config">
                <b>Configuration:</b> {configText(a)}
              </Text>
            )}
          </Stack>
        </Card>
      </SimpleGrid>
      <AppliancePlacement applianceId={a.id} enabled={!leaving} />
      <ApplianceChecks applianceId={a.id} enabled={!leaving} />
      <ApplianceConfiguration applianceId={a.id} enabled={!leaving} />
      <Group>
        <Button variant="default" aria-expanded={consoleOpen} aria-controls="appliance-console" onClick={() => setConsoleOpen((o) => !o)}>
          {consoleOpen ? 'Hide console' : 'Show console'}
        </Button>
      </Group>
      {consoleOpen && (
        <div id="appliance-console">
          <ApplianceConsole applianceId={a.id} placed={a.status.hostId !== null} />
        </div>
      )}
    </Stack>
  );
}

function Details({ a }: { a: Appliance }) {
  const hosts = useHosts();
  const host = a.status.hostId ? (hosts.data?.find((h) => h.id === a.status.hostId)?.name ?? a.status.hostId) : '—';
  const r = a.spec.requirements;
  return (
    <Card withBorder>
      <Stack gap={4}>
        <Text size="sm"><b>Address:</b> <span data-testid="address">{a.status.address ?? '—'}</span></Text>
        <Text size="sm"><b>Interfaces:</b> <span data-testid="interfaces">{interfacesText(a)}</span></Text>
        <Text size="sm"><b>Host:</b> {host}</Text>
        <Text size="sm"><b>HA:</b> {a.spec.ha ? 'yes: restarted elsewhere when its host fails, and when a check turns hard CRITICAL' : 'no'}</Text>
        {a.spec.placement && (
          <Text size="sm" data-testid="placement">
            <b>Placement:</b> {placementText(a.spec.placement)}
          </Text>
        )}
        <Text size="sm"><b>Virtualization:</b> {virtualizationOf(a)}{r.virtualization === 'any' ? ' (asked: any)' : ''}</Text>
        <Text size="sm"><b>Size:</b> {r.cpu} CPU, {r.memoryMiB} MiB, {r.diskMiB} MiB disk</Text>
        {a.status.startedAt && <Text size="sm"><b>Started:</b> {new Date(a.status.startedAt).toLocaleString()}</Text>}
        {a.status.lastMove && (
          <Text size="sm">
            <b>Last move:</b> {a.status.lastMove.from ?? '?'} → {a.status.lastMove.to}: {a.status.lastMove.outcome}
            {a.status.lastMove.reason ? ` (${a.status.lastMove.reason})` : ''}
          </Text>
        )}
        {a.status.lastRestart && (
          <Text size="sm" data-testid="last-restart">
            <b>Last restart:</b> {a.status.lastRestart.outcome} at {new Date(a.status.lastRestart.at).toLocaleTimeString()} ({a.status.lastRestart.reason})
          </Text>
        )}
      </Stack>
    </Card>
  );
}

/** Each configuration group it carries with how its last application went. */
function configText(a: Appliance): string {
  return (a.spec.configGroups ?? [])
    .map((g) => {
      const c = a.status.config?.find((x) => x.group === g);
      return c ? `${g} ${c.state} (revision ${c.revision}${c.state === 'failed' ? `: ${c.message}` : ''})` : `${g} (not applied yet)`;
    })
    .join(' · ');
}

function placementText(p: NonNullable<Appliance['spec']['placement']>): string {
  const parts = [
    Object.keys(p.hostLabels).length > 0 ? `hosts labelled ${formatLabels(p.hostLabels)}` : null,
    p.antiAffinity ? `never beside another of anti-affinity group ${p.antiAffinity}` : null,
    p.policy ? `ranked by ${p.policy}` : null,
  ].filter((x) => x !== null);
  return parts.join('; ') || 'anywhere';
}

/**
 * Why an appliance is not where it should be: the reconciler's message (a placement that found
 * no room says what it looked for) and its retry — when it tries again, or what change it waits for.
 */
function Waiting({ a }: { a: Appliance }) {
  const retry = a.status.retry;
  const message = a.status.message ?? retry?.lastError ?? null;
  if (!message) return null;
  const failed = a.status.phase === 'failed';
  const title = a.status.phase === 'pending' ? 'Waiting to be placed' : failed ? 'Failed' : 'Status';
  return (
    <Alert color={failed ? 'red' : 'yellow'} title={title} data-testid="waiting">
      <Stack gap={2}>
        <Text size="sm">{message}</Text>
        {retry && (
          <Text size="sm" c="dimmed" data-testid="retry">
            {retry.attempts} {retry.attempts === 1 ? 'attempt' : 'attempts'} so far;{' '}
            {retry.waitingFor
              ? `it is tried again when a ${retry.waitingFor} changes`
              : retry.nextAttemptAt
                ? `next attempt at ${new Date(retry.nextAttemptAt).toLocaleTimeString()}`
                : 'no further attempt is planned until its spec changes'}
            .
          </Text>
        )}
      </Stack>
    </Alert>
  );
}

function Actions({ a, onLeaving }: { a: Appliance; onLeaving: (leaving: boolean) => void }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [confirming, confirm] = useDisclosure(false);
  const [moving, move] = useDisclosure(false);
  const [target, setTarget] = useState<Target | null>(null);
  const action = useMutation({
    mutationFn: async (verb: 'start' | 'stop' | 'delete' | 'move') => {
      const path = { path: { id: a.id } };
      if (verb === 'delete') return unwrap(await api.DELETE('/api/v1/appliances/{id}', { params: path }));
      if (verb === 'move') return unwrap(await api.POST('/api/v1/appliances/{id}/move', { params: path, body: { to: target ?? 'container' } }));
      return unwrap(await api.POST(verb === 'start' ? '/api/v1/appliances/{id}/start' : '/api/v1/appliances/{id}/stop', { params: path }));
    },
    onMutate: (verb) => {
      if (verb === 'delete') onLeaving(true);
    },
    onError: () => onLeaving(false),
    onSuccess: async (answer, verb) => {
      if (verb === 'delete') return navigate('/admin/appliances');
      // The answer is the appliance as it now stands; its events bring what follows.
      queryClient.setQueryData(['appliances', a.id], answer);
      if (verb === 'move') move.close();
    },
  });
  const deleting = a.deletionRequestedAt !== null;
  const current = a.status.virtualization ?? a.spec.requirements.virtualization;
  return (
    <Stack gap={4} align="flex-end">
      <Group gap="xs">
        <Button variant="default" onClick={() => action.mutate('start')} disabled={deleting || a.spec.desiredState === 'running'}>Start</Button>
        <Button variant="default" onClick={() => action.mutate('stop')} disabled={deleting || a.spec.desiredState === 'stopped'}>Stop</Button>
        <Button variant="default" onClick={move.open} disabled={deleting}>Move</Button>
        <Button color="red" variant="light" onClick={confirm.open} disabled={deleting}>Delete</Button>
      </Group>
      {action.error && !confirming && !moving && <Alert color="red" role="alert">{errorText(action.error)}</Alert>}
      <Modal opened={confirming} onClose={confirm.close} title={`Delete ${a.name}?`}>
        <Stack>
          <Text size="sm">Its runtime, its clone of the image and its address are released, then it is gone. This cannot be undone.</Text>
          {action.error && <Alert color="red" role="alert">{errorText(action.error)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={confirm.close}>Cancel</Button>
            <Button color="red" loading={action.isPending} onClick={() => action.mutate('delete')}>Delete {a.name}</Button>
          </Group>
        </Stack>
      </Modal>
      <Modal opened={moving} onClose={move.close} title={`Move ${a.name}`}>
        <Stack>
          <Text size="sm">It stops, its data is converted, and it starts on the other virtualization with the same address and name; if that fails, it goes back where it was.</Text>
          <Select label="Move to" data={TARGETS.filter((t) => t !== current).map((t) => ({ value: t, label: t }))} value={target} onChange={(v) => setTarget(v as Target | null)} />
          {action.error && <Alert color="red" role="alert">{errorText(action.error)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={move.close}>Cancel</Button>
            <Button loading={action.isPending} disabled={!target} onClick={() => action.mutate('move')}>Move</Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
