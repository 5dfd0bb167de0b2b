import { Readable } from 'node:stream';
import { freshMeta } from '../../domain/meta.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  applianceSchema,
  DEFAULT_REQUIREMENTS,
  INITIAL_APPLIANCE_STATUS,
  RELEASE_FINALIZER,
  requirementsSchema,
  type Appliance,
} from '../../domain/appliance.ts';
import { FleetyardError } from '../../domain/errors.ts';
import { refuseIfBreaksN1 } from '../../ha/admission-guard.ts';
import { healthChecksSchema } from '../../domain/health-check.ts';
import { nameSchema, toHostname } from '../../domain/names.ts';
import { moreNetworksInput } from '../../domain/more-networks.ts';
import { checkMoreNetworks } from '../more-networks.ts';
import { virtualizationSchema } from '../../domain/meta.ts';
import { principalOf, requireAdmin, requireOwned } from '../auth/authenticate.ts';
import type { ApiContext } from '../context.ts';
import { perUser } from '../rate-limits.ts';
import { mutateSpec } from '../mutate.ts';
import { errorResponses, idParams, listQuery, pageOf, requireId, splitQuery } from '../schemas.ts';
import { commandArgInput, labelsInput, placementInput } from '../input-checks.ts';
import { requireConfigGroups } from '../config-group-names.ts';
import { configGroupNamesSchema } from '../../domain/config-group.ts';

const createBody = z.strictObject({
  name: nameSchema,
  ownerId: z.string().max(100).optional().meta({ description: 'The user it belongs to (default: the caller)' }),
  imageId: z.string().max(100),
  kernelId: z.string().max(100).nullable().optional(),
  requirements: requirementsSchema.partial().strict().optional(),
  command: z.array(commandArgInput).min(1).max(64).nullable().optional(),
  hostname: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/)
    .optional(),
  network: nameSchema.optional(),
  moreNetworks: moreNetworksInput.optional().meta({
    description: 'Further networks, one interface each after the first (eth1, eth2, … in order); each must exist, once, and not be the first. The first network is the default route.',
  }),
  labels: labelsInput.optional(),
  ha: z.boolean().optional(),
  checks: healthChecksSchema.optional().meta({ description: 'Health checks the agent of its host runs (see PUT /appliances/{id}/checks)' }),
  placement: placementInput.optional(),
  configGroups: configGroupNamesSchema.optional().meta({ description: 'Configuration groups applied after it boots, in order' }),
  start: z.boolean().optional().meta({ description: 'Start at once (default true)' }),
});

const logsQuery = z.strictObject({
  bytes: z.coerce.number().int().min(1).max(1_048_576).optional().meta({ description: 'How many bytes at most (default 65536)' }),
  from: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional().meta({
    description: 'Read from this byte offset on instead of the last bytes: what a reader following the console asks next (the fy-console-end of its last read)',
  }),
});

/** Where the bytes of a console answer begin and end in the whole console, and its size then. */
const CONSOLE_HEADERS = { start: 'fy-console-start', end: 'fy-console-end', size: 'fy-console-size' } as const;

const applianceListQuery = listQuery(['name', 'phase', 'hostId', 'imageId']).extend({
  virtualization: virtualizationSchema.optional().meta({ description: 'Where it runs or last ran, else the type it asks for' }),
});

/** Appliances: the unit users deploy. The API writes spec; the appliance reconciler does the rest. */
export const applianceRoutes = (ctx: ApiContext): FastifyPluginAsyncZod => async (app) => {
  const { store } = ctx;
  const limited = perUser(ctx.userRateLimit);
  const tags = ['appliances'];
  const owned = async (req: Parameters<typeof principalOf>[0], id: string) => {
    const a = await store.read.appliances.require(id);
    return requireOwned(req, a, a.spec.ownerId, 'appliance');
  };

  app.get('/appliances', {
    schema: { tags, summary: 'List appliances', querystring: applianceListQuery, response: { 200: pageOf(applianceSchema), ...errorResponses } },
  }, async (req) => {
    const p = principalOf(req);
    const q = splitQuery(req.query);
    // A cloud user's list is always narrowed to their own appliances.
    if (p.role !== 'admin') q.filters.ownerId = p.userId;
    return store.read.appliances.list(q);
  });

  app.get('/appliances/:id', {
    schema: { tags, summary: 'Show an appliance', params: idParams, response: { 200: applianceSchema, ...errorResponses } },
  }, async (req) => owned(req, requireId(req.params.id)));

  app.post('/appliances', {
    config: limited,
    schema: {
      tags,
      summary: 'Create an appliance (and start it unless start is false)',
      body: createBody,
      response: { 201: applianceSchema, ...errorResponses },
    },
  }, async (req, reply) => {
    const admin = requireAdmin(req);
    const b = req.body;
    const image = await store.read.images.get(requireId(b.imageId));
    if (!image) throw new FleetyardError('FY_NOT_FOUND', `image ${b.imageId} does not exist`, { kind: 'image', id: b.imageId });
    if (image.status.state !== 'ready') throw new FleetyardError('FY_VALIDATION', `image ${image.name} is ${image.status.state}`);
    if (b.kernelId) await store.read.kernels.require(requireId(b.kernelId));
    await requireConfigGroups(store.read, b.configGroups);
    const network = b.network ?? 'default';
    const first = await store.read.networks.getByName(network);
    if (!first) throw new FleetyardError('FY_NOT_FOUND', `network ${network} does not exist`, { kind: 'network', id: network });
    const v = b.requirements?.virtualization;
    if (first.spec.cidr === null && (v === 'qemu' || v === 'physical')) {
      const message = `network ${network} is IPv6-only: a ${v === 'qemu' ? 'VM' : 'physical server'} boots over IPv4`;
      throw new FleetyardError('FY_VALIDATION', `network: ${message}`, { field: 'network', issues: [{ path: '/network', message }] });
    }
    const moreNetworks = await checkMoreNetworks(store.read, network, b.moreNetworks ?? []);
    if (moreNetworks.length > 0 && b.requirements?.virtualization === 'physical') {
      throw new FleetyardError('FY_VALIDATION', 'moreNetworks: a physical server joins only its boot network', { field: 'moreNetworks', issues: [{ path: '/moreNetworks', message: 'a physical server joins only its boot network' }] });
    }
    const appliance: Appliance = {
      ...freshMeta(store.ids.next(), b.name, store.clock.now()),
      spec: {
        ownerId: b.ownerId ? (await store.read.users.require(requireId(b.ownerId))).id : admin.userId,
        imageId: image.id,
        kernelId: b.kernelId ?? null,
        requirements: { ...DEFAULT_REQUIREMENTS, ...b.requirements },
        command: b.command ?? null,
        hostname: b.hostname ?? toHostname(b.name),
        network,
        ...(moreNetworks.length > 0 ? { moreNetworks } : {}),
        ha: b.ha ?? false,
        labels: b.labels ?? {},
        desiredState: b.start === false ? 'stopped' : 'running',
        reservation: null,
        login: null,
        ...(b.checks ? { checks: b.checks } : {}),
        ...(b.placement
          ? { placement: { hostLabels: b.placement.hostLabels ?? {}, antiAffinity: b.placement.antiAffinity ?? null, ...(b.placement.policy ? { policy: b.placement.policy } : {}) } }
          : {}),
        ...(b.configGroups ? { configGroups: b.configGroups } : {}),
      },
      status: INITIAL_APPLIANCE_STATUS,
      deletionRequestedAt: null,
      finalizers: [RELEASE_FINALIZER],
    };
    await store.transaction(async (tx) => {
      if (ctx.ha.admission === 'enforce' && appliance.spec.ha && appliance.spec.desiredState === 'running') {
        await refuseIfBreaksN1(tx, store.clock.now(), ctx.ha.cpuAllocationRatio, {
          name: appliance.name,
          requirements: appliance.spec.requirements,
          reservation: null,
          ownerId: appliance.spec.ownerId,
          ...(appliance.spec.placement ? { placement: appliance.spec.placement } : {}),
        });
      }
      await tx.appliances.insert(appliance);
      await tx.emit({ type: 'appliance.created', kind: 'appliance', objectId: appliance.id, ownerId: appliance.spec.ownerId, message: `appliance ${appliance.name} created`, data: { desiredState: appliance.spec.desiredState } });
    });
    return reply.status(201).send(appliance);
  });

  const setDesired = (desiredState: 'running' | 'stopped') => async (id: string) =>
    mutateSpec(store, (tx) => tx.appliances, id, (a) => {
      if (a.deletionRequestedAt) throw new FleetyardError('FY_APPLIANCE_DELETING', `appliance ${a.name} is being deleted`);
      // A lost appliance (its host failed) still wants to run: a start is what places it anew.
      const restartLost = desiredState === 'running' && a.status.phase === 'lost';
      if (a.spec.desiredState === desiredState && !restartLost) return null;
      return {
        next: { ...a, spec: { ...a.spec, desiredState } },
        event: { type: desiredState === 'running' ? 'appliance.start-requested' : 'appliance.stop-requested', kind: 'appliance', objectId: a.id, ownerId: a.spec.ownerId, message: `${desiredState === 'running' ? 'start' : 'stop'} of ${a.name} requested`, data: {} },
      };
    });

  for (const [verb, desired] of [['start', 'running'], ['stop', 'stopped']] as const) {
    app.post(`/appliances/:id/${verb}`, {
      config: limited,
      schema: { tags, summary: `${verb === 'start' ? 'Start' : 'Stop'} an appliance`, params: idParams, response: { 202: applianceSchema, ...errorResponses } },
    }, async (req, reply) => {
      const a = await owned(req, requireId(req.params.id));
      // A cloud user's appliance runs only while its request is active (and metered).
      if (verb === 'start' && principalOf(req).role !== 'admin') await ctx.cloud.limits.mayStart(store.read, a);
      return reply.status(202).send(await setDesired(desired)(a.id));
    });
  }

  app.post('/appliances/:id/move', {
    config: limited,
    schema: {
      tags,
      summary: 'Move an appliance to another virtualization type with its data, address and name (rolled back if the target fails to boot)',
      params: idParams,
      body: z.strictObject({ to: virtualizationSchema }).meta({ examples: [{ to: 'qemu' }] }),
      response: { 202: applianceSchema, ...errorResponses },
    },
  }, async (req, reply) => {
    const a = await owned(req, requireId(req.params.id));
    const to = req.body.to;
    // A cloud user moves only to what the product offers, within their quota at the new price.
    if (principalOf(req).role !== 'admin') await ctx.cloud.limits.mayMove(store.read, a, to, store.clock.now());
    const moved = await mutateSpec(store, (tx) => tx.appliances, a.id, (cur) => {
      if (cur.deletionRequestedAt) throw new FleetyardError('FY_APPLIANCE_DELETING', `appliance ${cur.name} is being deleted`);
      if (cur.spec.move && cur.status.lastMove?.id !== cur.spec.move.id) {
        throw new FleetyardError('FY_VERSION_CONFLICT', `appliance ${cur.name} is already moving to ${cur.spec.move.to}`);
      }
      return {
        next: {
          ...cur,
          spec: {
            ...cur.spec,
            requirements: { ...cur.spec.requirements, virtualization: to },
            move: { id: store.ids.next(), to, requestedAt: store.clock.now().toISOString() },
          },
        },
        event: { type: 'appliance.move-requested', kind: 'appliance', objectId: cur.id, ownerId: cur.spec.ownerId, message: `move of ${cur.name} to ${to} requested`, data: { to } },
      };
    });
    return reply.status(202).send(moved);
  });

  app.delete('/appliances/:id', {
    schema: { tags, summary: 'Delete an appliance (releases its runtime, clone and address, then the object goes)', params: idParams, response: { 202: applianceSchema, ...errorResponses } },
  }, async (req, reply) => {
    requireAdmin(req);
    const a = await mutateSpec(store, (tx) => tx.appliances, requireId(req.params.id), (cur) =>
      cur.deletionRequestedAt
        ? null
        : {
            next: { ...cur, deletionRequestedAt: store.clock.now().toISOString() },
            event: { type: 'appliance.delete-requested', kind: 'appliance', objectId: cur.id, ownerId: cur.spec.ownerId, message: `deletion of ${cur.name} requested`, data: {} },
          },
    );
    return reply.status(202).send(a);
  });

  app.get('/appliances/:id/logs', {
    schema: {
      tags,
      summary: 'Console output of an appliance: the last bytes, or from an offset on',
      description:
        'Plain text. The headers fy-console-start and fy-console-end say which bytes of the whole console the body holds, fy-console-size how big it was. ' +
        'A reader following the console asks again with from=<fy-console-end>; an answer whose fy-console-start is below the from it asked for means the console began anew (the appliance restarted), so the reader starts over. ' +
        'An appliance that is not placed has no console: an empty body with all three at 0.',
      params: idParams,
      querystring: logsQuery,
      response: { 200: z.string(), ...errorResponses },
    },
  }, async (req, reply) => {
    const a = await owned(req, requireId(req.params.id));
    const hostId = a.status.hostId;
    reply.type('text/plain; charset=utf-8');
    if (!hostId || !a.status.virtualization) {
      return reply.headers({ [CONSOLE_HEADERS.start]: '0', [CONSOLE_HEADERS.end]: '0', [CONSOLE_HEADERS.size]: '0' }).send('');
    }
    // Streamed chunk by chunk as the agent sends them: neither a bus message nor this process
    // ever holds more than one chunk, whatever size the console has.
    const read = await ctx.agents.console(hostId, { applianceId: a.id, virtualization: a.status.virtualization }, { bytes: req.query.bytes ?? 65_536, from: req.query.from });
    void reply.headers({ [CONSOLE_HEADERS.start]: String(read.start), [CONSOLE_HEADERS.end]: String(read.end), [CONSOLE_HEADERS.size]: String(read.size) });
    // The schema documents the body as text; Fastify sends a stream as it comes, unserialized.
    return reply.send(Readable.from(read.chunks) as unknown as string);
  });
};
