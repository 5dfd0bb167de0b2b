import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * TSIG (RFC 8945): a DNS message signed with a shared secret. The MAC covers the message as sent
 * (before the TSIG record was added), then the TSIG variables; a response's MAC covers the
 * request's MAC first, so an answer cannot be replayed for another request.
 */
export type TsigAlgorithm = 'hmac-sha256' | 'hmac-sha512';

export interface TsigKey {
  name: string;
  algorithm: TsigAlgorithm;
  /** The secret as BIND's `tsig-keygen` prints it: base64. */
  secret: string;
}

/** TSIG's error field (RFC 8945 §4.3.3 and RFC 2845): what the server thought of our signature. */
export const TSIG_ERRORS: Record<number, string> = { 0: 'NOERROR', 16: 'BADSIG', 17: 'BADKEY', 18: 'BADTIME', 22: 'BADTRUNC' };

const FUDGE_SECONDS = 300;
const CLASS_ANY = 255;
const TYPE_TSIG = 250;

/** A name in uncompressed wire form, lower case (the canonical form RFC 8945 signs). */
export function wireName(name: string): Buffer {
  const labels = name.replace(/\.$/, '').toLowerCase().split('.').filter((l) => l !== '');
  return Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')])), Buffer.from([0])]);
}

/** The parts of a TSIG record's RDATA (RFC 8945 §4.2). */
export interface TsigRdata {
  algorithm: string;
  timeSigned: number;
  fudge: number;
  mac: Buffer;
  originalId: number;
  error: number;
  other: Buffer;
}

export function encodeTsigRdata(r: TsigRdata): Buffer {
  const time = Buffer.alloc(6);
  time.writeUIntBE(r.timeSigned, 0, 6);
  const macLen = Buffer.alloc(2);
  macLen.writeUInt16BE(r.mac.length);
  const tail = Buffer.alloc(6);
  tail.writeUInt16BE(r.originalId, 0);
  tail.writeUInt16BE(r.error, 2);
  tail.writeUInt16BE(r.other.length, 4);
  const fudge = Buffer.alloc(2);
  fudge.writeUInt16BE(r.fudge);
  return Buffer.concat([wireName(r.algorithm), time, fudge, macLen, r.mac, tail, r.other]);
}

export function decodeTsigRdata(buf: Buffer): TsigRdata {
  const labels: string[] = [];
  let at = 0;
  for (;;) {
    const len = buf.readUInt8(at);
    at += 1;
    if (len === 0) break;
    if (len > 63) throw new RangeError('a compressed algorithm name in TSIG');
    labels.push(buf.subarray(at, at + len).toString('ascii'));
    at += len;
  }
  const timeSigned = buf.readUIntBE(at, 6);
  const fudge = buf.readUInt16BE(at + 6);
  const macLen = buf.readUInt16BE(at + 8);
  const mac = buf.subarray(at + 10, at + 10 + macLen);
  at += 10 + macLen;
  const originalId = buf.readUInt16BE(at);
  const error = buf.readUInt16BE(at + 2);
  const otherLen = buf.readUInt16BE(at + 4);
  return { algorithm: labels.join('.').toLowerCase(), timeSigned, fudge, mac, originalId, error, other: buf.subarray(at + 6, at + 6 + otherLen) };
}

/** The TSIG variables of §4.3.3, which follow the message in what the MAC covers. */
function variables(keyName: string, r: TsigRdata): Buffer {
  const fixed = Buffer.alloc(6);
  fixed.writeUInt16BE(CLASS_ANY, 0);
  fixed.writeUInt32BE(0, 2);
  const time = Buffer.alloc(6);
  time.writeUIntBE(r.timeSigned, 0, 6);
  const rest = Buffer.alloc(6);
  rest.writeUInt16BE(r.fudge, 0);
  rest.writeUInt16BE(r.error, 2);
  rest.writeUInt16BE(r.other.length, 4);
  return Buffer.concat([wireName(keyName), fixed, wireName(r.algorithm), time, rest, r.other]);
}

function hmac(key: TsigKey, parts: Buffer[]): Buffer {
  const h = createHmac(key.algorithm === 'hmac-sha256' ? 'sha256' : 'sha512', Buffer.from(key.secret, 'base64'));
  for (const p of parts) h.update(p);
  return h.digest();
}

/** The TSIG record to append to `message` (its ID and ARCOUNT as sent, TSIG not yet counted). */
export function signRequest(key: TsigKey, message: Buffer, now: Date): { rdata: TsigRdata; mac: Buffer } {
  const rdata: TsigRdata = {
    algorithm: key.algorithm,
    timeSigned: Math.floor(now.getTime() / 1000),
    fudge: FUDGE_SECONDS,
    mac: Buffer.alloc(0),
    originalId: message.readUInt16BE(0),
    error: 0,
    other: Buffer.alloc(0),
  };
  const mac = hmac(key, [message, variables(key.name, rdata)]);
  return { rdata: { ...rdata, mac }, mac };
}

/** Appends the signed TSIG record to a message (ARCOUNT + 1). */
export function appendTsig(key: TsigKey, message: Buffer, rdata: TsigRdata): Buffer {
  const data = encodeTsigRdata(rdata);
  const head = Buffer.alloc(10);
  head.writeUInt16BE(TYPE_TSIG, 0);
  head.writeUInt16BE(CLASS_ANY, 2);
  head.writeUInt32BE(0, 4);
  head.writeUInt16BE(data.length, 8);
  const out = Buffer.concat([message, wireName(key.name), head, data]);
  out.writeUInt16BE(out.readUInt16BE(10) + 1, 10);
  return out;
}

export type ResponseCheck =
  | { ok: true }
  | { ok: false; reason: string; tsigError?: string };

/**
 * Checks the TSIG of a response to a request whose MAC was `requestMac`: the last record must be
 * a TSIG by our key, with our algorithm, an error of NOERROR and a MAC that verifies.
 */
export function verifyResponse(key: TsigKey, response: Buffer, requestMac: Buffer, now: Date): ResponseCheck {
  const arcount = response.readUInt16BE(10);
  if (arcount === 0) return { ok: false, reason: 'the answer is not signed' };
  const located = locateLastRecord(response);
  if (!located || located.type !== TYPE_TSIG) return { ok: false, reason: 'the answer is not signed' };
  const rdata = decodeTsigRdata(response.subarray(located.rdataAt));
  if (rdata.error !== 0) return { ok: false, reason: `the server refused the signature (${TSIG_ERRORS[rdata.error] ?? rdata.error})`, tsigError: TSIG_ERRORS[rdata.error] ?? String(rdata.error) };
  if (located.name !== key.name.toLowerCase().replace(/\.$/, '') || rdata.algorithm !== key.algorithm) return { ok: false, reason: 'the answer is signed by another key' };
  const unsigned = Buffer.from(response.subarray(0, located.start));
  unsigned.writeUInt16BE(rdata.originalId, 0);
  unsigned.writeUInt16BE(arcount - 1, 10);
  const reqLen = Buffer.alloc(2);
  reqLen.writeUInt16BE(requestMac.length);
  const expected = hmac(key, [reqLen, requestMac, unsigned, variables(key.name, rdata)]);
  if (expected.length !== rdata.mac.length || !timingSafeEqual(expected, rdata.mac)) return { ok: false, reason: "the answer's signature does not verify" };
  if (Math.abs(Math.floor(now.getTime() / 1000) - rdata.timeSigned) > rdata.fudge) return { ok: false, reason: "the answer's signature is outside its time window" };
  return { ok: true };
}

/**
 * Where the message's last record starts, and its owner name and type: found by walking the
 * message, since names before it may be compressed.
 */
function locateLastRecord(msg: Buffer): { start: number; name: string; type: number; rdataAt: number } | null {
  const counts = [msg.readUInt16BE(4), msg.readUInt16BE(6), msg.readUInt16BE(8), msg.readUInt16BE(10)];
  let at = 12;
  for (let i = 0; i < counts[0]!; i++) at = skipName(msg, at) + 4;
  const records = counts[1]! + counts[2]! + counts[3]!;
  let last: { start: number; name: string; type: number; rdataAt: number } | null = null;
  for (let i = 0; i < records; i++) {
    const start = at;
    const name = readName(msg, at);
    at = skipName(msg, at);
    const type = msg.readUInt16BE(at);
    const rdLength = msg.readUInt16BE(at + 8);
    last = { start, name, type, rdataAt: at + 10 };
    at += 10 + rdLength;
  }
  return last;
}

function skipName(msg: Buffer, at: number): number {
  for (let guard = 0; guard < 128; guard++) {
    const len = msg.readUInt8(at);
    if (len === 0) return at + 1;
    if ((len & 0xc0) === 0xc0) return at + 2;
    at += 1 + len;
  }
  throw new RangeError('a name without end');
}

function readName(msg: Buffer, at: number): string {
  const labels: string[] = [];
  for (let guard = 0; guard < 128; guard++) {
    const len = msg.readUInt8(at);
    if (len === 0) return labels.join('.').toLowerCase();
    if ((len & 0xc0) === 0xc0) {
      at = msg.readUInt16BE(at) & 0x3fff;
      continue;
    }
    labels.push(msg.subarray(at + 1, at + 1 + len).toString('ascii'));
    at += 1 + len;
  }
  throw new RangeError('a name without end');
}
