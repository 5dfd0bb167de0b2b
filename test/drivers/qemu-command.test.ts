import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_REQUIREMENTS } from '../../src/domain/appliance.ts';
import { isFleetyardError } from '../../src/domain/errors.ts';
import type { RuntimeSpec } from '../../src/drivers/driver.ts';
import { macAddress, qemuPaths, tapName } from '../../src/drivers/qemu/paths.ts';
import { MIN_MEMORY_MIB, qemuArgs } from '../../src/drivers/qemu/qemu-command.ts';
import { buildSeed } from '../../src/drivers/seed.ts';

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
    // The root disk first (/dev/vda), then the NoCloud seed volume, read-only (/dev/vdb).
    const drives = args.flatMap((a, i) => (args[i - 1] === '-drive' ? [a] : []));
    assert.equal(drives.length, 2);
    assert.equal(drives[1], `file=${paths.cidataImage('app-1')},format=raw,if=virtio,readonly=on`);
    assert.ok(args.includes(`tap,id=net0,ifname=${tapName('app-1')},script=no,downscript=no`));
    assert.ok(args.includes(`virtio-net-pci,netdev=net0,mac=${macAddress('app-1')},romfile=`));
    assert.ok(args.includes('-daemonize') && args.includes('-no-reboot'));
    assert.equal(after(args, '-name'), 'fleetyard-app-1,process=fleetyard-app-1');
    assert.deepEqual(qemuArgs(spec, paths, 'kvm').slice(args.indexOf('-accel'), args.indexOf('-accel') + 4), ['-accel', 'kvm', '-cpu', 'host']);
  });

  it('gives a VM on further networks one NIC on its own tap for each, after the first and in order', () => {
    const more = [
      { name: 'lan', bridge: 'fybr1', address: '169.254.8.5', prefixLength: 24, gateway: '169.254.8.1' },
      { name: 'san', bridge: 'fybr2', address: '169.254.9.5', prefixLength: 24, gateway: '169.254.9.1' },
    ];
    const args = qemuArgs({ ...spec, moreNetworks: more }, paths, 'tcg');
    const devices = args.filter((_, i) => args[i - 1] === '-device' && args[i]?.startsWith('virtio-net-pci'));
    assert.deepEqual(devices, [0, 1, 2].map((n) => `virtio-net-pci,netdev=net${n},mac=${macAddress('app-1', n)},romfile=`));
    assert.ok(args.includes(`tap,id=net2,ifname=${tapName('app-1', 2)},script=no,downscript=no`));
    assert.equal(new Set([0, 1, 2].map((n) => macAddress('app-1', n))).size, 3, 'each NIC has its own MAC');
    assert.equal(new Set([0, 1, 2].map((n) => tapName('app-1', n))).size, 3, 'and its own tap');
    assert.ok([0, 1, 2].every((n) => tapName('app-1', n).length <= 15));
    // Their addresses travel in the seed, not on the command line; the route stays eth0's.
    assert.ok(!JSON.stringify(args).includes('169.254.8.5'));
    assert.match(after(args, '-append') ?? '', / fy\.gw=169\.254\.7\.1 /);
  });

  it("tells the VM its further NICs' addresses in the seed, and refuses what cannot be carried there", () => {
    const seed = buildSeed({ hostname: 'h', login: null, moreInterfaces: [{ name: 'eth1', address: '169.254.8.5', prefixLength: 24 }, { name: 'eth2', address: '169.254.9.5', prefixLength: 22 }] });
    assert.match(seed, /^more_interfaces='eth1=169\.254\.8\.5\/24 eth2=169\.254\.9\.5\/22'$/m);
    assert.doesNotMatch(buildSeed({ hostname: 'h', login: null }), /more_interfaces/, 'one network: the seed stays as it was');
    for (const bad of [{ name: 'eth0', address: '169.254.8.5', prefixLength: 24 }, { name: 'eth1', address: "1.2.3.4' x", prefixLength: 24 }, { name: 'eth1', address: '169.254.8.5', prefixLength: 33 }]) {
      assert.throws(() => buildSeed({ hostname: 'h', login: null, moreInterfaces: [bad] }), (e) => isFleetyardError(e) && e.code === 'FY_VALIDATION');
    }
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
