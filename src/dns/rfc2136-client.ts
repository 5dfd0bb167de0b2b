import { randomInt } from 'node:crypto';
import { connect } from 'node:net';
import dnsPacket from 'dns-packet';
import type { Clock } from '../domain/clock.ts';
import { FleetyardError } from '../domain/errors.ts';
import { appendTsig, signRequest, verifyResponse, type TsigKey } from './tsig.ts';

/**
 * RFC 2136 dynamic updates, signed with TSIG (RFC 8945), over TCP. BIND 9, Knot and PowerDNS all
 * take them. One update is one message to one zone and is applied by the server atomically, so
 * replacing an RRset is its deletion and the new records in the same message.
 */
export interface Rrset {
  name: string;
  type: 'A' | 'AAAA' | 'PTR';
  /** Empty: the RRset is deleted. */
  values: string[];
  ttl: number;
}

export interface UpdateTarget {
  server: string;
  port: number;
  key: TsigKey;
  timeoutMs?: number;
}

const TYPE_CODES = { A: 1, AAAA: 28, PTR: 12 } as const;
const OPCODE_UPDATE = 5 << 11;
const RCODES: Record<number, string> = { 0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED', 6: 'YXDOMAIN', 7: 'YXRRSET', 8: 'NXRRSET', 9: 'NOTAUTH', 10: 'NOTZONE' };

const HINTS: Record<number, string> = {
  5: ': the key may not update this zone (its update-policy), or the server takes no updates',
  9: ': the server is not the primary of this zone',
  10: ': a name is outside the zone',
};

/** Replaces every RRset given (its name and type) in `zone` by its values; an empty one is deleted. */
export async function updateZone(target: UpdateTarget, zone: string, rrsets: readonly Rrset[], clock: Clock): Promise<void> {
  if (rrsets.length === 0) return;
  const authorities: dnsPacket.Answer[] = [];
  for (const r of rrsets) {
    // "Delete an RRset" (RFC 2136 §2.5.2): class ANY, TTL 0, no RDATA. dns-packet writes empty
    // RDATA only for a type it does not know, hence the numeric type.
    authorities.push({ name: r.name, type: `UNKNOWN_${TYPE_CODES[r.type]}`, class: 'ANY', ttl: 0, data: Buffer.alloc(0) } as unknown as dnsPacket.Answer);
    for (const value of r.values) authorities.push({ name: r.name, type: r.type, class: 'IN', ttl: r.ttl, data: value } as dnsPacket.Answer);
  }
  const message = dnsPacket.encode({
    type: 'query',
    id: randomInt(0, 65536),
    flags: OPCODE_UPDATE,
    questions: [{ name: zone, type: 'SOA', class: 'IN' }],
    authorities,
  });
  const now = clock.now();
  const { rdata, mac } = signRequest(target.key, message, now);
  const response = await exchange(target, appendTsig(target.key, message, rdata));
  const rcode = response.readUInt16BE(2) & 0xf;
  const check = verifyResponse(target.key, response, mac, clock.now());
  const where = `${target.server}:${target.port}`;
  if (rcode !== 0) {
    const tsigError = check.ok ? undefined : check.tsigError;
    const why = tsigError ? `, TSIG ${tsigError}: the key ${target.key.name} (${target.key.algorithm}) is not the server's` : (HINTS[rcode] ?? '');
    throw new FleetyardError('FY_DNS_UPDATE_FAILED', `the DNS server ${where} refused the update of zone ${zone}: ${RCODES[rcode] ?? rcode}${why}`, {
      zone,
      server: where,
      rcode: RCODES[rcode] ?? String(rcode),
      ...(tsigError ? { tsigError } : {}),
    });
  }
  if (!check.ok) throw new FleetyardError('FY_DNS_UPDATE_FAILED', `the DNS server ${where} answered the update of zone ${zone}, but ${check.reason}`, { zone, server: where });
}

/** One request and its answer over TCP (two-byte length prefix, RFC 1035 §4.2.2). */
function exchange(target: UpdateTarget, message: Buffer): Promise<Buffer> {
  const where = `${target.server}:${target.port}`;
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.server, port: target.port });
    let got = Buffer.alloc(0);
    const fail = (why: string) => {
      socket.destroy();
      reject(new FleetyardError('FY_DNS_UPDATE_FAILED', `the DNS server ${where} ${why}`, { server: where }));
    };
    socket.setTimeout(target.timeoutMs ?? 5_000, () => fail('did not answer in time'));
    socket.once('error', (e) => fail(`could not be reached: ${e.message}`));
    socket.once('connect', () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(message.length);
      socket.write(Buffer.concat([len, message]));
    });
    socket.on('data', (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      if (got.length >= 2 && got.length >= 2 + got.readUInt16BE(0)) {
        socket.end();
        resolve(got.subarray(2, 2 + got.readUInt16BE(0)));
      }
    });
    socket.once('end', () => {
      if (got.length < 2 || got.length < 2 + got.readUInt16BE(0)) fail('closed the connection without an answer');
    });
  });
}
