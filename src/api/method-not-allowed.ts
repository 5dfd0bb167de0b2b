import type { FastifyInstance } from 'fastify';

/**
 * Tells "no such route" from "this route has no such method". Fastify's router answers both with
 * its not-found handler, so the routes are recorded as they are registered (an `onRoute` hook must
 * be added before any route) and the not-found handler asks which methods the path does have.
 * Patterns are Fastify's: `:param` is one segment, `*` is the rest of the path.
 */
export interface RouteMethods {
  /** The methods registered for paths that match `path` (no query string), sorted. */
  allowed(path: string): string[];
}

export function recordRouteMethods(app: FastifyInstance): RouteMethods {
  const routes: Array<{ pattern: RegExp; methods: string[] }> = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    routes.push({ pattern: toPattern(route.url ?? route.path), methods: methods.map(String) });
  });
  return {
    allowed(path) {
      const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
      const found = new Set<string>();
      for (const r of routes) if (r.pattern.test(trimmed)) for (const m of r.methods) found.add(m);
      return [...found].sort();
    },
  };
}

function toPattern(url: string): RegExp {
  const body = url
    .replace(/\/+$/, '')
    .split('/')
    .map((seg) => (seg === '*' ? '.*' : seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${body === '' ? '/?' : body}$`);
}
