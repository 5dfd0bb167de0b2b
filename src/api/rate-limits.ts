import type { FastifyRequest } from 'fastify';

/**
 * Per-user limits on the calls that make work or mail: creating requests and appliances, the
 * changes of a request that mail its owner, tokens, profile changes. Counted per route and per
 * user (after authentication, hence the preHandler hook), so one account cannot flood the
 * control plane or an inbox however many addresses it comes from. Admins are not limited: they
 * run the installation's own automation (and benchmarks), and their calls are audited as events.
 */
export function perUser(max: number) {
  return {
    rateLimit: {
      max,
      timeWindow: 60_000,
      hook: 'preHandler' as const,
      keyGenerator: (req: FastifyRequest) => `user:${req.principal?.userId ?? req.ip}`,
      allowList: (req: FastifyRequest) => req.principal?.role === 'admin',
    },
  };
}
