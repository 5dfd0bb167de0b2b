import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { FleetyardError } from '../domain/errors.ts';
import type { ApiContext } from './context.ts';
import { clientErrorHandler, errorHandler, toErrorBody } from './errors.ts';
import { recordRouteMethods } from './method-not-allowed.ts';
import { registerAuthentication } from './auth/authenticate.ts';
import { applianceRoutes } from './routes/appliances.ts';
import { applianceCheckRoutes } from './routes/appliance-checks.ts';
import { dnsRoutes } from './routes/dns.ts';
import { monitoringRoutes } from './routes/monitoring.ts';
import { authRoutes } from './routes/auth.ts';
import { userRoutes } from './routes/users.ts';
import { ccuRoutes } from './routes/ccu.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { mailRoutes } from './routes/mails.ts';
import { productRoutes } from './routes/products.ts';
import { configGroupRoutes } from './routes/config-groups.ts';
import { configurationDocumentRoutes } from './routes/configuration-documents.ts';
import { configInventoryRoutes } from './routes/config-inventory.ts';
import { quotaRoutes } from './routes/quotas.ts';
import { requestRoutes } from './routes/requests.ts';
import { stackRoutes } from './routes/stacks.ts';
import { eventRoutes } from './routes/events.ts';
import { haRoutes } from './routes/ha.ts';
import { healthRoutes } from './routes/health.ts';
import { imageRoutes } from './routes/images.ts';
import { inventoryRoutes } from './routes/inventory.ts';
import { networkRoutes } from './routes/networks.ts';
import { joinTokenRoutes } from './routes/join-tokens.ts';
import { hostFencingRoutes } from './routes/host-fencing.ts';
import { hostLabelRoutes } from './routes/host-labels.ts';
import { placementRoutes } from './routes/placement.ts';
import { powerRoutes } from './routes/power.ts';
import { kernelRoutes } from './routes/kernels.ts';
import { nagiosExportRoutes } from './routes/nagios-export.ts';
import { registerWebConsole } from './web-console.ts';

export interface ApiOptions {
  logger: boolean;
  /** The built web console to serve at `/`; none: the API only. */
  consoleDir?: string;
}

/**
 * Builds the HTTP API: the only place that writes desired state. Every input is validated by a
 * zod schema (which also produces /openapi.json); every error leaves as { error: { code } } with a
 * code from the registry. Tests drive it through `app.inject()` or a real socket.
 */
export async function buildApi(ctx: ApiContext, opts: ApiOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ? { level: 'info' } : false,
    bodyLimit: 1_048_576,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    clientErrorHandler,
    frameworkErrors: (err, _req, reply) => {
      const { status, body } = toErrorBody(err);
      void (reply as unknown as FastifyReply).status(status).send(body);
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  // Fastify parses text/plain by default; the API only takes JSON, so anything else is a 415.
  app.removeContentTypeParser('text/plain');
  const routeMethods = recordRouteMethods(app);
  const webConsole = opts.consoleDir ? await registerWebConsole(app, opts.consoleDir) : undefined;
  app.setNotFoundHandler((req, reply) => {
    if (webConsole?.(req, reply)) return;
    const allowed = routeMethods.allowed(req.url.split('?')[0] ?? '');
    const err = allowed.length > 0
      ? new FleetyardError('FY_METHOD_NOT_ALLOWED', `${req.method.slice(0, 20)} is not allowed here; use ${allowed.join(', ')}`, { allowed })
      : new FleetyardError('FY_ROUTE_NOT_FOUND', `no route ${req.method} ${req.url.slice(0, 200)}`);
    const { status, body } = toErrorBody(err);
    if (allowed.length > 0) void reply.header('allow', allowed.join(', '));
    void reply.status(status).send(body);
  });

  const metrics = ctx.metrics;
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ method: req.method, route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: req.method, route }, reply.elapsedTime / 1000);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Fleetyard API',
        version: '1',
        description:
          'Data-center manager and private cloud. Authenticate with `Authorization: Bearer fy_…` (an API token) or the session cookie from POST /api/v1/auth/login plus the `x-csrf-token` header on changes. Errors answer with { error: { code, message, details? } }; codes are listed in docs/errors.md.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API token (fy_…)' },
          session: { type: 'apiKey', in: 'cookie', name: 'fy_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    // Schemas with a meta id (Error, Mail, …) are referenced by $ref; this puts them in components.
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(healthRoutes(ctx, metrics.registry));
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: () => new FleetyardError('FY_RATE_LIMITED', 'too many attempts; wait a minute'),
  });
  await app.register(
    async (v1) => {
      registerAuthentication(v1, ctx.identity);
      await v1.register(authRoutes(ctx));
      await v1.register(userRoutes(ctx));
      await v1.register(inventoryRoutes(ctx));
      await v1.register(networkRoutes(ctx));
      await v1.register(joinTokenRoutes(ctx));
      await v1.register(hostFencingRoutes(ctx));
      await v1.register(hostLabelRoutes(ctx));
      await v1.register(placementRoutes(ctx));
      await v1.register(powerRoutes(ctx));
      await v1.register(kernelRoutes(ctx));
      await v1.register(imageRoutes(ctx));
      await v1.register(applianceRoutes(ctx));
      await v1.register(applianceCheckRoutes(ctx));
      await v1.register(dnsRoutes(ctx));
      await v1.register(monitoringRoutes(ctx));
      await v1.register(eventRoutes(ctx));
      await v1.register(productRoutes(ctx));
      await v1.register(configGroupRoutes(ctx));
      await v1.register(configurationDocumentRoutes(ctx));
      await v1.register(configInventoryRoutes(ctx));
      await v1.register(requestRoutes(ctx));
      await v1.register(stackRoutes(ctx));
      await v1.register(quotaRoutes(ctx));
      await v1.register(ccuRoutes(ctx));
      await v1.register(mailRoutes(ctx));
      await v1.register(dashboardRoutes(ctx));
      await v1.register(nagiosExportRoutes(ctx));
      await v1.register(haRoutes(ctx));
    },
    { prefix: '/api/v1' },
  );
  await app.ready();
  return app;
}
