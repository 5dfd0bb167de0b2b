import { open, realpath, stat, type FileHandle } from 'node:fs/promises';
import http from 'node:http';
import { sep } from 'node:path';

/**
 * The boot network's HTTP file server: iPXE fetches its scripts, the kernel and the initrd from
 * it, and the appliance's initramfs its root tarball. HTTP rather than TFTP because the root
 * tarball is megabytes and the initramfs fetches it with wget; iPXE is quicker over HTTP too.
 *
 * It serves regular files under `root` with GET and HEAD and nothing else: no listings, no
 * uploads. A path is resolved with symlinks followed and must still lie under the root, so
 * neither `..` nor a link can reach a file outside it. Then `access` decides, from the file and
 * the request's source address, whether this client may have it; a refusal is the very answer a
 * missing file gets, so a client learns nothing about what it may not fetch. Every request is
 * logged on one line: `CLIENT METHOD URL STATUS`, plus `denied` for a refusal.
 */
export interface FileServerOptions {
  root: string;
  host: string;
  port: number;
  access: FileAccess;
  log?: (line: string) => void;
}

export interface FileAccess {
  /**
   * May `client` (the request's source address) have the file at `path` (its real path under
   * the root, starting with '/')? null: no, answered as a missing file. With `consume` the file
   * is served at most once: `consume` runs once the file is open for a GET and before a byte is
   * sent, and must make it unreachable (the open descriptor still reads it).
   */
  decide(path: string, client: string): Promise<{ consume?: () => Promise<void> } | null>;
}

/** Lets every client have every file: for a server whose files are all public. */
export const PUBLIC_FILES: FileAccess = { decide: async () => ({}) };

export async function startFileServer(opts: FileServerOptions): Promise<http.Server> {
  const root = await realpath(opts.root);
  const log = opts.log ?? (() => undefined);
  // Files being consumed right now: a second GET while the first opens them gets a 404.
  const taking = new Set<string>();
  const server = http.createServer((req, res) => {
    const client = clientAddress(req);
    serve({ root, access: opts.access, taking }, client, req, res).then(
      (status) => log(`${client} ${req.method} ${req.url} ${status}`),
      (e: unknown) => {
        log(`${client} ${req.method} ${req.url} 500 ${e instanceof Error ? e.message : String(e)}`);
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

interface ServeContext {
  root: string;
  access: FileAccess;
  taking: Set<string>;
}

async function serve(ctx: ServeContext, client: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<string> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return '405';
  }
  const notFound = (why = '') => {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return `404${why}`;
  };
  const file = await resolveUnder(ctx.root, req.url ?? '/');
  const st = file === null ? null : await stat(file).catch(() => null);
  if (file === null || st === null || !st.isFile()) return notFound();
  const grant = client === '' ? null : await ctx.access.decide(file.slice(ctx.root.length), client);
  if (grant === null) return notFound(' denied');
  if (req.method === 'HEAD') {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': st.size }).end();
    return '200';
  }
  if (grant.consume && ctx.taking.has(file)) return notFound(' taken');
  if (grant.consume) ctx.taking.add(file);
  let fh: FileHandle;
  try {
    const opened = await open(file, 'r').catch(() => null);
    if (opened === null) return notFound();
    fh = opened;
    try {
      await grant.consume?.();
    } catch (e) {
      await fh.close();
      throw e;
    }
  } finally {
    ctx.taking.delete(file);
  }
  const size = await fh.stat().then(
    (s) => s.size,
    async (e: unknown) => {
      await fh.close();
      throw e;
    },
  );
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
  await new Promise<void>((resolve, reject) => {
    const stream = fh.createReadStream(); // closes the descriptor when it ends or fails
    stream.once('error', reject);
    res.once('close', () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(res);
  });
  return '200';
}

/** The request's source address as plain IPv4 (no `::ffff:` prefix), or '' when the socket has none. */
function clientAddress(req: http.IncomingMessage): string {
  const a = req.socket.remoteAddress ?? '';
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice('::ffff:'.length) : a;
}

/** The real path of a URL's file under `root`, or null when it is not there or would escape. */
export async function resolveUnder(root: string, url: string): Promise<string | null> {
  let path: string;
  try {
    path = decodeURIComponent(new URL(url, 'http://x').pathname);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.split('/').some((part) => part === '..')) return null;
  const real = await realpath(root + path).catch(() => null);
  if (real === null || !real.startsWith(root + sep)) return null;
  return real;
}
