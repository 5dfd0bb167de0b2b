import { macFileName } from '../src/boot/mac.ts';

/** When the boot file server finished serving each file of one network boot (epoch ms). */
export interface BootFetches {
  /** The machine's own iPXE script, `/machines/<mac>.ipxe`. */
  script: number;
  kernel: number;
  initrd: number;
  /** The appliance's root filesystem tarball. */
  root: number;
}

/**
 * Reads one boot out of the boot file server's log (`<ISO time> <client> GET <url> <status>` per
 * request, written when the response ended; see src/boot/file-server.ts): the first 200 for the
 * machine's iPXE script, then for the appliance's exported vmlinuz, initrd and root.tar.gz
 * (`/exports/<applianceId>/<token>/…`). `text` should start where the boot began (the log is
 * appended to by every boot). Throws naming what is missing.
 */
export function bootFetches(text: string, mac: string, applianceId: string): BootFetches {
  const served = new Map<string, number>();
  const script = `/machines/${macFileName(mac)}.ipxe`;
  const exported = new RegExp(`^/exports/${applianceId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/[^/]+/(vmlinuz|initrd|root\\.tar\\.gz)$`);
  for (const line of text.split('\n')) {
    const m = /^(\S+) \S+ GET (\S+) 200$/.exec(line);
    if (!m) continue;
    const at = Date.parse(m[1] as string);
    const url = m[2] as string;
    const key = url === script ? 'script' : exported.exec(url)?.[1];
    if (key !== undefined && !served.has(key)) served.set(key, at);
  }
  const need = { script: 'script', kernel: 'vmlinuz', initrd: 'initrd', root: 'root.tar.gz' } as const;
  const missing = Object.entries(need).filter(([, key]) => !served.has(key));
  if (missing.length > 0) throw new Error(`the file server's log shows no ${missing.map(([, k]) => k).join(', ')} served for ${applianceId}`);
  return {
    script: served.get('script') as number,
    kernel: served.get('vmlinuz') as number,
    initrd: served.get('initrd') as number,
    root: served.get('root.tar.gz') as number,
  };
}
