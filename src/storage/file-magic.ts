/**
 * What a kernel or initrd file is, from its first bytes. Checked before a file is kept, so the
 * kernel store holds only files that are what they say they are.
 */

/** Enough of a file's head for every check below. */
export const MAGIC_HEAD_BYTES = 0x206;

/** An x86 Linux boot image (bzImage): the setup header's "HdrS" signature at 0x202. */
export function isBzImage(head: Buffer): boolean {
  return head.length >= 0x206 && head.toString('latin1', 0x202, 0x206) === 'HdrS';
}

const INITRD_MAGIC: ReadonlyArray<readonly [string, Buffer]> = [
  ['gzip', Buffer.from([0x1f, 0x8b])],
  ['zstd', Buffer.from([0x28, 0xb5, 0x2f, 0xfd])],
  ['xz', Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])],
  ['lz4', Buffer.from([0x02, 0x21, 0x4c, 0x18])], // the legacy frame the kernel's unlz4 reads
  ['lz4', Buffer.from([0x04, 0x22, 0x4d, 0x18])],
  ['cpio', Buffer.from('070701', 'latin1')], // newc
  ['cpio', Buffer.from('070702', 'latin1')], // newc with checksums
  ['cpio', Buffer.from('070707', 'latin1')], // odc
];

/** The format of an initramfs (compressed, or a plain cpio archive), or null if it is none. */
export function initrdFormat(head: Buffer): string | null {
  for (const [format, magic] of INITRD_MAGIC) {
    if (head.length >= magic.length && head.subarray(0, magic.length).equals(magic)) return format;
  }
  return null;
}

export function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** A tar header: "ustar" at 257 (POSIX ustar and GNU tar both write it). */
export function isTarHeader(head: Buffer): boolean {
  return head.length >= 262 && head.toString('latin1', 257, 262) === 'ustar';
}
