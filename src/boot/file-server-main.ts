import { rename, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { bootPaths } from './boot-paths.ts';
import { startFileServer } from './file-server.ts';
import { machineAccess } from './machine-access.ts';

/**
 * The file server as a process of its own: `file-server-main.ts --dir DIR --ready-file PATH
 * --host ADDR --port N`, serving DIR/www with the boot network's access rules (machine-access.ts:
 * each machine gets only its own script and export). The boot service runs it this way so that
 * it can live inside the boot network's namespace (`ip netns exec`), which an in-process server
 * of the agent cannot, and see the machines' real source addresses. It writes the ready file
 * once it listens and exits 0 on TERM or INT.
 */
const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    'ready-file': { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
  },
});
const { dir, host, port } = values;
const readyFile = values['ready-file'];
if (!dir || !host || !port || !readyFile) {
  process.stderr.write('usage: file-server-main.ts --dir DIR --ready-file PATH --host ADDR --port N\n');
  process.exit(2);
}

const paths = bootPaths(dir);
const server = await startFileServer({
  root: paths.wwwDir,
  host,
  port: Number(port),
  access: machineAccess(paths),
  log: (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
});
await writeFile(`${readyFile}.tmp`, `${process.pid}\n`);
await rename(`${readyFile}.tmp`, readyFile);
process.stdout.write(`${new Date().toISOString()} serving ${paths.wwwDir} on http://${host}:${port}\n`);

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
