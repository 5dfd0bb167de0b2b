import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../api/client.ts';
import { renderInApp } from '../../../test/render.tsx';
import { DecisionDialog, type Decision, type SendDecision } from './decision-dialog.tsx';

const request = { id: '019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a5b', name: 'req-0c1d2e3f4a5b' };

/** Records what the dialog sends, answering as the server would (or with `fail`). */
function recorder(fail?: ApiError) {
  const sent: Array<[string, string, string]> = [];
  const send: SendDecision = async (verb, id, comment) => {
    sent.push([verb, id, comment]);
    if (fail) throw fail;
    return {};
  };
  return { sent, send };
}

function open(decision: Decision, send: SendDecision) {
  const closed: boolean[] = [];
  renderInApp(<DecisionDialog decision={decision} onClose={() => closed.push(true)} send={send} />);
  return closed;
}

describe('the approve / deny dialog', () => {
  it('sends the approval with the comment typed, and closes', async () => {
    const user = userEvent.setup();
    const { sent, send } = recorder();
    const closed = open({ verb: 'approve', request }, send);
    expect(await screen.findByRole('dialog', { name: `Approve request ${request.name}` })).toBeTruthy();
    await user.type(screen.getByLabelText('Comment'), '  fine for the workshop  ');
    await user.click(screen.getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(closed).toEqual([true]));
    expect(sent).toEqual([['approve', request.id, 'fine for the workshop']]);
  });

  it('approves without a comment too', async () => {
    const user = userEvent.setup();
    const { sent, send } = recorder();
    open({ verb: 'approve', request }, send);
    await user.click(await screen.findByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(sent).toEqual([['approve', request.id, '']]));
  });

  it('will not deny without saying why, then sends the denial with its comment', async () => {
    const user = userEvent.setup();
    const { sent, send } = recorder();
    const closed = open({ verb: 'deny', request }, send);
    await user.click(await screen.findByRole('button', { name: 'Deny' }));
    expect(await screen.findByText('Say why the request is denied')).toBeTruthy();
    expect(sent).toEqual([]);
    await user.type(screen.getByLabelText(/Comment/), 'over the team budget');
    await user.click(screen.getByRole('button', { name: 'Deny' }));
    await waitFor(() => expect(closed).toEqual([true]));
    expect(sent).toEqual([['deny', request.id, 'over the team budget']]);
  });

  it("stays open and shows the server's answer when the request was decided meanwhile", async () => {
    const user = userEvent.setup();
    const { sent, send } = recorder(new ApiError(409, 'FY_REQUEST_STATE', 'cannot approve a request that is approved'));
    const closed = open({ verb: 'approve', request }, send);
    await user.type(await screen.findByLabelText('Comment'), 'ok');
    await user.click(screen.getByRole('button', { name: 'Approve' }));
    expect((await screen.findByRole('alert')).textContent).toContain('FY_REQUEST_STATE');
    expect(sent).toEqual([['approve', request.id, 'ok']]);
    expect(closed).toEqual([]);
  });
});
