import { mkdir, readFile } from 'node:fs/promises';
import { exec } from '../../host/exec.ts';

/**
 * The appliance's root filesystem: the master image as overlay lower layer, the clone's upper/
 * and work/ on top, mounted on the bundle's rootfs dir. Writes land in the clone; the image is
 * never modified, which is what makes a clone O(1) and safe to share.
 *
 * Both operations check /proc/self/mountinfo first, so they are idempotent.
 */

export interface OverlaySpec {
  lowerDir: string;
  upperDir: string;
  workDir: string;
  mergedDir: string;
}

/** Mount points from /proc/self/mountinfo (octal escapes such as \040 decoded). */
export async function mountPoints(): Promise<string[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  const points: string[] = [];
  for (const line of text.split('\n')) {
    const field = line.split(' ')[4];
    if (field) points.push(field.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8))));
  }
  return points;
}

export async function isMounted(path: string): Promise<boolean> {
  return (await mountPoints()).includes(path);
}

export async function mountOverlay(spec: OverlaySpec): Promise<void> {
  if (await isMounted(spec.mergedDir)) return;
  for (const p of [spec.lowerDir, spec.upperDir, spec.workDir]) {
    if (/[,:\s]/.test(p)) throw new RangeError(`overlay paths must not contain ',', ':' or spaces: ${p}`);
  }
  await mkdir(spec.mergedDir, { recursive: true });
  const options = `lowerdir=${spec.lowerDir},upperdir=${spec.upperDir},workdir=${spec.workDir}`;
  await exec('mount', ['-t', 'overlay', 'overlay', '-o', options, spec.mergedDir]);
}

/** Unmounts every mount stacked on `mergedDir`; not mounted is fine. */
export async function unmountOverlay(mergedDir: string): Promise<void> {
  while (await isMounted(mergedDir)) await exec('umount', [mergedDir]);
}
