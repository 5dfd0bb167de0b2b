/**
 * Files that pass for a kernel or an initrd by their first bytes only (what the kernel store
 * checks), for tests that store a kernel without booting it. Booting tests use the real set of
 * test/support/test-kernel.ts.
 */
export function fakeBzImage(size = 4096): Buffer {
  const b = Buffer.alloc(size);
  b.write('HdrS', 0x202, 'latin1');
  return b;
}

/** An empty newc cpio archive: its trailer entry alone. */
export function fakeInitrd(): Buffer {
  const header = `070701${'00000000'.repeat(11)}0000000B00000000TRAILER!!!\0`;
  return Buffer.concat([Buffer.from(header, 'latin1'), Buffer.alloc((4 - (header.length % 4)) % 4)]);
}
