import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { applianceSchema } from '../../domain/appliance.ts';
import { FleetyardError } from '../../domain/errors.ts';
import { checkStatusSchema, healthCheckSchema, healthChecksSchema } from '../../domain/health-check.ts';
import { principalOf, requireOwned } from '../auth/authenticate.ts';
import type { ApiContext } from '../context.ts';
import { mutateSpec } from '../mutate.ts';
import { perUser } from '../rate-limits.ts';
import { errorResponses, idParams, requireId } from '../schemas.ts';

const checksView = z.object({
  checks: z.array(healthCheckSchema).meta({ description: 'The checks the appliance has (spec.checks)' }),
  results: z.array(checkStatusSchema).meta({ description: 'The latest result of each check that has run on its current or last host' }),
});

/**
 * An appliance's health checks: its definitions (spec.checks, which the agent of its host runs)
 * and their latest results (kept apart from the status, in appliance_checks: see
 * control-plane/check-results.ts). A cloud user sets the checks of their own appliances, but not
 * the `command` kind, which runs a command on the host: that is an admin's.
 */
export const applianceCheckRoutes = (ctx: ApiContext): FastifyPluginAsyncZod => async (app) => {
  const { store } = ctx;
  const tags = ['appliances'];
  const owned = async (req: Parameters<typeof principalOf>[0], id: string) => {
    const a = await store.read.appliances.require(id);
    return requireOwned(req, a, a.spec.ownerId, 'appliance');
  };

  app.get('/appliances/:id/checks', {
    schema: { tags, summary: "An appliance's health checks and their latest results", params: idParams, response: { 200: checksView, ...errorResponses } },
  }, async (req) => {
    const a = await owned(req, requireId(req.params.id));
    const defined = a.spec.checks ?? [];
    const names = new Set(defined.map((c) => c.name));
    const results = (await store.read.checks.forAppliance(a.id)).filter((r) => names.has(r.check)).map(({ hostId: _h, ...r }) => r);
    return { checks: defined, results };
  });

  app.put('/appliances/:id/checks', {
    config: perUser(ctx.userRateLimit),
    schema: {
      tags,
      summary: "Set an appliance's health checks (run by the agent of its host; the command kind is for admins)",
      params: idParams,
      body: z.strictObject({ checks: healthChecksSchema }).meta({
        examples: [{ checks: [{ name: 'web', kind: 'http', port: 80, path: '/', expectStatus: 200, intervalSeconds: 30, retryIntervalSeconds: 5, maxCheckAttempts: 3 }] }],
      }),
      response: { 200: applianceSchema, ...errorResponses },
    },
  }, async (req) => {
    const a = await owned(req, requireId(req.params.id));
    const checks = req.body.checks;
    const commandAt = checks.findIndex((c) => c.kind === 'command');
    if (commandAt >= 0 && principalOf(req).role !== 'admin') {
      throw new FleetyardError('FY_FORBIDDEN', 'only an admin may give an appliance a command check: it runs a command on the host', { field: `checks.${commandAt}.kind` });
    }
    return mutateSpec(store, (tx) => tx.appliances, a.id, (cur) => {
      if (cur.deletionRequestedAt) throw new FleetyardError('FY_APPLIANCE_DELETING', `appliance ${cur.name} is being deleted`);
      if (JSON.stringify(cur.spec.checks ?? []) === JSON.stringify(checks)) return null;
      return {
        next: { ...cur, spec: { ...cur.spec, checks } },
        event: {
          type: 'appliance.checks-set',
          kind: 'appliance',
          objectId: cur.id,
          ownerId: cur.spec.ownerId,
          message: `health checks of ${cur.name} set: ${checks.map((c) => c.name).join(', ') || 'none'}`,
          data: { checks: checks.map((c) => c.name) },
        },
      };
    });
  });
};
