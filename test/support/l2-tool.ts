import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec } from '../../src/host/exec.ts';

/**
 * Frames on a test bridge, made and watched from the test: l2-tool.c (built here, static, with the
 * machine's gcc) sends raw Ethernet frames or counts the frames that carry a token; the builders
 * below make the frames. A sniffer counts raw frames at layer 2, so what it reports is what the
 * bridge delivered to a port, whatever the receiving IP stack would make of it.
 *
 * Where a command runs: `{ netns }` runs it as root in that namespace (`ip netns exec`), with
 * every privilege, as a VM's guest kernel has over its NIC; the container tests run it inside an
 * appliance with `runc exec` instead, with the appliance's own privileges.
 */

const SOURCE = join(import.meta.dirname, 'l2-tool.c');

/** Builds the tool once per machine (again when the source is newer) and returns its path. */
export async function buildL2Tool(): Promise<string> {
  const dir = join(tmpdir(), 'fleetyard-test-tools');
  const bin = join(dir, 'l2-tool');
  if (existsSync(bin) && statSync(bin).mtimeMs >= statSync(SOURCE).mtimeMs) return bin;
  await mkdir(dir, { recursive: true });
  const tmp = `${bin}.${process.pid}.${randomBytes(3).toString('hex')}`;
  await exec('gcc', ['-static', '-O2', '-Wall', '-Werror', '-o', tmp, SOURCE]);
  await rename(tmp, bin);
  return bin;
}

export interface Where {
  /** Run as root in this network namespace; absent: in the host's. */
  netns?: string;
}

function argv(where: Where, args: string[]): [string, string[]] {
  const [cmd, ...rest] = args as [string, ...string[]];
  return where.netns === undefined ? [cmd, rest] : ['ip', ['netns', 'exec', where.netns, cmd, ...rest]];
}

/** Sends `frame` `count` times out of `iface`. */
export async function sendFrame(tool: string, where: Where, iface: string, frame: Buffer, count = 3): Promise<void> {
  const [cmd, args] = argv(where, [tool, 'send', iface, frame.toString('hex'), String(count)]);
  await exec(cmd, args);
}

export interface Sniffer {
  /** Resolves once the sniffer's socket is bound: frames sent after this are counted. */
  ready: Promise<void>;
  /** How many received frames carried the token, once the window has passed. */
  seen: Promise<number>;
}

/** Counts, for `ms`, the frames `iface` receives that contain `token`. */
export function sniff(tool: string, where: Where, iface: string, token: Buffer, ms: number): Sniffer {
  const [cmd, args] = argv(where, [tool, 'sniff', iface, token.toString('hex'), String(ms)]);
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: ms + 10_000 });
  let out = '';
  let err = '';
  let onReady: () => void = () => undefined;
  let onFail: (e: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    onFail = reject;
  });
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    if (out.startsWith('ready\n')) onReady();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const seen = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = out.trim().split('\n');
      if (code === 0 && lines[0] === 'ready' && lines.length === 2) return resolve(Number(lines[1]));
      const e = new Error(`l2-tool sniff ${iface} failed (exit ${code}): ${out}${err}`);
      onFail(e);
      reject(e);
    });
  });
  // Whoever awaits `seen` sees the failure; `ready` must not also surface it as unhandled.
  ready.catch(() => undefined);
  return { ready, seen };
}

/** A token no other frame on the bridge carries. */
export function newToken(): Buffer {
  return Buffer.concat([Buffer.from('fytoken-'), randomBytes(8)]);
}

export const BROADCAST = 'ff:ff:ff:ff:ff:ff';

export function macBytes(mac: string): Buffer {
  return Buffer.from(mac.split(':').map((h) => parseInt(h, 16)));
}

function ipv4Bytes(ip: string): Buffer {
  return Buffer.from(ip.split('.').map(Number));
}

export function ethernet(dst: string, src: string, etherType: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(14);
  macBytes(dst).copy(head, 0);
  macBytes(src).copy(head, 6);
  head.writeUInt16BE(etherType, 12);
  return Buffer.concat([head, payload]);
}

/** An 802.1Q-tagged frame around `etherType` + `payload`. */
export function vlanTagged(dst: string, src: string, vlanId: number, etherType: number, payload: Buffer): Buffer {
  const tag = Buffer.alloc(4);
  tag.writeUInt16BE(vlanId & 0x0fff, 0);
  tag.writeUInt16BE(etherType, 2);
  return ethernet(dst, src, 0x8100, Buffer.concat([tag, payload]));
}

/** An Ethernet/IPv4 ARP packet (op 1 request, 2 reply). */
export function arp(op: 1 | 2, sender: { mac: string; ip: string }, target: { mac: string; ip: string }): Buffer {
  const head = Buffer.from([0, 1, 8, 0, 6, 4, 0, op]);
  return Buffer.concat([head, macBytes(sender.mac), ipv4Bytes(sender.ip), macBytes(target.mac), ipv4Bytes(target.ip)]);
}

/** An IPv4 UDP packet (header checksum right, UDP checksum 0: "none", allowed on IPv4). */
export function ipv4Udp(src: string, dst: string, port: number, payload: Buffer): Buffer {
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(40000, 0);
  udp.writeUInt16BE(port, 2);
  udp.writeUInt16BE(8 + payload.length, 4);
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + 8 + payload.length, 2);
  ip[8] = 64;
  ip[9] = 17;
  ipv4Bytes(src).copy(ip, 12);
  ipv4Bytes(dst).copy(ip, 16);
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += ip.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  ip.writeUInt16BE(~sum & 0xffff, 10);
  return Buffer.concat([ip, udp, payload]);
}

/** The EUI-64 link-local IPv6 address a kernel derives from a MAC, as 16 bytes. */
export function linkLocalOf(mac: string): Buffer {
  const m = macBytes(mac);
  return Buffer.from([0xfe, 0x80, 0, 0, 0, 0, 0, 0, (m[0] as number) ^ 2, m[1] as number, m[2] as number, 0xff, 0xfe, m[3] as number, m[4] as number, m[5] as number]);
}

/** An IPv6 UDP packet; its checksum is not filled in (the observers count frames, not datagrams). */
export function ipv6Udp(src: Buffer, dst: Buffer, port: number, payload: Buffer): Buffer {
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(40000, 0);
  udp.writeUInt16BE(port, 2);
  udp.writeUInt16BE(8 + payload.length, 4);
  const ip = Buffer.alloc(40);
  ip[0] = 0x60;
  ip.writeUInt16BE(8 + payload.length, 4);
  ip[6] = 17;
  ip[7] = 64;
  src.copy(ip, 8);
  dst.copy(ip, 24);
  return Buffer.concat([ip, udp, payload]);
}

export const ETH_IPV4 = 0x0800;
export const ETH_ARP = 0x0806;
export const ETH_IPV6 = 0x86dd;
