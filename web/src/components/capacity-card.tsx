import { Anchor, Card, Group, Progress, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import type { Dashboard } from '../api/types.ts';

type VirtualizationCapacity = Dashboard['capacity'][number];

const TITLES: Record<VirtualizationCapacity['virtualization'], string> = {
  container: 'Containers',
  qemu: 'QEMU VMs',
  physical: 'Physical servers',
  sim: 'Simulated',
};

const gib = (mib: number) => (mib === 0 ? '0' : `${(mib / 1024).toLocaleString(undefined, { maximumFractionDigits: 1 })} GiB`);

/** One virtualization type's room: used and free CPU and memory, and a link to what runs there. */
export function CapacityCard({ c, appliancesTo }: { c: VirtualizationCapacity; appliancesTo: string }) {
  const title = TITLES[c.virtualization];
  return (
    <Card withBorder data-testid={`capacity-${c.virtualization}`}>
      <Stack gap="xs">
        <Group justify="space-between" align="baseline">
          <Title order={3} size="h5">{title}</Title>
          <Anchor component={Link} to={appliancesTo} size="sm">
            {c.units.toLocaleString()} {c.units === 1 ? 'appliance' : 'appliances'}
          </Anchor>
        </Group>
        <Text size="xs" c="dimmed">
          {c.hosts === 0 ? 'No host offers it' : `${c.liveHosts} of ${c.hosts} ${c.hosts === 1 ? 'host' : 'hosts'} live`}
          {c.freeUnits !== null && ` · ${c.freeUnits} idle ${c.freeUnits === 1 ? 'server' : 'servers'} free`}
        </Text>
        <Meter label="CPU" used={c.used.cpu} total={c.total.cpu} free={c.free.cpu} format={(n) => n.toLocaleString()} />
        <Meter label="Memory" used={c.used.memoryMiB} total={c.total.memoryMiB} free={c.free.memoryMiB} format={gib} />
      </Stack>
    </Card>
  );
}

function Meter({ label, used, total, free, format }: { label: string; used: number; total: number; free: number; format: (n: number) => string }) {
  const percent = total > 0 ? Math.min(100, (used / total) * 100) : 0;
  return (
    <div>
      <Group justify="space-between" gap={4} wrap="nowrap">
        <Text size="sm">{label}</Text>
        <Text size="xs" style={{ whiteSpace: 'nowrap' }}>{format(used)} of {format(total)} used</Text>
      </Group>
      {/* The figures say it in words; the bar is for the eye. */}
      <Progress.Root size="md" aria-hidden>
        <Progress.Section value={percent} color={percent > 90 ? 'red' : percent > 70 ? 'orange' : 'blue'} />
      </Progress.Root>
      <Text size="xs" c="dimmed" ta="right">{format(free)} free</Text>
    </div>
  );
}
