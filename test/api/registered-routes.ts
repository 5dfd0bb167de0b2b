import type { FastifyInstance } from 'fastify';

/**
 * Every route the Fastify instance serves, as `METHOD /path` with OpenAPI-style `{param}`s. Routes
 * are registered while the API is built, before a test can add an `onRoute` hook, so this reads
 * the router's own tree (`printRoutes` with `commonPrefix: false`): one node per line, four
 * columns of indentation per level, each node's path relative to its parent, its methods in
 * parentheses.
 */
export function registeredRoutes(app: FastifyInstance): Set<string> {
  const tree = app.printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  const out = new Set<string>();
  for (const line of tree.split('\n')) {
    const m = /^([\s│]*)[├└]── (\S+)(?: \(([^)]*)\))?\s*$/.exec(line);
    if (!m) continue;
    const [, indent, segment, methods] = m as unknown as [string, string, string, string | undefined];
    const depth = indent.length / 4;
    stack.length = depth;
    stack.push(segment);
    const path = stack.join('').replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    for (const method of methods?.split(',') ?? []) out.add(`${method.trim()} ${path}`);
  }
  if (out.size === 0) throw new Error(`could not read the route tree:\n${tree}`);
  return out;
}
