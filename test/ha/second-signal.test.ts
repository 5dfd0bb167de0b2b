import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judge } from '../../src/ha/failure-detector.ts';

const peer = (reachable: boolean, hostId = 'h2') => ({ hostId, reachable });
const signals = (bmc: 'on' | 'off' | 'unreachable' | 'none', peers: Array<{ hostId: string; reachable: boolean }> = []) => ({ bmc, peers, checkedAt: null });

test('a silent host is failed only when a second signal agrees', () => {
  assert.equal(judge(signals('off')).failed, true, 'BMC says off');
  assert.equal(judge(signals('unreachable')).failed, true, 'BMC does not answer');
  assert.equal(judge(signals('on', [peer(false), peer(false, 'h3')])).failed, true, 'powered on but no other host reaches it: partitioned');
  assert.equal(judge(signals('none', [peer(false)])).failed, true, 'no BMC, unreachable from its peer');
});

test('a silent host that something says is up is not failed, and the reason says why', () => {
  const on = judge(signals('on'));
  assert.equal(on.failed, false);
  assert.match(on.why, /BMC reports power on/);
  const reached = judge(signals('on', [peer(false), peer(true, 'h3')]));
  assert.equal(reached.failed, false, 'one peer still reaches it');
  assert.match(reached.why, /another host reaches it/);
  const nothing = judge(signals('none'));
  assert.equal(nothing.failed, false, 'no BMC and nobody to ask: no second signal, so no fencing');
  assert.match(nothing.why, /no BMC and no other host/);
});
