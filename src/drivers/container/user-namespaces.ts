import { readFile } from 'node:fs/promises';
import { release } from 'node:os';
import { execAllowFail } from '../../host/exec.ts';
import { compareKernel } from './seccomp.ts';

/**
 * Whether appliances could get their own user namespace on this host, and why they do not.
 *
 * In its own user namespace an appliance's root would be an unprivileged uid on the host, so a
 * process that escaped the container would hold nothing. The obstacle is the root filesystem:
 * an overlay whose lower layer is the image every appliance shares (that is what makes a clone
 * O(1)) and whose files belong to host uid 0. Inside a user namespace they would belong to an
 * unmapped uid, and the appliance's root could not write even its own /etc/shadow. The ways out:
 *
 *   - idmapped mounts of the image and of the clone under the overlay (overlayfs takes idmapped
 *     layers from Linux 5.19). They need mount_setattr(2): runc 1.1 cannot idmap the root
 *     filesystem (runc 1.2 idmaps bind mounts only), mount(8) can from util-linux 2.39
 *     (`X-mount.idmap`), Node cannot at all;
 *   - fuse-overlayfs with `uidmapping`: one FUSE daemon per appliance, every file access through
 *     user space;
 *   - chowning the image into each appliance's range: a copy per appliance, not O(1).
 *
 * A second, smaller one: sysfs can be mounted only in a user namespace that owns the network
 * namespace, and an appliance's network namespace is made by the host beforehand (netns.ts), so
 * /sys would become a read-only bind mount. cgroup v1 is no obstacle (runc manages the cgroups
 * from the host either way). Fleetyard takes none of these ways yet, so appliances share the
 * host's user namespace; the rest of the confinement (capabilities, no_new_privileges, seccomp,
 * the port filter) does not depend on it.
 * `probeUserNamespaces` says what this host offers for the first way, so an operator (or the
 * change that adds it) sees exactly what is missing; `usable` is true only when every
 * prerequisite is there AND Fleetyard mounts idmapped layers, which it does not yet.
 */

export interface UserNamespaceProbe {
  usable: boolean;
  /** What the kernel allows: user namespaces at all, and overlayfs over idmapped layers. */
  kernel: { maxUserNamespaces: number; release: string; idmappedOverlay: boolean };
  /** The runc version, and whether it can idmap the root filesystem (no released runc can). */
  runc: { version: string | null; idmapsRootfs: boolean };
  /** util-linux's mount(8) version, and whether it makes idmapped mounts (2.39 and later). */
  mount: { version: string | null; idmaps: boolean };
  /** One sentence: why appliances do not get a user namespace here. */
  reason: string;
}

export async function probeUserNamespaces(): Promise<UserNamespaceProbe> {
  const max = Number((await readFile('/proc/sys/user/max_user_namespaces', 'utf8').catch(() => '0')).trim()) || 0;
  const kernelRelease = release();
  const idmappedOverlay = compareKernel(kernelRelease, '5.19') >= 0;
  const runcVersion = await versionOf('runc', ['--version'], /runc version (\d+\.\d+\.\d+)/);
  const mountVersion = await versionOf('mount', ['--version'], /util-linux (\d+\.\d+(?:\.\d+)?)/);
  const mountIdmaps = mountVersion !== null && compareKernel(mountVersion, '2.39') >= 0;
  const missing: string[] = [];
  if (max === 0) missing.push('the kernel allows no user namespaces (user.max_user_namespaces is 0)');
  if (!idmappedOverlay) missing.push(`Linux ${kernelRelease} has no overlayfs over idmapped layers (5.19)`);
  missing.push(`runc ${runcVersion ?? '(not found)'} cannot idmap the root filesystem`);
  if (!mountIdmaps) missing.push(`mount from util-linux ${mountVersion ?? '(not found)'} makes no idmapped mounts (X-mount.idmap needs 2.39)`);
  else missing.push('Fleetyard does not mount idmapped image layers yet');
  return {
    usable: false,
    kernel: { maxUserNamespaces: max, release: kernelRelease, idmappedOverlay },
    runc: { version: runcVersion, idmapsRootfs: false },
    mount: { version: mountVersion, idmaps: mountIdmaps },
    reason:
      `appliances share the host's user namespace: ${missing.join('; ')}; ` +
      "without idmapped layers the shared image's files, owned by host uid 0, would be unowned inside an appliance's namespace",
  };
}

async function versionOf(bin: string, args: string[], pattern: RegExp): Promise<string | null> {
  const r = await execAllowFail(bin, args).catch(() => null);
  if (r === null || r.exitCode !== 0) return null;
  return pattern.exec(r.stdout)?.[1] ?? null;
}
