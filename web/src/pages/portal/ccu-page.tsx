import { Alert, Button, Card, Group, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, errorText, unwrap } from '../../api/client.ts';
import { ServerTable, type Column } from '../../components/server-table.tsx';
import { showTime } from './local-time.ts';
import type { Account, LedgerEntry } from './portal-types.ts';
import { chartData, UsageChart } from './usage-chart.tsx';

const ledgerColumns: Column<LedgerEntry>[] = [
  { header: 'When', cell: (e) => showTime(e.createdAt) },
  { header: 'What', cell: (e) => e.kind },
  { header: 'CCU', cell: (e) => e.amountCcu },
  { header: 'Note', cell: (e) => e.note, wide: true },
  { header: 'Usage', cell: (e) => (e.usage ? `${Math.round(e.usage.seconds / 60)} min at ${e.usage.ccuPerHourMilli / 1000} CCU/h` : ''), wide: true },
];

function forecastText(a: Account, now: Date): string {
  if (a.lastsUntil === null) return 'Nothing uses credits right now, so they last as long as you do not order.';
  if (Date.parse(a.lastsUntil) <= now.getTime()) return 'Your credits are used up: running requests end at the next posting.';
  return `At ${a.burnCcuPerHour} CCU per hour, your credits last until ${showTime(a.lastsUntil)}.`;
}

/** The statement's span as the API takes it: whole local days, `to` exclusive of the day after. */
function statementHref(from: string, to: string): string {
  const q = new URLSearchParams();
  if (from) q.set('from', new Date(`${from}T00:00`).toISOString());
  if (to) {
    const end = new Date(`${to}T00:00`);
    end.setDate(end.getDate() + 1);
    q.set('to', end.toISOString());
  }
  const s = q.toString();
  return `/api/v1/ccu/statement.csv${s ? `?${s}` : ''}`;
}

/** My CCU: the balance, how long it lasts, how it went (chart), the ledger and the statement. */
export default function CcuPage() {
  const [bucket, setBucket] = useState<'hour' | 'day'>('hour');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const account = useQuery({ queryKey: ['ccu', 'balance'], queryFn: async () => unwrap(await api.GET('/api/v1/ccu/balance')) });
  const usage = useQuery({
    queryKey: ['ccu', 'usage', bucket],
    queryFn: async () => unwrap(await api.GET('/api/v1/ccu/usage', { params: { query: { bucket } } })),
  });
  const a = account.data;
  const now = new Date();
  const data = a && usage.data ? chartData(usage.data, a, now) : null;
  const badRange = from !== '' && to !== '' && from > to;

  return (
    <Stack>
      <Title order={1} size="h2">My CCU</Title>
      {account.error && <Alert color="red" role="alert">{errorText(account.error)}</Alert>}
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Card withBorder>
          <Text size="xs" c="dimmed">Balance</Text>
          <Text fw={700} size="xl" data-testid="balance">{a ? `${a.balanceCcu} CCU` : '…'}</Text>
          {a && <Text size="xs" c="dimmed">≈ {a.amount} {a.currency}</Text>}
        </Card>
        <Card withBorder>
          <Text size="xs" c="dimmed">Using now</Text>
          <Text fw={700} size="xl" data-testid="burn">{a ? `${a.burnCcuPerHour} CCU/h` : '…'}</Text>
          {a && a.unpostedMilli > 0 && <Text size="xs" c="dimmed">{(a.unpostedMilli / 1000).toFixed(3)} CCU run up since the last posting</Text>}
        </Card>
        <Card withBorder>
          <Text size="xs" c="dimmed">Forecast</Text>
          <Text size="sm" data-testid="forecast">{a ? forecastText(a, now) : '…'}</Text>
        </Card>
      </SimpleGrid>

      <Card withBorder>
        <Group justify="space-between" mb="sm">
          <Title order={2} size="h4">Balance and use</Title>
          <SegmentedControl
            aria-label="Span of the chart"
            value={bucket}
            onChange={(v) => setBucket(v as 'hour' | 'day')}
            data={[{ value: 'hour', label: 'Last 48 hours' }, { value: 'day', label: 'Last 30 days' }]}
          />
        </Group>
        {usage.error && <Alert color="red" role="alert">{errorText(usage.error)}</Alert>}
        {data && a && (
          <UsageChart
            data={data}
            label={`Balance per ${bucket}: ${a.balanceCcu} CCU now; ${forecastText(a, now)}`}
          />
        )}
        <Text size="xs" c="dimmed" mt="xs">Solid line: the posted balance; bars: what was debited per {bucket}; dashed: the forecast at the current use.</Text>
      </Card>

      <Card withBorder>
        <Title order={2} size="h4" mb="sm">Statement</Title>
        <Group align="end" wrap="wrap">
          <TextInput type="date" label="From (optional)" value={from} onChange={(e) => setFrom(e.currentTarget.value)} w={180} />
          <TextInput type="date" label="To (optional)" value={to} onChange={(e) => setTo(e.currentTarget.value)} w={180} error={badRange ? 'after From' : undefined} />
          <Button component="a" href={statementHref(from, to)} download="ccu-statement.csv" variant="default" disabled={badRange} data-testid="statement-link">
            Download the statement (CSV)
          </Button>
        </Group>
        <Text size="xs" c="dimmed" mt="xs">Every entry with the usage that explains it, in milli-CCU and CCU.</Text>
      </Card>

      <Title order={2} size="h4">Ledger</Title>
      <ServerTable<LedgerEntry>
        queryKey={['ccu', 'ledger']}
        caption="My ledger, newest first"
        rowKey={(e) => e.id}
        columns={ledgerColumns}
        empty="No entries yet."
        fetchPage={async ({ cursor, limit }) => unwrap(await api.GET('/api/v1/ccu/ledger', { params: { query: { cursor, limit } } }))}
      />
    </Stack>
  );
}
