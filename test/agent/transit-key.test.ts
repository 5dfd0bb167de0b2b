import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { sealFor, TransitKey } from '../../src/agent/transit-key.ts';

const dirs: string[] = [];
const freshDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'fy-transit-'));
  dirs.push(d);
  return d;
};
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('secrets sealed for one agent', () => {
  it('opens what was sealed to its public key, and the sealed form shows nothing of it', () => {
    const key = TransitKey.forDataDir(freshDir());
    const secret = 'bmc-Pässwörd 20chars';
    const sealed = sealFor(key.publicKey, secret);
    assert.match(sealed, /^t1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    assert.ok(!sealed.includes(secret) && !Buffer.from(sealed).toString('latin1').includes('bmc'));
    assert.equal(key.open(sealed), secret);
    assert.notEqual(sealFor(key.publicKey, secret), sealed, 'a fresh ephemeral key and IV every time');
  });

  it('keeps its key across restarts, in a file only root can read', () => {
    const dir = freshDir();
    const first = TransitKey.forDataDir(dir);
    const again = TransitKey.forDataDir(dir);
    assert.equal(again.publicKey, first.publicKey);
    assert.equal(again.open(sealFor(first.publicKey, 'x')), 'x');
    assert.equal(statSync(join(dir, 'transit.key')).mode & 0o777, 0o600);
  });

  it('another agent cannot open it, and a changed byte is refused', () => {
    const mine = TransitKey.forDataDir(freshDir());
    const other = TransitKey.forDataDir(freshDir());
    const sealed = sealFor(mine.publicKey, 'only for me');
    assert.throws(() => other.open(sealed));
    const [v, eph, body] = sealed.split('.') as [string, string, string];
    const raw = Buffer.from(body, 'base64url');
    raw[raw.length - 1] = (raw[raw.length - 1] as number) ^ 1;
    assert.throws(() => mine.open(`${v}.${eph}.${raw.toString('base64url')}`));
    assert.throws(() => mine.open('v1.not-for-transit'), /not a secret sealed for an agent/);
    assert.throws(() => sealFor('bm90IGEga2V5', 'x'));
  });
});
