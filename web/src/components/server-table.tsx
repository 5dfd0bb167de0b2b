import { Alert, Button, Group, Select, Skeleton, Table, Text, TextInput } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { errorText } from '../api/client.ts';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  /** Hidden on a phone (narrow screens show the essential columns only). */
  wide?: boolean;
}

export interface Filter {
  /** The API's query parameter, also kept in the page's URL. */
  name: string;
  label: string;
  options?: { value: string; label: string }[];
}

export interface ServerTableProps<T> {
  /** The query key's root is the API collection ('appliances'), so live events refresh it. */
  queryKey: readonly unknown[];
  fetchPage: (q: { cursor?: string; limit: number; filters: Record<string, string> }) => Promise<Page<T>>;
  columns: Column<T>[];
  rowKey: (row: T) => string;
  filters?: Filter[];
  caption: string;
  pageSize?: number;
  empty?: string;
}

/**
 * A list that pages and filters on the server: one page of rows at a time (cursor pagination),
 * filters kept in the URL so a filtered view can be shared, the previous page shown while the
 * next loads. With 10,000 rows the browser holds 50 of them.
 */
export function ServerTable<T>({ queryKey, fetchPage, columns, rowKey, filters = [], caption, pageSize = 50, empty = 'Nothing here yet.' }: ServerTableProps<T>) {
  const [params, setParams] = useSearchParams();
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const active: Record<string, string> = {};
  for (const f of filters) {
    const v = params.get(f.name);
    if (v) active[f.name] = v;
  }
  const query = useQuery({
    queryKey: [...queryKey, 'page', active, cursor ?? null, pageSize],
    queryFn: () => fetchPage({ cursor, limit: pageSize, filters: active }),
    placeholderData: keepPreviousData,
  });
  const setFilter = (name: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
    setCursors([]);
  };
  const rows = query.data?.items ?? [];

  return (
    <div>
      {filters.length > 0 && (
        <Group mb="sm" align="end" wrap="wrap">
          {filters.map((f) =>
            f.options ? (
              <Select key={f.name} label={f.label} data={f.options} value={active[f.name] ?? null} onChange={(v) => setFilter(f.name, v)} clearable w={180} />
            ) : (
              <FilterText key={f.name} filter={f} value={active[f.name] ?? ''} onCommit={(v) => setFilter(f.name, v)} />
            ),
          )}
        </Group>
      )}
      {query.error && <Alert color="red" title="Could not load" role="alert">{errorText(query.error)}</Alert>}
      <Table.ScrollContainer minWidth={320}>
        <Table striped highlightOnHover verticalSpacing="xs" aria-busy={query.isFetching}>
          <Table.Caption>{caption}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              {columns.map((c) => (
                <Table.Th key={c.header} visibleFrom={c.wide ? 'sm' : undefined}>{c.header}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {query.isPending &&
              Array.from({ length: 3 }, (_, i) => (
                <Table.Tr key={i}>
                  {columns.map((c) => (
                    <Table.Td key={c.header} visibleFrom={c.wide ? 'sm' : undefined}><Skeleton h={16} /></Table.Td>
                  ))}
                </Table.Tr>
              ))}
            {rows.map((row) => (
              <Table.Tr key={rowKey(row)} data-testid="row">
                {columns.map((c) => (
                  <Table.Td key={c.header} visibleFrom={c.wide ? 'sm' : undefined}>{c.cell(row)}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {!query.isPending && rows.length === 0 && <Text c="dimmed" my="md">{empty}</Text>}
      <Group justify="space-between" mt="sm">
        <Text size="sm" c="dimmed">Page {cursors.length + 1}</Text>
        <Group gap="xs">
          <Button size="xs" variant="default" disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>Previous</Button>
          <Button size="xs" variant="default" disabled={!query.data?.nextCursor} onClick={() => {
            const next = query.data?.nextCursor;
            if (next) setCursors((c) => [...c, next]);
          }}>Next</Button>
        </Group>
      </Group>
    </div>
  );
}

/** A text filter applied on Enter or when it loses focus, not on every key (one request per change). */
function FilterText({ filter, value, onCommit }: { filter: Filter; value: string; onCommit: (v: string) => void }) {
  const [text, setText] = useState(value);
  const commit = () => {
    if (text.trim() !== value) onCommit(text.trim());
  };
  return (
    <TextInput
      label={filter.label}
      value={text}
      onChange={(e) => setText(e.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(e) => e.key === 'Enter' && commit()}
      w={200}
    />
  );
}
