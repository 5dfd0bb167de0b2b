import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CAPABILITIES } from '../../src/drivers/container/oci-config.ts';
import { compareKernel, defaultSeccompProfile, resolveSeccomp, type OciSeccomp } from '../../src/drivers/container/seccomp.ts';

/**
 * The default seccomp profile resolved the way moby resolves it, checked on what matters for an
 * appliance: the capability set decides which privileged syscalls exist, and everything the
 * profile does not name is refused. (That the kernel enforces it is shown by
 * test/drivers/least-privilege.test.ts, inside a real appliance.)
 */

const x64 = (bounding: readonly string[], kernel = '6.18.44-fc') => resolveSeccomp(defaultSeccompProfile(), { bounding, arch: 'x64', kernel });

function allowed(s: OciSeccomp, name: string): boolean {
  return s.syscalls.some((c) => c.action === 'SCMP_ACT_ALLOW' && c.names.includes(name) && c.args === undefined);
}

describe('the default seccomp profile for an appliance', () => {
  it('is an allow-list that refuses the rest with an errno', () => {
    const s = x64(CAPABILITIES);
    assert.equal(s.defaultAction, 'SCMP_ACT_ERRNO');
    assert.ok(allowed(s, 'read') && allowed(s, 'execve') && allowed(s, 'socket'));
    assert.deepEqual(s.architectures, ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
  });

  it('gives no namespace, mount or key syscalls without CAP_SYS_ADMIN, and never the key ring', () => {
    const s = x64(CAPABILITIES);
    for (const name of ['unshare', 'setns', 'mount', 'umount2', 'sethostname', 'bpf', 'keyctl', 'add_key', 'request_key', 'clone3']) {
      assert.equal(allowed(s, name), false, name);
    }
    const admin = x64([...CAPABILITIES, 'CAP_SYS_ADMIN']);
    for (const name of ['unshare', 'setns', 'mount', 'sethostname']) assert.equal(allowed(admin, name), true, name);
    for (const name of ['keyctl', 'add_key', 'request_key']) assert.equal(allowed(admin, name), false, name);
  });

  it('lets clone make no namespaces and makes clone3 answer ENOSYS, so libc falls back to clone', () => {
    const s = x64(CAPABILITIES);
    const clone = s.syscalls.filter((c) => c.names.includes('clone'));
    assert.equal(clone.length, 1);
    assert.deepEqual(clone[0]?.args, [{ index: 0, value: 2114060288, op: 'SCMP_CMP_MASKED_EQ' }]);
    // (flags & 2114060288) == 0, 2114060288 = CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET: all must be clear.
    assert.equal(2114060288, 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000);
    const clone3 = s.syscalls.filter((c) => c.names.includes('clone3'));
    assert.deepEqual(clone3, [{ names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 }]);
  });

  it('follows the capabilities it is given: chroot only with CAP_SYS_CHROOT', () => {
    assert.equal(allowed(x64(CAPABILITIES), 'chroot'), true);
    assert.equal(allowed(x64(CAPABILITIES.filter((c) => c !== 'CAP_SYS_CHROOT')), 'chroot'), false);
  });

  it('follows the architecture and the kernel', () => {
    assert.equal(allowed(x64(CAPABILITIES), 'arch_prctl'), true);
    const arm = resolveSeccomp(defaultSeccompProfile(), { bounding: CAPABILITIES, arch: 'arm64', kernel: '6.1' });
    assert.equal(allowed(arm, 'arch_prctl'), false);
    assert.deepEqual(arm.architectures, ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM']);
    // ptrace is safe only from 4.8 on (seccomp could be bypassed through it before).
    assert.equal(allowed(x64(CAPABILITIES, '4.8.0'), 'ptrace'), true);
    assert.equal(allowed(x64(CAPABILITIES, '4.4.0-generic'), 'ptrace'), false);
  });

  it('compares kernel versions on their first two numbers', () => {
    assert.equal(compareKernel('6.18.44-fc-v669', '6.18'), 0);
    assert.ok(compareKernel('4.8', '4.10') < 0);
    assert.ok(compareKernel('5.0-rc1', '4.19') > 0);
    assert.throws(() => compareKernel('vmlinuz', '4.8'), RangeError);
  });
});
