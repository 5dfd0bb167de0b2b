import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { renderEnc } from '../../config/puppet-enc.ts';
import { applianceConfigDocuments } from '../appliance-config.ts';
import { authenticate, requireAdmin } from '../auth/authenticate.ts';
import { presentsServiceToken } from '../auth/service-token.ts';
import type { ApiContext } from '../context.ts';
import { applianceByCertname } from '../puppet-nodes.ts';
import { errorResponses, errorSchema, idParams, requireId } from '../schemas.ts';

/** A Puppet certname: a DNS name or an appliance id (dot-separated labels of letters, digits, `_`, `-`). */
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?';
const certnameParams = z.strictObject({
  certname: z.string().min(1).max(253).regex(new RegExp(`^${LABEL}(?:\\.${LABEL})*$`), 'a certname is a DNS name or an appliance id'),
});

const encDocumentSchema = z.object({
  environment: z.string(),
  classes: z.record(z.string(), z.record(z.string(), z.unknown())),
  parameters: z.record(z.string(), z.unknown()),
});

const configurationView = z.object({
  groups: z.array(z.string()).meta({ description: 'Its configuration groups that exist, in its order' }),
  certname: z.string().meta({ description: 'The certname its Puppet agent is best given: its fqdn, else its hostname' }),
  enc: encDocumentSchema.meta({ description: "What GET /config/puppet/enc/{certname} answers for it (as JSON here)" }),
  cloudInit: z.object({
    userData: z.string().meta({ description: '#cloud-config, as a VM boot gets it, with a placeholder for the password hash' }),
    metaData: z.string(),
    networkConfig: z.string().meta({ description: 'Version 2; a boot matches each interface by its MAC, which this view leaves out' }),
  }),
});

/**
 * Configuration management's documents. `GET /config/puppet/enc/{certname}` is a Puppet server's
 * external node classifier (its `external_nodes` script fetches it with the Puppet token,
 * FLEETYARD_PUPPET_TOKEN, or an admin's API token): the classes of the appliance's groups as
 * YAML. `GET /appliances/{id}/configuration` shows an admin what an appliance's groups make of it
 * (the ENC and the NoCloud seed). Both are admin-only, as the groups are an admin's: they may
 * hold what a cloud user is not to read.
 */
export const configurationDocumentRoutes = (ctx: ApiContext): FastifyPluginAsyncZod => async (app) => {
  const { store } = ctx;
  const puppetReaders = new WeakSet<FastifyRequest>();

  app.get('/config/puppet/enc/:certname', {
    // The Puppet token is no user, so the API's own check would refuse it: this route checks itself.
    config: { public: true },
    onRequest: async (req) => {
      if (presentsServiceToken(req, ctx.puppetToken)) puppetReaders.add(req);
      else req.principal = (await authenticate(req, ctx.identity)).principal;
    },
    schema: {
      tags: ['config'],
      summary: 'Puppet external node classifier: the classes and parameters of an appliance by its certname (the Puppet token or an admin)',
      description: 'YAML (application/yaml) as Puppet reads an ENC\'s output: environment, classes (every class of the appliance\'s configuration groups with its parameters, a later group winning), parameters (fleetyard_*). The certname is the appliance\'s fqdn, hostname or id.',
      params: certnameParams,
      querystring: z.strictObject({}),
      response: { 200: z.string().meta({ description: 'application/yaml' }), 401: errorSchema, 403: errorSchema, ...errorResponses },
    },
  }, async (req, reply) => {
    if (!puppetReaders.has(req)) requireAdmin(req);
    const a = await applianceByCertname(store.read, req.params.certname);
    const docs = await applianceConfigDocuments(store.read, a);
    return reply.type('application/yaml; charset=utf-8').send(renderEnc(docs.enc));
  });

  app.get('/appliances/:id/configuration', {
    schema: {
      tags: ['appliances'],
      summary: "What an appliance's configuration groups make of it: its Puppet ENC document and its NoCloud seed (admin)",
      params: idParams,
      response: { 200: configurationView, ...errorResponses },
    },
  }, async (req) => {
    requireAdmin(req);
    const a = await store.read.appliances.require(requireId(req.params.id));
    return applianceConfigDocuments(store.read, a);
  });
};
