import { existsSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Where `npm start` (scripts/build-web.sh) puts the built console. */
export const DEFAULT_CONSOLE_DIR = resolve(import.meta.dirname, '../../web/dist');

/**
 * The console may load only what it was built with, from this origin: no inline or foreign
 * script, no framing, no plug-ins. Styles allow inline attributes because the component library
 * sets CSS variables through `style`; that cannot run code.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Paths the API owns; a miss there is a JSON 404, never the console's page. */
const API_PATHS = /^\/(api|docs|openapi\.json|healthz|metrics)(\/|$|\?)/;

function consoleHeaders(reply: FastifyReply, path: string): void {
  void reply.header('content-security-policy', CONSOLE_CSP);
  void reply.header('x-content-type-options', 'nosniff');
  void reply.header('referrer-policy', 'same-origin');
  // Vite names every asset by its content hash, so an asset never changes under its name; the
  // page itself must be revalidated so a new build is picked up at once.
  void reply.header('cache-control', /[/\\]assets[/\\]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
}

/**
 * Serves the web console at `/` from the same origin as the API, so its session cookie and CSRF
 * header work without CORS. It adds no routes: a GET that no API route takes is answered here, by
 * a built file if one exists under that path, else by the page itself for the client-side router
 * (`/appliances/…`, `/portal/…`) when the browser asks for HTML. API paths keep their JSON 404.
 */
export async function registerWebConsole(app: FastifyInstance, dir: string): Promise<ConsoleFallback> {
  const root = resolve(dir);
  const indexFile = join(root, 'index.html');
  if (!existsSync(indexFile)) {
    return (req, reply) => {
      if (req.method !== 'GET' || !(req.headers.accept ?? '').includes('text/html') || API_PATHS.test(req.url)) return false;
      void reply.status(503).type('text/plain; charset=utf-8')
        .send('The web console is not built. `npm start` builds it (or run `bash scripts/build-web.sh`).\n');
      return true;
    };
  }
  await app.register(fastifyStatic, {
    root,
    serve: false,
    cacheControl: false,
    lastModified: false,
    etag: true,
    setHeaders: (res, path) => consoleHeaders(res, path),
  });
  return (req, reply) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (API_PATHS.test(req.url)) return false;
    const file = builtFile(root, req.url);
    if (file) {
      void reply.sendFile(file);
      return true;
    }
    if (!(req.headers.accept ?? '').includes('text/html')) return false;
    void reply.sendFile('index.html');
    return true;
  };
}

/** Answers a request the API has no route for; false leaves it to the API's 404. */
export type ConsoleFallback = (req: FastifyRequest, reply: FastifyReply) => boolean;

/** The built file a URL names, relative to the build folder, if it exists inside it. */
function builtFile(root: string, url: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(url.split('?')[0] ?? '/');
  } catch {
    return undefined;
  }
  // No dotfiles (the build's source hash) and nothing outside the build folder.
  if (path === '/' || path.includes('\0') || /(^|\/)\./.test(path)) return undefined;
  const full = resolve(root, `.${path}`);
  if (!full.startsWith(root + sep)) return undefined;
  try {
    return statSync(full).isFile() ? full.slice(root.length + 1) : undefined;
  } catch {
    return undefined;
  }
}
