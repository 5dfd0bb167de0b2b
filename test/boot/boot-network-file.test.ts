import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readBootNetworks } from '../../src/boot/boot-network-file.ts';
import { isFleetyardError } from '../../src/domain/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'fy-bootnets-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const fileWith = (content: unknown): string => {
  const file = join(dir, `nets-${++n}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
};

const metal = { name: 'metal', bridge: 'br-metal', serverAddress: '169.254.90.1', prefixLength: 24 };

describe('boot networks file', () => {
  it('reads networks, filling in the defaults', () => {
    const nets = readBootNetworks(fileWith([{ ...metal, discoveryRange: { first: '169.254.90.200', last: '169.254.90.220' } }]));
    assert.deepEqual(nets, [
      { ...metal, netns: null, httpPort: 8080, routerAdvertisements: false, discoveryRange: { first: '169.254.90.200', last: '169.254.90.220' } },
    ]);
  });

  for (const [what, content, message] of [
    ['not JSON', '[{', /boot networks file .*JSON|Unexpected|Expected/],
    ['a missing field', [{ name: 'metal', bridge: 'br-metal', prefixLength: 24 }], /serverAddress/],
    ['an unknown field', [{ ...metal, gateway: '169.254.90.254' }], /gateway|unrecognized/i],
    ['a name twice', [metal, metal], /listed twice/],
    ['a discovery range outside the network', [{ ...metal, discoveryRange: { first: '169.254.91.1', last: '169.254.91.9' } }], /not inside/],
    ['a bad bridge name', [{ ...metal, bridge: 'a bridge name far too long' }], /bridge|link|interface/i],
  ] as const) {
    it(`refuses ${what} with FY_VALIDATION naming the file`, () => {
      const file = fileWith(content);
      assert.throws(() => readBootNetworks(file), (e: unknown) => {
        assert.ok(isFleetyardError(e) && e.code === 'FY_VALIDATION', String(e));
        assert.ok(e.message.includes(file), e.message);
        assert.match(e.message, message);
        return true;
      });
    });
  }
});
