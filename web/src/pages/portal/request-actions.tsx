import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, errorText, unwrap } from '../../api/client.ts';
import { fromLocalInput, toLocalInput } from './local-time.ts';
import type { CloudRequest, RequestState } from './portal-types.ts';

/** States in which the owner may still extend, pause or cancel (as the API's LIVE set). */
const LIVE: ReadonlySet<RequestState> = new Set(['new', 'approved', 'provisioning', 'active', 'paused']);

type Verb = 'pause' | 'resume' | 'cancel';

/**
 * What the owner may do with a request now: extend its window, pause it (its appliances stop,
 * their clones and the reservation stay), resume it, or cancel it. Each button is offered only in
 * the states the API accepts it in; the change shows up through the event stream.
 */
export function RequestActions({ request: r }: { request: CloudRequest }) {
  const queryClient = useQueryClient();
  const [cancelOpen, cancelModal] = useDisclosure(false);
  const [extendOpen, extendModal] = useDisclosure(false);
  const act = useMutation({
    mutationFn: async (verb: Verb) => {
      const path = `/api/v1/cloud/requests/{id}/${verb}` as const;
      return unwrap(await api.POST(path, { params: { path: { id: r.id } }, body: {} }));
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['requests'] }),
  });
  const s = r.status.state;
  const live = LIVE.has(s) && !r.spec.cancelled;
  const canPause = live && (s === 'active' || s === 'provisioning') && !r.spec.paused;
  const canResume = live && (s === 'paused' || s === 'active' || s === 'provisioning') && r.spec.paused;
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Button variant="default" onClick={extendModal.open} disabled={!live}>Extend</Button>
        {canResume ? (
          <Button variant="default" onClick={() => act.mutate('resume')} loading={act.isPending && act.variables === 'resume'}>Resume</Button>
        ) : (
          <Button variant="default" onClick={() => act.mutate('pause')} disabled={!canPause} loading={act.isPending && act.variables === 'pause'}>Pause</Button>
        )}
        <Button color="red" variant="light" onClick={cancelModal.open} disabled={!live}>Cancel request</Button>
      </Group>
      {act.error && <Alert color="red" role="alert">{errorText(act.error)}</Alert>}
      <Modal opened={cancelOpen} onClose={cancelModal.close} title="Cancel this request?" closeButtonProps={{ 'aria-label': 'Close' }}>
        <Stack>
          <Text size="sm">Its appliances are removed now, with their data, and billing stops. This cannot be undone.</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={cancelModal.close} data-autofocus>Keep it</Button>
            <Button color="red" onClick={() => { act.mutate('cancel'); cancelModal.close(); }}>Cancel the request</Button>
          </Group>
        </Stack>
      </Modal>
      <Modal opened={extendOpen} onClose={extendModal.close} title="Extend the window" closeButtonProps={{ 'aria-label': 'Close' }}>
        {extendOpen && <ExtendForm request={r} onDone={extendModal.close} />}
      </Modal>
    </Stack>
  );
}

function ExtendForm({ request: r, onDone }: { request: CloudRequest; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [end, setEnd] = useState(() => toLocalInput(new Date(Date.parse(r.spec.endAt) + 3_600_000)));
  const endAt = fromLocalInput(end);
  const later = endAt !== null && endAt > r.spec.endAt;
  const extend = useMutation({
    mutationFn: async (to: string) => unwrap(await api.POST('/api/v1/cloud/requests/{id}/extend', { params: { path: { id: r.id } }, body: { endAt: to } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['requests'] });
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (endAt && later) extend.mutate(endAt);
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <TextInput type="datetime-local" label="New end" value={end} onChange={(e) => setEnd(e.currentTarget.value)} required data-autofocus
          error={endAt !== null && !later ? 'The new end must be after the current one.' : undefined} />
        {extend.error && <Alert color="red" role="alert">{errorText(extend.error)}</Alert>}
        <Button type="submit" disabled={!later} loading={extend.isPending}>Extend</Button>
      </Stack>
    </form>
  );
}
