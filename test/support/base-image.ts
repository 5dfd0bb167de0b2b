import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The busybox base image tarball the end-to-end tests deploy, built once per machine from Debian's
 * busybox-static by the project's own script (nothing is fetched from the internet).
 */
export function baseImageTar(): string {
  const dir = join(tmpdir(), 'fleetyard-test-images');
  const tar = join(dir, 'base.tar');
  // The script rebuilds only when the tarball is older than the script or busybox.
  mkdirSync(dir, { recursive: true });
  execFileSync('bash', [join(import.meta.dirname, '../../scripts/build-base-image.sh'), tar], { stdio: 'ignore' });
  return tar;
}
