import { Alert, Card, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, errorText, unwrap } from '../../api/client.ts';
import { HostLeases } from './ha/host-leases.tsx';
import { N1Plan } from './ha/n1-plan.tsx';
import { useHosts } from './use-hosts.ts';

/**
 * High availability: the hosts' leases and fencing state, and the N+1 plan (GET /ha/plan, every
 * host failing alone). Its query key root `ha` is made stale by appliance, resource and ha events,
 * so the plan follows the fleet without polling.
 */
export default function HaPage() {
  const hosts = useHosts();
  const plan = useQuery({
    queryKey: ['ha', 'plan'],
    queryFn: async () => unwrap(await api.GET('/api/v1/ha/plan', { params: { query: {} } })),
    staleTime: 0,
  });
  return (
    <Stack>
      <Title order={1} size="h2">High availability</Title>
      <Text size="sm" c="dimmed">
        When a host fails it is fenced, and its HA appliances restart on other hosts that fit; the plan below says where, computed by the scheduler the failover uses.
      </Text>
      <Card withBorder component="section" aria-labelledby="leases-heading">
        <Title order={2} size="h4" mb="sm" id="leases-heading">Host leases</Title>
        {hosts.error && <Alert color="red" role="alert">{errorText(hosts.error)}</Alert>}
        {hosts.data ? <HostLeases hosts={hosts.data} /> : !hosts.error && <Skeleton h={80} />}
      </Card>
      <section aria-labelledby="plan-heading">
        <Title order={2} size="h4" mb="sm" id="plan-heading">N+1 plan</Title>
        {plan.error && <Alert color="red" role="alert" title="Could not load the plan">{errorText(plan.error)}</Alert>}
        {plan.data ? <N1Plan plan={plan.data} /> : !plan.error && <Skeleton h={160} />}
      </section>
    </Stack>
  );
}
