import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FleetyardError, notFound } from '../../domain/errors.ts';
import { mailSchema, mailStateSchema } from '../../mail/mail.ts';
import { mailEvent } from '../../mail/mail-events.ts';
import { MailRepo, toMail, type MailRow } from '../../mail/mail-repo.ts';
import { principalOf, requireAdmin } from '../auth/authenticate.ts';
import type { ApiContext } from '../context.ts';
import { errorResponses, filterString, idParams, pageOf, paginationQuery, requireId } from '../schemas.ts';

const mailListQuery = z.strictObject({
  ...paginationQuery,
  state: mailStateSchema.optional(),
  to: filterString.min(1).max(254).optional().meta({ description: 'Recipient address (users see only their own)' }),
  relatedKind: filterString.min(1).max(50).optional().meta({ description: 'Kind of the object the mail is about, such as request' }),
  relatedId: filterString.min(1).max(100).optional().meta({ description: 'ID of the object the mail is about' }),
});

/**
 * The mail record. An admin sees every mail and may send a failed one again; a user sees the
 * mails sent to their current e-mail address about their own objects (their requests, their
 * account). The address alone proves nothing: users may share one, and a user may change theirs
 * to another's. Bodies are shown with secrets hidden.
 */
export const mailRoutes = (ctx: ApiContext): FastifyPluginAsyncZod => async (app) => {
  const { store } = ctx;
  const tags = ['mails'];

  app.get('/mails', {
    schema: { tags, summary: 'List mails (admin: all; users: their own)', querystring: mailListQuery, response: { 200: pageOf(mailSchema), ...errorResponses } },
  }, async (req) => {
    const p = principalOf(req);
    const { cursor, limit, state, relatedKind, relatedId } = req.query;
    let to = req.query.to;
    if (p.role !== 'admin') {
      const own = (await store.read.users.require(p.userId)).spec.email;
      if (to !== undefined && to !== own) return { items: [], nextCursor: null };
      to = own;
    }
    const page = await new MailRepo(store.db).list({ cursor, limit, state, to, relatedKind, relatedId });
    const rows = p.role === 'admin' ? page.items : await ownMails(p.userId, page.items);
    // A filtered page may hold fewer than `limit` mails; its cursor still leads past all it read.
    return { items: rows.map(toMail), nextCursor: page.nextCursor };
  });

  /** The mails about the user's own account or requests; a mail about nothing in particular is no one's. */
  async function ownMails(userId: string, rows: MailRow[]): Promise<MailRow[]> {
    const requests = new Set((await store.read.requests.all({ ownerId: userId })).map((r) => r.id));
    return rows.filter(
      (m) => (m.related_kind === 'user' && m.related_id === userId) || (m.related_kind === 'request' && m.related_id !== null && requests.has(m.related_id)),
    );
  }

  app.post('/mails/:id/retry', {
    schema: {
      tags,
      summary: 'Send a failed mail again, with a fresh count of attempts (admin); a pending one is tried at once',
      params: idParams,
      response: { 200: mailSchema, ...errorResponses },
    },
  }, async (req) => {
    const admin = requireAdmin(req);
    const id = requireId(req.params.id);
    // Through a transaction so the commit wakes the sender (store.onCommit).
    const row = await store.transaction(async (tx) => {
      const retried = await new MailRepo(tx.db).retry(id, store.clock.now());
      if (retried) await tx.emit(mailEvent('mail.retried', retried, `retried by ${admin.name}`, { by: admin.userId }));
      return retried;
    });
    if (row) return toMail(row);
    const existing = await new MailRepo(store.db).get(id);
    if (!existing) throw notFound('mail', id);
    const why = existing.state === 'sent' ? 'it was sent' : existing.state === 'failed' ? 'it could never be prepared' : 'it is being sent right now';
    throw new FleetyardError('FY_MAIL_NOT_RETRYABLE', `mail ${id} cannot be retried: ${why}`, { state: existing.state });
  });
};
