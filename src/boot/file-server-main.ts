import { rename, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startFileServer } from './file-server.ts';

/**
 * The file server as a process of its own: `file-server-main.ts --root DIR --host ADDR --port N
 * --ready-file PATH`. The boot service runs it this way so that it can live inside the boot
 * network's namespace (`ip netns exec`), which an in-process server of the agent cannot. It
 * writes the ready file once it listens and exits 0 on TERM or INT.
 */
const { values } = parseArgs({
  options: {
    root: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    'ready-file': { type: 'string' },
  },
});
const { root, host, port } = values;
const readyFile = values['ready-file'];
if (!root || !host || !port || !readyFile) {
  process.stderr.write('usage: file-server-main.ts --root DIR --host ADDR --port N --ready-file PATH\n');
  process.exit(2);
}

const server = await startFileServer({
  root,
  host,
  port: Number(port),
  log: (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
});
await writeFile(`${readyFile}.tmp`, `${process.pid}\n`);
await rename(`${readyFile}.tmp`, readyFile);
process.stdout.write(`${new Date().toISOString()} serving ${root} on http://${host}:${port}\n`);

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
