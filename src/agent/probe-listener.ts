import { createServer, connect, type Server } from 'node:net';

/**
 * The address other hosts' agents connect to when the control plane asks whether this host is
 * reachable (a second signal when its heartbeats stop). It accepts a connection and closes it;
 * nothing is read or written.
 */
export async function startProbeListener(address: string, port: number): Promise<{ address: string; port: number; close: () => Promise<void> }> {
  const server: Server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => resolve());
  });
  const bound = server.address();
  const actual = typeof bound === 'object' && bound ? bound.port : port;
  return { address, port: actual, close: () => new Promise((r) => server.close(() => r())) };
}

/** Connects to `address:port` within `timeoutMs`: reachable, or the error that says why not. */
export function probeReachable(address: string, port: number, timeoutMs = 1_000): Promise<{ reachable: boolean; error: string | null }> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    const done = (reachable: boolean, error: string | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ reachable, error });
    };
    const timer = setTimeout(() => done(false, `no answer within ${timeoutMs} ms`), timeoutMs);
    socket.once('connect', () => done(true, null));
    socket.once('error', (e) => done(false, e.message));
  });
}
