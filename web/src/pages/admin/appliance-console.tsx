import { Alert, Button, Card, Group, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { ApiError, api, errorText, unwrap } from '../../api/client.ts';
import { inBackground } from '../../api/background.ts';
import { useLiveConnected, useLiveEvent } from '../../live/live-events.tsx';

/** What the first read shows, and how much of the console the page keeps as it grows. */
const TAIL_BYTES = 16_384;
const KEEP_CHARS = 65_536;
/** Reads one burst of events may cause back to back (each answers at most TAIL_BYTES). */
const MAX_READS_IN_A_ROW = 8;

type Mode = 'tail' | 'follow';

interface View {
  text: string;
  error: string | null;
  readAt: Date | null;
}

/**
 * An appliance's console, the last part of it, growing as the appliance writes. The logs route
 * answers once (it does not hold the connection open), and says which bytes it sent
 * (fy-console-start / fy-console-end), so each later read asks only for what came after. Reads
 * happen when something happens to the appliance (its live events), after the event stream
 * reconnects, and when asked — never on a timer. A new boot (the appliance placed again) starts
 * over from the tail. When the appliance stops, its console goes with its runtime: what was read
 * stays on the page.
 */
export function ApplianceConsole({ applianceId, placed }: { applianceId: string; placed: boolean }) {
  const [view, setView] = useState<View>({ text: '', error: null, readAt: null });
  const cursor = useRef<{ end: number | null; busy: boolean; pending: Mode | null; mounted: boolean }>({ end: null, busy: false, pending: null, mounted: true });
  const pre = useRef<HTMLPreElement>(null);
  const stickToBottom = useRef(true);

  const readOnce = useCallback(
    async (mode: Mode): Promise<Mode | null> => {
      const c = cursor.current;
      const from = mode === 'follow' && c.end !== null ? c.end : undefined;
      const answer = await api.GET('/api/v1/appliances/{id}/logs', {
        params: { path: { id: applianceId }, query: { bytes: TAIL_BYTES, ...(from === undefined ? {} : { from }) } },
        parseAs: 'text',
      });
      const body = unwrap(answer) as string;
      const header = (name: string) => Number(answer.response.headers.get(name) ?? 0);
      const [start, end, size] = [header('fy-console-start'), header('fy-console-end'), header('fy-console-size')];
      if (!c.mounted) return null;
      if (size === 0) {
        // Not placed (or nothing written yet): keep what was read; the next read starts at the tail.
        c.end = null;
        setView((v) => ({ ...v, error: null, readAt: new Date() }));
        return null;
      }
      // Asked from an offset and got bytes from below it: the console began anew.
      if (from !== undefined && start < from) {
        c.end = null;
        return 'tail';
      }
      c.end = end;
      setView((v) => ({ text: (from === undefined ? body : v.text + body).slice(-KEEP_CHARS), error: null, readAt: new Date() }));
      return end < size ? 'follow' : null;
    },
    [applianceId],
  );

  /** One read at a time; what is asked meanwhile runs once after it (a tail outranks a follow). */
  const read = useCallback(
    (mode: Mode): void => {
      const c = cursor.current;
      c.pending = c.pending === 'tail' || mode === 'tail' ? 'tail' : 'follow';
      if (c.busy) return;
      c.busy = true;
      const run = async () => {
        try {
          for (let i = 0; i < MAX_READS_IN_A_ROW && c.pending && c.mounted; i++) {
            const next = c.pending;
            c.pending = null;
            const more = await readOnce(next);
            if (more) c.pending = c.pending === 'tail' ? 'tail' : more;
          }
        } catch (e) {
          if (c.mounted) setView((v) => ({ ...v, error: consoleError(e), readAt: new Date() }));
        } finally {
          c.busy = false;
          c.pending = null;
        }
      };
      inBackground(run(), 'reading the console');
    },
    [readOnce],
  );

  useEffect(() => {
    const c = cursor.current;
    c.mounted = true;
    read('tail');
    return () => {
      c.mounted = false;
    };
  }, [read]);

  useLiveEvent(
    (e) => e.kind === 'appliance' && e.objectId === applianceId,
    (e) => read(e.type === 'appliance.placed' ? 'tail' : 'follow'),
  );

  const connected = useLiveConnected();
  const wasConnected = useRef(connected);
  useEffect(() => {
    // Events may have been missed while the stream was away.
    if (connected && !wasConnected.current) read('follow');
    wasConnected.current = connected;
  }, [connected, read]);

  useLayoutEffect(() => {
    const el = pre.current;
    if (el && stickToBottom.current) el.scrollTop = el.scrollHeight;
  }, [view.text]);

  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Title order={2} size="h4">Console</Title>
        <Group gap="xs">
          {view.readAt && <Text size="xs" c="dimmed">read at {view.readAt.toLocaleTimeString()}</Text>}
          <Button size="xs" variant="default" onClick={() => read('follow')}>Read again</Button>
        </Group>
      </Group>
      {view.error && <Alert color="yellow" mb="xs">{view.error}</Alert>}
      {!placed && <Text size="sm" c="dimmed" mb="xs">The appliance is not running: its console ends with its runtime{view.text ? '; this is what was read last' : ''}.</Text>}
      <pre
        ref={pre}
        tabIndex={0}
        aria-label="Console output"
        data-testid="console"
        onScroll={(e) => {
          const el = e.currentTarget;
          stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
        style={{
          margin: 0,
          maxHeight: 360,
          minHeight: 80,
          overflow: 'auto',
          padding: 8,
          fontSize: 12,
          background: 'var(--mantine-color-default-hover)',
          borderRadius: 'var(--mantine-radius-sm)',
          whiteSpace: 'pre-wrap',
          wordBreak: 'break-all',
        }}
      >
        {view.text || (view.readAt ? '(nothing written yet)' : 'Reading…')}
      </pre>
    </Card>
  );
}

function consoleError(e: unknown): string {
  if (e instanceof ApiError && e.code === 'FY_DRIVER_UNAVAILABLE') return 'This appliance’s driver keeps no console.';
  return `Could not read the console: ${errorText(e)}`;
}
