import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inNetwork, type BootNetwork } from './boot-network.ts';
import type { BootPaths } from './boot-paths.ts';
import type { DaemonSpec } from './daemon.ts';

/**
 * The daemon spec of the network's HTTP file server: this same Node.js with the TypeScript
 * loader the agent runs under, running file-server-main.ts inside the boot network. Ready once
 * it wrote its own pid into the ready file (a stale file from an earlier run names another pid).
 *
 * A file server of an earlier build (`--root`, serving every file to every client) named only
 * the ready file in its command line: such a process is stopped and replaced, never adopted.
 */
export function fileServerDaemon(net: BootNetwork, paths: BootPaths): DaemonSpec {
  const main = join(import.meta.dirname, 'file-server-main.ts');
  const [command, args] = inNetwork(net, process.execPath, [
    '--import',
    import.meta.resolve('tsx'),
    main,
    '--dir',
    paths.dir,
    '--ready-file',
    paths.fileServerReady,
    '--host',
    net.serverAddress,
    '--port',
    String(net.httpPort),
  ]);
  return {
    name: `file server of boot network ${net.name}`,
    command,
    args,
    pidFile: paths.fileServerPid,
    logFile: paths.fileServerLog,
    marker: `--dir ${paths.dir} --ready-file ${paths.fileServerReady}`,
    supersedes: paths.fileServerReady,
    async ready({ pid }) {
      const written = await readFile(paths.fileServerReady, 'utf8').catch(() => '');
      return written.trim() === String(pid);
    },
  };
}
