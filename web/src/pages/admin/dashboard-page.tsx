import { Alert, Anchor, Card, Group, SegmentedControl, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, errorText, unwrap } from '../../api/client.ts';
import type { Dashboard } from '../../api/types.ts';
import { CapacityCard } from '../../components/capacity-card.tsx';
import { CcuBurnChart } from '../../components/ccu-burn-chart.tsx';
import { CountTiles } from '../../components/count-tiles.tsx';
import { RecentEvents } from '../../components/recent-events.tsx';
import { Link } from 'react-router';
import { ToleranceBadge } from './ha/n1-plan.tsx';

/**
 * The lists each figure leads to, with their filters as URL parameters (ServerTable keeps filters
 * in the URL): the appliances page here, the hosts, resources and cloud request pages of the
 * console.
 */
const LISTS = {
  appliances: '/admin/appliances',
  hosts: '/admin/resources',
  servers: '/admin/resources',
  requests: '/admin/requests',
} as const;

const filtered = (list: string, name: string, value: string) => `${list}?${new URLSearchParams({ [name]: value }).toString()}`;
const entries = (counts: Record<string, number>) => Object.entries(counts);

const ccu = (milli: number) => (milli / 1000).toLocaleString(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 3 });

/**
 * The data center at a glance, from one answer (GET /dashboard, aggregated by the database). Its
 * query key starts with 'dashboard', which appliance, resource, request and billing events make
 * stale: it refetches when something changed (the live stream batches bursts), never on a timer.
 */
export default function DashboardPage() {
  const [hours, setHours] = useState('24');
  const dashboard = useQuery({
    queryKey: ['dashboard', Number(hours)],
    queryFn: async () => unwrap(await api.GET('/api/v1/dashboard', { params: { query: { hours: Number(hours) } } })),
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
  const d = dashboard.data;
  return (
    <Stack>
      <Group justify="space-between" align="baseline">
        <Title order={1} size="h2">Dashboard</Title>
        {d && <Text size="sm" c="dimmed" data-testid="dashboard-as-of">as of {new Date(d.generatedAt).toLocaleTimeString()}</Text>}
      </Group>
      {dashboard.error && <Alert color="red" role="alert" title="Could not load the figures">{errorText(dashboard.error)}</Alert>}
      {!d && !dashboard.error && <Skeleton h={240} />}
      {d && <Figures d={d} hours={hours} onHours={setHours} />}
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">Recent events</Title>
        <RecentEvents />
      </Card>
    </Stack>
  );
}

function Figures({ d, hours, onHours }: { d: Dashboard; hours: string; onHours: (h: string) => void }) {
  return (
    <>
      <section aria-labelledby="capacity-heading">
        <Title order={2} size="h4" mb="xs" id="capacity-heading">Capacity</Title>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: d.capacity.length > 3 ? 4 : 3 }}>
          {d.capacity.map((c) => (
            <CapacityCard key={c.virtualization} c={c} appliancesTo={filtered(LISTS.appliances, 'virtualization', c.virtualization)} />
          ))}
        </SimpleGrid>
      </section>
      <Card withBorder data-testid="ha">
        <Group gap="sm" wrap="wrap">
          <Title order={2} size="h4">High availability</Title>
          <ToleranceBadge tolerates={d.ha.tolerates} />
          <Text size="sm">
            {d.ha.haAppliances} HA appliances
            {d.ha.worst && `; if ${d.ha.worst.host.name} failed, ${d.ha.worst.unplaced} could not restart`}
          </Text>
          <Anchor component={Link} to="/admin/ha" size="sm">See the N+1 plan</Anchor>
        </Group>
      </Card>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <CountTiles
          title="Appliances"
          testId="appliances"
          total={d.appliances.total}
          totalLabel="in all"
          totalTo={LISTS.appliances}
          items={entries(d.appliances.byPhase).map(([phase, count]) => ({ label: phase, count, to: filtered(LISTS.appliances, 'phase', phase) }))}
        />
        <CountTiles
          title="Cloud requests"
          testId="requests"
          total={d.requests.total}
          totalLabel="in all"
          totalTo={LISTS.requests}
          items={entries(d.requests.byState).map(([state, count]) => ({ label: state, count, to: filtered(LISTS.requests, 'state', state) }))}
        />
        <CountTiles
          title="Hosts"
          testId="hosts"
          total={d.hosts.total}
          totalLabel={`in all, ${d.hosts.live} live`}
          totalTo={LISTS.hosts}
          items={[
            ...entries(d.hosts.byState).map(([state, count]) => ({ label: state, count, to: filtered(LISTS.hosts, 'state', state) })),
            ...entries(d.hosts.byPower).map(([power, count]) => ({ label: `power ${power}`, count, to: filtered(LISTS.hosts, 'powerState', power) })),
          ]}
        />
        <CountTiles
          title="Physical servers"
          testId="servers"
          total={d.servers.total}
          totalLabel={`in all, ${d.servers.inUse} in use`}
          totalTo={filtered(LISTS.servers, 'type', 'physical')}
          items={[
            ...entries(d.servers.byState).map(([state, count]) => ({ label: state, count, to: `${filtered(LISTS.servers, 'type', 'physical')}&state=${state}` })),
            ...entries(d.servers.byPower).map(([power, count]) => ({ label: `power ${power}`, count, to: `${filtered(LISTS.servers, 'type', 'physical')}&powerState=${power}` })),
          ]}
        />
      </SimpleGrid>
      <Card withBorder data-testid="ccu">
        <Stack gap="xs">
          <Group justify="space-between" align="baseline" wrap="wrap">
            <Title order={2} size="h4">CCU burn</Title>
            <SegmentedControl size="xs" value={hours} onChange={onHours} data={[{ value: '24', label: '24 h' }, { value: '48', label: '48 h' }]} aria-label="Hours shown" />
          </Group>
          <Group gap="xl" wrap="wrap">
            <Text size="sm">
              Burning now: <Text span fw={700} data-testid="ccu-burn-now">{ccu(d.ccu.burnMilliPerHour)}</Text> CCU per hour
            </Text>
            <Text size="sm">
              Debited in the last {d.ccu.hours} h: <Text span fw={700} data-testid="ccu-debited">{ccu(d.ccu.debitedMilli)}</Text> CCU
            </Text>
          </Group>
          <CcuBurnChart series={d.ccu.series} />
        </Stack>
      </Card>
    </>
  );
}
