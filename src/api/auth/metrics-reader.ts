import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../domain/user.ts';
import type { ApiContext } from '../context.ts';
import { authenticate } from './authenticate.ts';
import { presentsServiceToken } from './service-token.ts';

/**
 * Who reads monitoring data: the metrics token (FLEETYARD_METRICS_TOKEN, a Prometheus server's
 * `authorization` credentials, which sees everything) or a user signed in the usual ways (a
 * bearer API token or a web session). What a user may see is the route's to decide.
 */
export type MonitoringReader = { kind: 'metrics-token' } | { kind: 'user'; principal: Principal };

export async function monitoringReader(req: FastifyRequest, ctx: ApiContext): Promise<MonitoringReader> {
  if (presentsServiceToken(req, ctx.metricsToken)) return { kind: 'metrics-token' };
  return { kind: 'user', principal: (await authenticate(req, ctx.identity)).principal };
}
