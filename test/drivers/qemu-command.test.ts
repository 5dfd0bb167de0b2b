import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_REQUIREMENTS } from '../../src/domain/appliance.ts';
import { isFleetyardError } from '../../src/domain/errors.ts';
import type { RuntimeSpec } from '../../src/drivers/driver.ts';
import { macAddress, qemuPaths, tapName } from '../../src/drivers/qemu/paths.ts';
import { MIN_MEMORY_MIB, qemuArgs } from '../../src/drivers/qemu/qemu-command.ts';

/** The QEMU command line as a pure function of the spec: what goes on it, and what never does. */
const paths = qemuPaths('/var/lib/fleetyard/run/qemu');
const spec: RuntimeSpec = {
  applianceId: 'app-1',
  name: 'app-1',
  hostname: 'web-1',
  command: [],
  requirements: { ...DEFAULT_REQUIREMENTS, cpu: 2, memoryMiB: 512 },
  root: { format: 'qcow2', imagePath: '/s/images/i/disk.qcow2', clonePath: '/s/clones/app-1/disk.qcow2' },
  network: { name: 'n', bridge: 'fybr0', address: '169.254.7.5', prefixLength: 24, gateway: '169.254.7.1' },
  env: {},
  login: { user: 'alice', sshPublicKey: null, password: 'secret pass' },
  kernel: { name: 'k', vmlinuzPath: '/k/vmlinuz', initrdPath: '/k/initrd.gz', cmdline: 'console=ttyS0 quiet' },
};
const after = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('qemu command line', () => {
  it('boots the kernel with the fy.* parameters, the clone, the tap and the sockets', () => {
    const args = qemuArgs(spec, paths, 'tcg');
    assert.equal(after(args, '-append'), 'console=ttyS0 quiet fy.marker fy.root=/dev/vda fy.ip=169.254.7.5/24 fy.gw=169.254.7.1 fy.hostname=web-1');
    assert.deepEqual([after(args, '-accel'), after(args, '-m'), after(args, '-smp')], ['tcg', '512', '2']);
    assert.equal(after(args, '-kernel'), '/k/vmlinuz');
    assert.equal(after(args, '-initrd'), '/k/initrd.gz');
    assert.match(after(args, '-drive') ?? '', /^file=\/s\/clones\/app-1\/disk\.qcow2,format=qcow2,if=virtio/);
    assert.ok(args.includes(`tap,id=net0,ifname=${tapName('app-1')},script=no,downscript=no`));
    assert.ok(args.includes(`virtio-net-pci,netdev=net0,mac=${macAddress('app-1')},romfile=`));
    assert.ok(args.includes('-daemonize') && args.includes('-no-reboot'));
    assert.equal(after(args, '-name'), 'fleetyard-app-1,process=fleetyard-app-1');
    assert.deepEqual(qemuArgs(spec, paths, 'kvm').slice(args.indexOf('-accel'), args.indexOf('-accel') + 4), ['-accel', 'kvm', '-cpu', 'host']);
  });

  it('keeps the seed, and so the password, off the command line', () => {
    const args = qemuArgs(spec, paths, 'tcg');
    assert.ok(!JSON.stringify(args).includes('secret'));
    assert.ok(!JSON.stringify(args).includes('fy.seed'));
    assert.equal(after(args, '-fw_cfg'), `name=opt/fleetyard/seed,file=${paths.seedFile('app-1')}`);
  });

  it('gives at least the memory the kernel needs and a stable locally administered MAC', () => {
    const small = qemuArgs({ ...spec, requirements: { ...spec.requirements, memoryMiB: 64 } }, paths, 'tcg');
    assert.equal(after(small, '-m'), String(MIN_MEMORY_MIB));
    assert.match(macAddress('app-1'), /^52:54(:[0-9a-f]{2}){4}$/);
    assert.equal(macAddress('app-1'), macAddress('app-1'));
    assert.notEqual(macAddress('app-1'), macAddress('app-2'));
  });

  it('refuses what cannot be booted or carried on a kernel command line', () => {
    const refused = (s: RuntimeSpec) => assert.throws(() => qemuArgs(s, paths, 'tcg'), (e) => isFleetyardError(e) && e.code === 'FY_DRIVER_FAILED');
    refused({ ...spec, kernel: null });
    refused({ ...spec, root: { ...spec.root, format: 'rootfs-dir' } });
    refused({ ...spec, hostname: 'web 1 fy.root=http://evil/' });
  });

  it('puts sockets of a deep state dir where a unix socket path fits', () => {
    const deep = qemuPaths(`/${'d'.repeat(120)}`);
    assert.ok(Buffer.byteLength(deep.qmpSocket('app-1')) <= 108);
    assert.notEqual(deep.qmpSocket('app-1'), deep.eventsSocket('app-1'));
    assert.equal(deep.qmpSocket('app-1'), qemuPaths(`/${'d'.repeat(120)}`).qmpSocket('app-1'), 'derived, not random');
  });
});
