import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import http from 'node:http';
import { sep } from 'node:path';

/**
 * The boot network's HTTP file server: iPXE fetches its scripts, the kernel and the initrd from
 * it, and the appliance's initramfs its root tarball. HTTP rather than TFTP because the root
 * tarball is megabytes and the initramfs fetches it with wget; iPXE is quicker over HTTP too.
 *
 * It serves regular files under `root` with GET and HEAD and nothing else: no listings, no
 * uploads. A path is resolved with symlinks followed and must still lie under the root, so
 * neither `..` nor a link can reach a file outside it. Every request is logged on one line.
 */
export interface FileServerOptions {
  root: string;
  host: string;
  port: number;
  log?: (line: string) => void;
}

export async function startFileServer(opts: FileServerOptions): Promise<http.Server> {
  const root = await realpath(opts.root);
  const log = opts.log ?? (() => undefined);
  const server = http.createServer((req, res) => {
    void serve(root, req, res).then(
      (status) => log(`${req.method} ${req.url} ${status}`),
      (e: unknown) => {
        log(`${req.method} ${req.url} 500 ${e instanceof Error ? e.message : String(e)}`);
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

async function serve(root: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<number> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return 405;
  }
  const file = await resolveUnder(root, req.url ?? '/');
  const st = file === null ? null : await stat(file).catch(() => null);
  if (file === null || st === null || !st.isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return 404;
  }
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': st.size });
  if (req.method === 'HEAD') {
    res.end();
    return 200;
  }
  await new Promise<void>((resolve, reject) => {
    const stream = createReadStream(file);
    stream.once('error', reject);
    res.once('close', resolve);
    stream.pipe(res);
  });
  return 200;
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
