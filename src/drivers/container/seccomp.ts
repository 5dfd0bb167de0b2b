import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The appliance's seccomp filter: the default profile of container runtimes, moby's
 * `profiles/seccomp/default.json`, kept verbatim in `seccomp-default.json` beside this file
 * (Apache-2.0; `scripts/update-seccomp-profile.sh` refreshes it from Debian's package
 * golang-github-docker-docker-dev, which ships moby's source). It is an allow-list: every
 * syscall it does not name fails with EPERM (runc's errno for SCMP_ACT_ERRNO without one).
 *
 * `resolveSeccomp` turns that profile into the OCI `linux.seccomp` of one container exactly as
 * moby's `setupSeccomp` does: an entry applies only when its `includes` hold (every listed
 * capability in the bounding set, the architecture listed, the kernel at least `minKernel`) and
 * its `excludes` do not (no listed capability, not a listed architecture, the kernel below
 * `minKernel`). So the capabilities decide the syscalls: without CAP_SYS_ADMIN there is no
 * mount, unshare, setns or sethostname; without CAP_SYS_CHROOT no chroot; keyctl, add_key and
 * request_key are never allowed; clone may not make namespaces and clone3 answers ENOSYS (so libc
 * falls back to clone, whose flags the filter can see).
 */

type Action = 'SCMP_ACT_ALLOW' | 'SCMP_ACT_ERRNO' | 'SCMP_ACT_KILL' | 'SCMP_ACT_TRAP' | 'SCMP_ACT_TRACE' | 'SCMP_ACT_LOG';

interface Filter {
  caps?: string[];
  arches?: string[];
  minKernel?: string;
}

interface ProfileArg {
  index: number;
  value: number;
  valueTwo?: number;
  op: string;
}

interface ProfileSyscall {
  name?: string;
  names?: string[];
  action: Action;
  errnoRet?: number;
  args: ProfileArg[] | null;
  comment?: string;
  includes?: Filter;
  excludes?: Filter;
}

/** moby's profile format (profiles/seccomp/seccomp.go). */
export interface SeccompProfile {
  defaultAction: Action;
  defaultErrnoRet?: number;
  archMap?: { architecture: string; subArchitectures: string[] }[];
  syscalls: ProfileSyscall[];
}

/** The OCI runtime spec's `linux.seccomp`. */
export interface OciSeccomp {
  defaultAction: Action;
  defaultErrnoRet?: number;
  architectures: string[];
  syscalls: { names: string[]; action: Action; errnoRet?: number; args?: ProfileArg[] }[];
}

export interface SeccompTarget {
  /** The container's bounding capability set (CAP_… names). */
  bounding: readonly string[];
  /** Node's `process.arch`. */
  arch: string;
  /** The kernel release, `os.release()`. */
  kernel: string;
}

/** Node's process.arch → libseccomp's native name, as moby maps GOARCH (only the ones Node has). */
const NATIVE_ARCH: Record<string, string> = {
  ia32: 'x86',
  x64: 'amd64',
  arm: 'arm',
  arm64: 'arm64',
  mips: 'mips',
  mipsel: 'mipsle',
  ppc: 'ppc',
  ppc64: 'ppc64le',
  s390: 's390',
  s390x: 's390x',
};

/** libseccomp's native name → the OCI architecture name (moby's nativeToSeccomp). */
const SECCOMP_ARCH: Record<string, string> = {
  x86: 'SCMP_ARCH_X86',
  amd64: 'SCMP_ARCH_X86_64',
  arm: 'SCMP_ARCH_ARM',
  arm64: 'SCMP_ARCH_AARCH64',
  mips64: 'SCMP_ARCH_MIPS64',
  mips64n32: 'SCMP_ARCH_MIPS64N32',
  mipsel64: 'SCMP_ARCH_MIPSEL64',
  mips3l64n32: 'SCMP_ARCH_MIPSEL64N32',
  mipsle: 'SCMP_ARCH_MIPSEL',
  ppc: 'SCMP_ARCH_PPC',
  ppc64: 'SCMP_ARCH_PPC64',
  ppc64le: 'SCMP_ARCH_PPC64LE',
  s390: 'SCMP_ARCH_S390',
  s390x: 'SCMP_ARCH_S390X',
};

let defaultProfile: SeccompProfile | null = null;

/** The default profile, read once from seccomp-default.json. */
export function defaultSeccompProfile(): SeccompProfile {
  defaultProfile ??= JSON.parse(readFileSync(join(import.meta.dirname, 'seccomp-default.json'), 'utf8')) as SeccompProfile;
  return defaultProfile;
}

/** The profile resolved for a container with these capabilities on this machine. */
export function resolveSeccomp(profile: SeccompProfile, target: SeccompTarget): OciSeccomp {
  const arch = NATIVE_ARCH[target.arch] ?? '';
  const seccompArch = SECCOMP_ARCH[arch];
  const architectures: string[] = [];
  const mapped = profile.archMap?.find((a) => a.architecture === seccompArch);
  if (mapped) architectures.push(mapped.architecture, ...mapped.subArchitectures);
  const kernelAtLeast = (min: string) => compareKernel(target.kernel, min) >= 0;
  const applies = (call: ProfileSyscall): boolean => {
    const ex = call.excludes ?? {};
    const inc = call.includes ?? {};
    if (ex.arches?.includes(arch)) return false;
    if (ex.caps?.some((c) => target.bounding.includes(c))) return false;
    if (ex.minKernel !== undefined && kernelAtLeast(ex.minKernel)) return false;
    if (inc.arches !== undefined && inc.arches.length > 0 && !inc.arches.includes(arch)) return false;
    if (inc.caps?.some((c) => !target.bounding.includes(c))) return false;
    if (inc.minKernel !== undefined && !kernelAtLeast(inc.minKernel)) return false;
    return true;
  };
  const syscalls: OciSeccomp['syscalls'] = [];
  for (const call of profile.syscalls) {
    if (!applies(call)) continue;
    if (call.name !== undefined && call.names !== undefined) {
      throw new Error("a seccomp profile entry has both 'name' and 'names'");
    }
    const names = call.names ?? (call.name === undefined ? [] : [call.name]);
    syscalls.push({
      names,
      action: call.action,
      ...(call.errnoRet === undefined ? {} : { errnoRet: call.errnoRet }),
      ...(call.args && call.args.length > 0 ? { args: call.args } : {}),
    });
  }
  return {
    defaultAction: profile.defaultAction,
    ...(profile.defaultErrnoRet === undefined ? {} : { defaultErrnoRet: profile.defaultErrnoRet }),
    architectures,
    syscalls,
  };
}

/**
 * Compares kernel versions on their first two numbers, as moby does: "6.18.44-fc" and "6.18" are
 * equal, "4.8" is below "4.10". Negative, zero or positive like a sort comparator.
 */
export function compareKernel(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^(\d+)\.(\d+)/.exec(v);
    if (!m) throw new RangeError(`not a kernel version: ${v}`);
    return [Number(m[1]), Number(m[2])] as const;
  };
  const [ak, am] = parse(a);
  const [bk, bm] = parse(b);
  return ak !== bk ? ak - bk : am - bm;
}
