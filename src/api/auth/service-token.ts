import type { FastifyRequest } from 'fastify';
import { sameHash, sha256 } from '../../identity/secrets.ts';

/**
 * Whether the request presents `token` as its bearer credentials: how a tool that is no user (a
 * Prometheus server, a Puppet server) is let in to the one route it reads. Compared as hashes in
 * constant time; no token configured lets nobody in.
 */
export function presentsServiceToken(req: FastifyRequest, token: string | undefined): boolean {
  const m = typeof req.headers.authorization === 'string' ? /^Bearer (\S{1,200})$/.exec(req.headers.authorization) : null;
  return m !== null && token !== undefined && sameHash(sha256(m[1] as string), sha256(token));
}
