import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod as Plugin } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../domain/errors.ts';
import { nameSchema } from '../../domain/names.ts';
import { parseStack, STACK_LIMITS, type Stack } from '../../domain/stack.ts';
import { stackApplyResultSchema, stackDeleteResultSchema, stackDetailSchema, stackListItemSchema, stackPlanSchema } from '../../domain/stack-plan.ts';
import { invalidStack } from '../../stacks/stack-catalog.ts';
import { loadInstances } from '../../stacks/stack-objects.ts';
import { record } from '../../stacks/stack-applier.ts';
import type { StackOwner } from '../../stacks/stack-planner.ts';
import { principalOf } from '../auth/authenticate.ts';
import type { ApiContext } from '../context.ts';
import { perUser } from '../rate-limits.ts';
import { errorResponses, paginationQuery, requireId } from '../schemas.ts';

const EXAMPLE = `apiVersion: fleetyard.io/v1
kind: Stack
metadata:
  name: shop
spec:
  hours: 24
  appliances:
    - name: web
      product: webserver
      size: small
      count: 2
    - name: db
      product: postgres
      size: medium
  links:
    - from: web
      to: db
`;
const yamlText = z.string().max(STACK_LIMITS.maxBytes).meta({ description: 'The stack document as YAML (see docs/stacks.md)' });
const planBody = z.strictObject({ yaml: yamlText }).meta({ examples: [{ yaml: EXAMPLE }] });
const applyBody = z
  .strictObject({
    yaml: yamlText,
    version: z.number().int().min(0).optional().meta({ description: 'Apply only if the stack is still at this version (0: only if it does not exist yet)' }),
  })
  .meta({ examples: [{ yaml: EXAMPLE }] });
const nameParams = z.strictObject({ name: nameSchema });
const ownerQuery = z.strictObject({ ownerId: z.string().max(100).optional().meta({ description: "Admins: another user's stack" }) });
const listQuery = z.strictObject({ ...paginationQuery, ownerId: z.string().max(100).optional() });

/**
 * Stacks: appliances and their links as one YAML document, planned against what runs now and
 * applied as a whole (src/stacks/). A stack belongs to the caller; its name is unique per owner,
 * so routes name it by name. Another user's stack looks like one that does not exist.
 */
export const stackRoutes = (ctx: ApiContext): Plugin => async (app) => {
  const { store } = ctx;
  const limited = perUser(ctx.userRateLimit);
  const tags = ['stacks'];

  const caller = async (req: FastifyRequest): Promise<StackOwner> => {
    const p = principalOf(req);
    return { user: await store.read.users.require(p.userId), admin: p.role === 'admin' };
  };

  /** Whose stack a name means: the caller's own, or (admins only) the owner they name. */
  const ownerOf = (req: FastifyRequest, name: string, ownerId: string | undefined): string => {
    const p = principalOf(req);
    if (ownerId === undefined) return p.userId;
    const id = requireId(ownerId);
    if (p.role !== 'admin' && id !== p.userId) throw notFound('stack', name);
    return id;
  };

  const parse = (text: string): Stack => {
    const r = parseStack(text);
    if (r.errors) throw invalidStack(r.errors);
    return r.stack;
  };

  app.post('/stacks/plan', {
    config: limited,
    schema: {
      tags,
      summary: 'Plan a stack: what applying the document would create, change or remove, what it costs per hour, and whether it fits quota and capacity',
      body: planBody,
      response: { 200: stackPlanSchema, ...errorResponses },
    },
  }, async (req) => {
    const doc = parse(req.body.yaml);
    return (await ctx.stacks.planner.plan(await caller(req), doc, req.body.yaml)).plan;
  });

  app.post('/stacks/apply', {
    config: limited,
    schema: {
      tags,
      summary: 'Apply a stack: carry out its plan (cloud requests for cloud users, appliances for admins) and record the document',
      body: applyBody,
      response: { 200: stackApplyResultSchema, ...errorResponses },
    },
  }, async (req) => {
    const doc = parse(req.body.yaml);
    return ctx.stacks.applier.apply(await caller(req), doc, req.body.yaml, req.body.version);
  });

  app.put('/stacks/:name', {
    config: limited,
    schema: { tags, summary: 'Apply a stack by name (its metadata.name must be the name in the path)', params: nameParams, body: applyBody, response: { 200: stackApplyResultSchema, ...errorResponses } },
  }, async (req) => {
    const doc = parse(req.body.yaml);
    if (doc.metadata.name !== req.params.name) {
      throw invalidStack([{ path: 'metadata.name', segments: ['metadata', 'name'], code: 'invalid-value', message: `must be "${req.params.name}", the name in the path` }]);
    }
    return ctx.stacks.applier.apply(await caller(req), doc, req.body.yaml, req.body.version);
  });

  app.get('/stacks', {
    schema: { tags, summary: 'List stacks (cloud users see their own)', querystring: listQuery, response: { 200: z.object({ items: z.array(stackListItemSchema), nextCursor: z.string().nullable() }), ...errorResponses } },
  }, async (req) => {
    const p = principalOf(req);
    const ownerId = p.role === 'admin' ? (req.query.ownerId === undefined ? undefined : requireId(req.query.ownerId)) : p.userId;
    const page = await store.read.stacks.list({ ownerId, cursor: req.query.cursor, limit: req.query.limit });
    const items = [];
    for (const s of page.items) items.push({ ...record(s), instances: await store.read.stacks.countInstances(s.id) });
    return { items, nextCursor: page.nextCursor };
  });

  app.get('/stacks/:name', {
    schema: { tags, summary: "Show a stack: its document and its instances' current states", params: nameParams, querystring: ownerQuery, response: { 200: stackDetailSchema, ...errorResponses } },
  }, async (req) => {
    const ownerId = ownerOf(req, req.params.name, req.query.ownerId);
    const s = await store.read.stacks.get(ownerId, req.params.name);
    if (!s) throw notFound('stack', req.params.name);
    const loaded = await loadInstances(store.read, await store.read.stacks.instances(s.id));
    return {
      ...record(s),
      yaml: s.yaml,
      instances: loaded.map((l) => ({ member: l.instance.member, ordinal: l.instance.ordinal, kind: l.instance.kind, object: l.view })),
    };
  });

  app.delete('/stacks/:name', {
    config: limited,
    schema: { tags, summary: 'Delete a stack: cancel its requests or delete its appliances, then forget it', params: nameParams, querystring: ownerQuery, response: { 202: stackDeleteResultSchema, ...errorResponses } },
  }, async (req, reply) => {
    const ownerId = ownerOf(req, req.params.name, req.query.ownerId);
    return reply.status(202).send(await ctx.stacks.applier.remove(ownerId, req.params.name));
  });
};
