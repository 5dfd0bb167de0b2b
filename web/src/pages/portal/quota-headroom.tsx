import { Badge, Table, Text, VisuallyHidden } from '@mantine/core';
import type { Headroom, Size } from './portal-types.ts';
import { Whole } from './whole-badge.tsx';

/** What an order of `quantity` × `size` costing `totalCcu` asks of each quota limit. */
export function orderAsks(size: Size, quantity: number, totalCcu: number): Record<keyof Headroom, number> {
  return {
    appliances: quantity,
    cpu: size.cpu * quantity,
    memoryMiB: size.memoryMiB * quantity,
    diskMiB: size.diskMiB * quantity,
    ccuPerMonth: totalCcu,
  };
}

/** The limits an ask goes over (the same comparison the server makes; null is unlimited). */
export function overLimits(room: Headroom, ask: Record<keyof Headroom, number>): Array<keyof Headroom> {
  return (Object.keys(ask) as Array<keyof Headroom>).filter((k) => {
    const left = room[k];
    return left !== null && ask[k] > left + 1e-9;
  });
}

export const LIMIT_LABELS: Record<keyof Headroom, string> = {
  appliances: 'Appliances',
  cpu: 'CPUs',
  memoryMiB: 'Memory (MiB)',
  diskMiB: 'Disk (MiB)',
  ccuPerMonth: 'CCU this month',
};

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(3));

/** One quota (the user's or their group's): what this order takes of each limit and what is left. */
export function QuotaHeadroom({ title, room, ask }: { title: string; room: Headroom; ask: Record<keyof Headroom, number> }) {
  const over = new Set(overLimits(room, ask));
  return (
    <Table.ScrollContainer minWidth={260}>
      <Table verticalSpacing={4} fz="sm" data-testid="quota-headroom">
        <Table.Caption>{title}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Limit</Table.Th>
            <Table.Th>Order</Table.Th>
            <Table.Th>Left</Table.Th>
            <Table.Th>
              <VisuallyHidden>Fits</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(Object.keys(LIMIT_LABELS) as Array<keyof Headroom>).map((k) => {
            const left = room[k];
            return (
              <Table.Tr key={k} data-limit={k}>
                <Table.Td>{LIMIT_LABELS[k]}</Table.Td>
                <Table.Td>{fmt(ask[k])}</Table.Td>
                <Table.Td>{left === null ? <Text span c="dimmed" size="sm">unlimited</Text> : fmt(Math.max(0, left))}</Table.Td>
                <Table.Td>
                  <Whole>{over.has(k) ? <Badge size="sm" color="red" variant="light">over</Badge> : <Badge size="sm" color="green" variant="light">ok</Badge>}</Whole>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
