import { join } from 'node:path';
import { macFileName } from './mac.ts';

/**
 * Where one boot service keeps things; everything is derived from its directory so that a
 * restarted agent finds its daemons, reservations and exports without any other record:
 *
 *   DIR/dnsmasq.pid, dnsmasq.log      the DHCP/TFTP daemon (its pid file is written by us)
 *   DIR/dnsmasq.leases                dnsmasq's lease database
 *   DIR/dhcp-hosts                    the reservations as dnsmasq reads them (--dhcp-hostsfile)
 *   DIR/reservations/<mac>            one reservation per file: the durable record dhcp-hosts
 *                                     is rendered from
 *   DIR/lease-event.sh                dnsmasq's --dhcp-script (writes into spool/)
 *   DIR/spool/                        lease events waiting to be read (discovery)
 *   DIR/file-server.pid, .log, .ready the HTTP file server
 *   DIR/tftp/                         undionly.kpxe, ipxe.efi: for firmware that is not iPXE
 *   DIR/www/                          the HTTP root; nothing outside it is ever served
 *   DIR/www/boot.ipxe                 every iPXE client's first script
 *   DIR/www/machines/<mac-hyp>.ipxe   the script of a machine that has an appliance to boot
 *   DIR/www/exports/<id>/<token>/     one boot of an appliance: vmlinuz, initrd, root.tar.gz
 *   DIR/grants/<id>                   who may fetch that export, and until when (export-grants.ts);
 *                                     outside www/, like the reservations the file server checks
 */
export interface BootPaths {
  dir: string;
  dnsmasqPid: string;
  dnsmasqLog: string;
  leases: string;
  hostsFile: string;
  reservationsDir: string;
  reservation(mac: string): string;
  leaseHook: string;
  spoolDir: string;
  fileServerPid: string;
  fileServerLog: string;
  fileServerReady: string;
  tftpDir: string;
  wwwDir: string;
  bootScript: string;
  machinesDir: string;
  machineScript(mac: string): string;
  exportsDir: string;
  applianceExports(applianceId: string): string;
  grantsDir: string;
  grant(applianceId: string): string;
}

export function bootPaths(dir: string): BootPaths {
  const wwwDir = join(dir, 'www');
  const reservationsDir = join(dir, 'reservations');
  const machinesDir = join(wwwDir, 'machines');
  const exportsDir = join(wwwDir, 'exports');
  const grantsDir = join(dir, 'grants');
  return {
    dir,
    dnsmasqPid: join(dir, 'dnsmasq.pid'),
    dnsmasqLog: join(dir, 'dnsmasq.log'),
    leases: join(dir, 'dnsmasq.leases'),
    hostsFile: join(dir, 'dhcp-hosts'),
    reservationsDir,
    reservation: (mac) => join(reservationsDir, macFileName(mac)),
    leaseHook: join(dir, 'lease-event.sh'),
    spoolDir: join(dir, 'spool'),
    fileServerPid: join(dir, 'file-server.pid'),
    fileServerLog: join(dir, 'file-server.log'),
    fileServerReady: join(dir, 'file-server.ready'),
    tftpDir: join(dir, 'tftp'),
    wwwDir,
    bootScript: join(wwwDir, 'boot.ipxe'),
    machinesDir,
    machineScript: (mac) => join(machinesDir, `${macFileName(mac)}.ipxe`),
    exportsDir,
    applianceExports: (id) => join(exportsDir, assertExportId(id)),
    grantsDir,
    grant: (id) => join(grantsDir, assertExportId(id)),
  };
}

/** Appliance ids become path components and URL segments: keep them boring. */
export function assertExportId(id: string): string {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(id)) throw new RangeError(`not a valid appliance id: ${id}`);
  return id;
}
