import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FleetyardError } from '../../domain/errors.ts';
import { freshMeta } from '../../domain/meta.ts';
import { nameSchema } from '../../domain/names.ts';
import { groupSchema, roleSchema, userSchema, userSpecSchema, type Group } from '../../domain/user.ts';
import { principalOf, requireAdmin, SESSION_COOKIE } from '../auth/authenticate.ts';
import { perUser } from '../rate-limits.ts';
import type { ApiContext } from '../context.ts';
import { mutateSpec } from '../mutate.ts';
import { errorResponses, idParams, listQuery, pageOf, requireId, splitQuery } from '../schemas.ts';
import { freeText, sshPublicKeyInput } from '../input-checks.ts';

const password = z.string().min(12).max(1024).meta({ description: 'At least 12 characters' });
const createUserBody = z.strictObject({
  name: nameSchema,
  email: z.email().max(254),
  role: roleSchema.optional(),
  groupId: z.string().max(100).nullable().optional(),
  sshPublicKey: sshPublicKeyInput.nullable().optional(),
  password: password.optional(),
}).meta({
  examples: [{ name: 'alice', email: 'alice@example.org', role: 'user', sshPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice@laptop' }],
});
const updateUserBody = z.strictObject({
  email: z.email().max(254).optional(),
  role: roleSchema.optional(),
  groupId: z.string().max(100).nullable().optional(),
  sshPublicKey: sshPublicKeyInput.nullable().optional(),
  disabled: z.boolean().optional(),
});
const tokenBody = z.strictObject({
  name: freeText(100).pipe(z.string().min(1)),
  expiresInDays: z.number().int().min(1).max(3650).optional().meta({ description: 'The token stops working after this many days (default: never)' }),
});
const passwordBody = z.strictObject({
  password,
  currentPassword: z.string().min(1).max(1024).optional().meta({ description: 'Required when you change your own password' }),
});
/**
 * A user as answered. Only input is held to `z.email()`: the bootstrap admin is stored as
 * `admin@localhost`, which that check refuses, and an answer must not fail on what is stored.
 */
const userView = userSchema.extend({ spec: userSpecSchema.extend({ email: z.string() }) });
const tokenSchema = z.object({ id: z.string(), name: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable(), revokedAt: z.string().nullable(), expiresAt: z.string().nullable() });

/**
 * Users and groups (admin), a user's own profile and API tokens. A password or token is never
 * returned after the answer that created it.
 */
export const userRoutes = (ctx: ApiContext): FastifyPluginAsyncZod => async (app) => {
  const { store } = ctx;
  const limited = perUser(ctx.userRateLimit);

  app.get('/users', {
    schema: { tags: ['users'], summary: 'List users (admin)', querystring: listQuery(['name', 'role', 'groupId']), response: { 200: pageOf(userView), ...errorResponses } },
  }, async (req) => {
    requireAdmin(req);
    return store.read.users.list(splitQuery(req.query));
  });

  app.post('/users', {
    schema: { tags: ['users'], summary: 'Create a user (admin)', body: createUserBody, response: { 201: userView, ...errorResponses } },
  }, async (req, reply) => {
    requireAdmin(req);
    const b = req.body;
    if (b.groupId) requireId(b.groupId);
    const user = await ctx.identity.createUser(
      b.name,
      { email: b.email, role: b.role ?? 'user', groupId: b.groupId ?? null, sshPublicKey: b.sshPublicKey ?? null, disabled: false },
      b.password ?? null,
    );
    return reply.status(201).send(user);
  });

  app.get('/users/:id', {
    schema: { tags: ['users'], summary: 'Show a user (admin, or yourself)', params: idParams, response: { 200: userView, ...errorResponses } },
  }, async (req) => {
    const id = requireId(req.params.id);
    const p = principalOf(req);
    if (p.role !== 'admin' && p.userId !== id) throw new FleetyardError('FY_NOT_FOUND', `user ${id} does not exist`);
    return store.read.users.require(id);
  });

  app.patch('/users/:id', {
    config: limited,
    schema: {
      tags: ['users'],
      summary: 'Change a user (admin; users may change their own SSH key, and their e-mail address once they confirm the code mailed to it)',
      params: idParams,
      body: updateUserBody,
      response: { 200: userView, ...errorResponses },
    },
  }, async (req) => {
    const id = requireId(req.params.id);
    const p = principalOf(req);
    const b = req.body;
    if (p.role !== 'admin') {
      if (p.userId !== id) throw new FleetyardError('FY_NOT_FOUND', `user ${id} does not exist`);
      if (b.role !== undefined || b.groupId !== undefined || b.disabled !== undefined) throw new FleetyardError('FY_FORBIDDEN', 'only an admin changes role, group or disabled');
    }
    if (b.groupId) await store.read.groups.require(requireId(b.groupId));
    // A user's own new address gets mail only once they prove they read it: it waits for its code.
    const { email, ...rest } = b;
    const current = await store.read.users.require(id);
    const verifyFirst = p.role !== 'admin' && email !== undefined && email !== current.spec.email;
    const changes = Object.fromEntries(Object.entries(verifyFirst ? rest : b).filter(([, v]) => v !== undefined));
    let user = current;
    if (Object.keys(changes).length > 0 || !verifyFirst) {
      user = await mutateSpec(store, (tx) => tx.users, id, (u) => ({
        next: { ...u, spec: { ...u.spec, ...changes, ...(changes.email !== undefined ? { pendingEmail: null } : {}) } },
        event: { type: 'user.updated', kind: 'user', objectId: id, message: `user ${u.name} changed`, data: { fields: Object.keys(changes) } },
      }));
    }
    if (verifyFirst) user = await ctx.identity.requestEmailChange(id, email, ctx.mail);
    return user;
  });

  app.post('/users/:id/verify-email', {
    config: limited,
    schema: {
      tags: ['users'],
      summary: 'Confirm a new e-mail address with the code mailed to it (yourself)',
      params: idParams,
      body: z.strictObject({ code: z.string().min(1).max(64) }),
      response: { 200: userView, ...errorResponses },
    },
  }, async (req) => {
    const id = requireId(req.params.id);
    if (principalOf(req).userId !== id) throw new FleetyardError('FY_NOT_FOUND', `user ${id} does not exist`);
    return ctx.identity.verifyEmail(id, req.body.code);
  });

  app.put('/users/:id/password', {
    config: limited,
    schema: {
      tags: ['users'],
      summary: "Set a password (admin, or yourself with your current one); ends the user's other sessions",
      params: idParams,
      body: passwordBody,
      response: { 204: z.null(), ...errorResponses },
    },
  }, async (req, reply) => {
    const id = requireId(req.params.id);
    const p = principalOf(req);
    if (p.role !== 'admin' && p.userId !== id) throw new FleetyardError('FY_NOT_FOUND', `user ${id} does not exist`);
    // Your own password (admins' too): prove you know the current one, so a stolen session or
    // token cannot lock you out.
    if (p.userId === id) {
      const current = req.body.currentPassword;
      if (current === undefined) throw new FleetyardError('FY_VALIDATION', 'currentPassword is required to change your own password', { issues: [{ path: '/currentPassword', message: 'required' }] });
      if (!(await ctx.identity.checkPassword(id, current))) throw new FleetyardError('FY_WRONG_PASSWORD', undefined, { field: 'currentPassword' });
    }
    await ctx.identity.setPassword(id, req.body.password, { keepSession: p.userId === id && p.via === 'session' ? req.cookies[SESSION_COOKIE] : undefined });
    return reply.status(204).send(null);
  });

  app.get('/tokens', {
    schema: { tags: ['tokens'], summary: 'Your API tokens (secrets are never shown again)', response: { 200: z.object({ items: z.array(tokenSchema) }), ...errorResponses } },
  }, async (req) => {
    const rows = await store.read.identity.tokensOf(principalOf(req).userId);
    return { items: rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at, expiresAt: r.expires_at })) };
  });

  app.post('/tokens', {
    config: limited,
    schema: {
      tags: ['tokens'],
      summary: 'Create an API token; the token is shown in this answer only',
      body: tokenBody,
      response: { 201: z.object({ id: z.string(), name: z.string(), token: z.string(), createdAt: z.string(), expiresAt: z.string().nullable() }), ...errorResponses },
    },
  }, async (req, reply) => {
    const days = req.body.expiresInDays;
    const expiresAt = days === undefined ? null : new Date(store.clock.now().getTime() + days * 86_400_000);
    const t = await ctx.identity.createToken(principalOf(req).userId, req.body.name, expiresAt);
    return reply.status(201).send({ id: t.id, name: req.body.name, token: t.token, createdAt: t.createdAt, expiresAt: t.expiresAt });
  });

  app.delete('/tokens/:id', {
    schema: { tags: ['tokens'], summary: 'Revoke one of your API tokens', params: idParams, response: { 204: z.null(), ...errorResponses } },
  }, async (req, reply) => {
    await ctx.identity.revokeToken(principalOf(req).userId, requireId(req.params.id));
    return reply.status(204).send(null);
  });

  app.get('/groups', {
    schema: { tags: ['groups'], summary: 'List groups (admin)', querystring: listQuery(['name']), response: { 200: pageOf(groupSchema), ...errorResponses } },
  }, async (req) => {
    requireAdmin(req);
    return store.read.groups.list(splitQuery(req.query));
  });

  app.post('/groups', {
    schema: { tags: ['groups'], summary: 'Create a group (admin)', body: z.strictObject({ name: nameSchema, description: z.string().max(1000).optional() }), response: { 201: groupSchema, ...errorResponses } },
  }, async (req, reply) => {
    requireAdmin(req);
    const group: Group = { ...freshMeta(store.ids.next(), req.body.name, store.clock.now()), spec: { description: req.body.description ?? '' }, status: {} };
    await store.transaction(async (tx) => {
      await tx.groups.insert(group);
      await tx.emit({ type: 'group.created', kind: 'group', objectId: group.id, message: `group ${group.name} created`, data: {} });
    });
    return reply.status(201).send(group);
  });

  app.get('/groups/:id', {
    schema: { tags: ['groups'], summary: 'Show a group (admin)', params: idParams, response: { 200: groupSchema, ...errorResponses } },
  }, async (req) => {
    requireAdmin(req);
    return store.read.groups.require(requireId(req.params.id));
  });
};
