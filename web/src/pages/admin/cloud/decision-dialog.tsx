import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, errorText, unwrap } from '../../../api/client.ts';

export type Verb = 'approve' | 'deny';

/** What the admin is deciding: which request, and which way. */
export interface Decision {
  verb: Verb;
  request: { id: string; name: string };
}

export type SendDecision = (verb: Verb, id: string, comment: string) => Promise<unknown>;

/** POST /cloud/requests/{id}/approve|deny {comment}: the request reconciler acts on it. */
export const sendDecision: SendDecision = async (verb, id, comment) => {
  const path = verb === 'approve' ? '/api/v1/cloud/requests/{id}/approve' : '/api/v1/cloud/requests/{id}/deny';
  return unwrap(await api.POST(path, { params: { path: { id } }, body: { comment } }));
};

const MAX_COMMENT = 2000;

/**
 * Approve or deny a request that waits for an admin, with a comment. A denial must say why: the
 * user reads the comment in the mail that tells them. The dialog stays open on an error (the
 * request may have been decided meanwhile) and says what the server answered.
 */
export function DecisionDialog({ decision, onClose, send = sendDecision }: { decision: Decision | null; onClose: () => void; send?: SendDecision }) {
  return (
    <Modal
      opened={decision !== null}
      onClose={onClose}
      title={decision ? `${decision.verb === 'approve' ? 'Approve' : 'Deny'} request ${decision.request.name}` : ''}
    >
      {decision && <DecisionForm key={`${decision.verb}-${decision.request.id}`} decision={decision} onDone={onClose} send={send} />}
    </Modal>
  );
}

function DecisionForm({ decision, onDone, send }: { decision: Decision; onDone: () => void; send: SendDecision }) {
  const queryClient = useQueryClient();
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState(false);
  const approve = decision.verb === 'approve';
  const mutation = useMutation({
    mutationFn: () => send(decision.verb, decision.request.id, comment.trim()),
    onSuccess: async () => {
      onDone();
      await queryClient.invalidateQueries({ queryKey: ['requests'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!approve && comment.trim() === '') {
      setMissing(true);
      return;
    }
    mutation.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm">
          {approve
            ? 'Capacity for the whole window is reserved if it is free; otherwise the request ends as no-capacity.'
            : 'The request ends denied and holds nothing.'}
        </Text>
        {mutation.error && <Alert color="red" role="alert">{errorText(mutation.error)}</Alert>}
        <Textarea
          label="Comment"
          description={approve ? 'Kept with the decision' : 'Required: the user reads it in the mail that tells them'}
          required={!approve}
         
          rows={3}
          maxLength={MAX_COMMENT}
          value={comment}
          error={missing ? 'Say why the request is denied' : undefined}
          onChange={(e) => {
            setComment(e.currentTarget.value);
            setMissing(false);
          }}
          data-autofocus
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>Cancel</Button>
          <Button type="submit" color={approve ? undefined : 'red.9'} loading={mutation.isPending}>{approve ? 'Approve' : 'Deny'}</Button>
        </Group>
      </Stack>
    </form>
  );
}
