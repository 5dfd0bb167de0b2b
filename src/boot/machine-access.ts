import type { BootPaths } from './boot-paths.ts';
import { EXPORT_TOKEN, readGrant, retireExport } from './export-grants.ts';
import type { FileAccess } from './file-server.ts';
import { isMac } from './mac.ts';
import { reservedAddress } from './reservations.ts';

/** The file of an export that is served once: the machine has its root when it has this. */
export const ROOT_TARBALL = 'root.tar.gz';
/** What an export holds (anything else in its directory, a temporary file say, is never served). */
const EXPORT_FILES = new Set(['vmlinuz', 'initrd', ROOT_TARBALL]);

/**
 * Who may fetch what from a boot network's file server (the paths of boot-paths.ts, under www/):
 *
 *   /boot.ipxe                        anyone: every iPXE client's first script, the same for all
 *   /machines/<mac>.ipxe              only the address reserved for <mac>
 *   /exports/<id>/<token>/<file>      vmlinuz, initrd, root.tar.gz: only the address reserved
 *                                     for the MAC of the appliance's grant, while the grant is
 *                                     for <token> and its boot window is open; root.tar.gz once,
 *                                     after which the export is gone
 *   anything else                     nobody
 *
 * The source address is what the file server sees on its socket: it runs inside the boot
 * network's namespace, with no NAT or proxy in between. Reservations and grants are read on
 * every request, so an entry or export removed by the agent is refused from the next request on.
 *
 * What this rests on: a machine's address is the one DHCP gives its MAC. A machine that takes
 * another's address or MAC on the wire (the boot network is one L2 segment) passes as that
 * machine; the one-time root tarball then means the rightful machine fails to boot rather than
 * boots beside a copy, and the driver reports the failed start.
 */
export function machineAccess(paths: BootPaths, now: () => number = Date.now): FileAccess {
  return {
    async decide(path, client) {
      if (path === '/boot.ipxe') return {};
      const script = /^\/machines\/([0-9a-f-]{17})\.ipxe$/.exec(path);
      if (script) {
        const mac = script[1] as string;
        return isMac(mac) && (await reservedAddress(paths, mac)) === client ? {} : null;
      }
      const exported = /^\/exports\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(path);
      if (exported) {
        const [, id, token, file] = exported as unknown as [string, string, string, string];
        if (!EXPORT_TOKEN.test(token) || !EXPORT_FILES.has(file)) return null;
        const grant = await readGrant(paths, id).catch(() => null);
        if (grant === null || grant.token !== token || now() >= grant.notAfter) return null;
        if ((await reservedAddress(paths, grant.mac)) !== client) return null;
        return file === ROOT_TARBALL ? { consume: () => retireExport(paths, id, token) } : {};
      }
      return null;
    },
  };
}
